import { z } from "zod";

/** `stacks.qaBot`: the question-answering bot on ECS Fargate (SPEC section 3). */
export const QaBotSettings = z
  .object({
    /** Fargate task CPU units (1024 = 1 vCPU); must pair with `memory`. */
    cpu: z.number().int().default(1024),
    /** Fargate task memory, MiB. */
    memory: z.number().int().default(4096),
    /**
     * `public`: tasks in a public subnet with a public IP, no NAT gateway (cheapest).
     * `private-endpoints`: tasks in an isolated subnet reaching ECR, S3, CloudWatch Logs
     * and DynamoDB through VPC endpoints (no public IP; interface endpoints bill per hour).
     */
    networking: z.enum(["public", "private-endpoints"]).default("public"),
    /** CloudWatch Container Insights on the cluster (billed metrics). */
    containerInsights: z.boolean().default(false),
    /** Images the ECR lifecycle rule keeps. */
    keepImages: z.number().int().min(1).max(1000).default(10),
    /** Image tag the task definition runs. */
    imageTag: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, { message: "is not a valid image tag" }).default("latest"),
    /** Days to keep the worker's logs. */
    logRetentionDays: z.number().int().default(14),
  })
  .strict();

export type QaBotSettings = z.infer<typeof QaBotSettings>;
