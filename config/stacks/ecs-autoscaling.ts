import { z } from "zod";
import { instanceType } from "../fields";

/** Public sample web image that runs as a non-root user (uid 101) on port 8080 with a read-only root filesystem. */
export const SAMPLE_WEB_IMAGE = "public.ecr.aws/nginx/nginx-unprivileged:stable-alpine";

const image = z.string().trim().min(1, { message: "is empty" });

/** `stacks.ecsAutoscaling`: the ECS workshop's service and cluster auto scaling (SPEC section 8). */
export const EcsAutoscalingSettings = z
  .object({
    /** Container instance type (the ASG behind the capacity provider). */
    instanceType: instanceType.default("t3.small"),
    /** Auto Scaling group bounds of the capacity provider. */
    minInstances: z.number().int().min(0).max(100).default(2),
    maxInstances: z.number().int().min(1).max(100).default(4),
    /** Managed scaling target capacity, percent. */
    targetCapacityPercent: z.number().int().min(1).max(100).default(100),
    /** CloudWatch Container Insights (billed metrics). */
    containerInsights: z.boolean().default(false),
    /** Images of the three services; each must listen on `containerPort` as `containerUser`. */
    images: z
      .object({ web: image.default(SAMPLE_WEB_IMAGE), cats: image.default(SAMPLE_WEB_IMAGE), dogs: image.default(SAMPLE_WEB_IMAGE) })
      .strict()
      .prefault({}),
    /** Port the images listen on. */
    containerPort: z.number().int().min(1).max(65535).default(8080),
    /** Non-root user the containers run as (uid 101 = nginx in the unprivileged image). */
    containerUser: z.string().default("101"),
    /** Service auto scaling of `web`: target tracking on ALBRequestCountPerTarget. */
    webScaling: z
      .object({
        minTasks: z.number().int().min(0).max(1000).default(2),
        maxTasks: z.number().int().min(1).max(1000).default(8),
        requestsPerTarget: z.number().positive().default(4000),
        scaleOutCooldownSeconds: z.number().int().min(0).max(86400).default(10),
        scaleInCooldownSeconds: z.number().int().min(0).max(86400).default(60),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type EcsAutoscalingSettings = z.infer<typeof EcsAutoscalingSettings>;
