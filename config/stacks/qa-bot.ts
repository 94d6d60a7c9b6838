import { z } from "zod";
import { DEFAULT_FARGATE_CPU, DEFAULT_FARGATE_MEMORY, fargateSizeIssue } from "../../modules/containers/fargate-task-definition";
import { logRetentionDays } from "../fields";
import { DEFAULT_CONTAINER_INSIGHTS } from "../../modules/containers/cluster";
import { DEFAULT_KEEP_IMAGES } from "../../modules/containers/repository";
import { DEFAULT_IMAGE_TAG } from "../../modules/containers/container-image";
import { DEFAULT_TASK_LOG_RETENTION_DAYS } from "../../modules/containers/task-definition";

/** `stacks.qaBot`: the question-answering bot on ECS Fargate (SPEC section 3). */
export const QaBotSettings = z
  .object({
    /** Fargate task CPU units (1024 = 1 vCPU); must pair with `memory`. */
    cpu: z.number().int().default(DEFAULT_FARGATE_CPU),
    /** Fargate task memory, MiB. */
    memory: z.number().int().default(DEFAULT_FARGATE_MEMORY),
    /**
     * `public`: tasks in a public subnet with a public IP, no NAT gateway (cheapest).
     * `private-endpoints`: tasks in an isolated subnet reaching ECR, S3, CloudWatch Logs
     * and DynamoDB through VPC endpoints (no public IP; interface endpoints bill per hour).
     */
    networking: z.enum(["public", "private-endpoints"]).default("public"),
    /** CloudWatch Container Insights on the cluster (billed metrics). */
    containerInsights: z.boolean().default(DEFAULT_CONTAINER_INSIGHTS),
    /** Images the ECR lifecycle rule keeps. */
    keepImages: z.number().int().min(1).max(1000).default(DEFAULT_KEEP_IMAGES),
    /** Image tag the task definition runs. */
    imageTag: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, { message: "is not a valid image tag" }).default(DEFAULT_IMAGE_TAG),
    /** Days to keep the worker's logs. */
    logRetentionDays: logRetentionDays.default(DEFAULT_TASK_LOG_RETENTION_DAYS),
  })
  .strict()
  .superRefine((s, ctx) => {
    const issue = fargateSizeIssue(s.cpu, s.memory);
    if (issue) ctx.addIssue({ code: "custom", path: [issue.field], message: issue.message.replace(/with cpu \(/, "with stacks.qaBot.cpu (") });
  });

export type QaBotSettings = z.infer<typeof QaBotSettings>;
