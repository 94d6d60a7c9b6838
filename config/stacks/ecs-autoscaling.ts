import { z } from "zod";
import { containerImage, instanceType } from "../fields";
import { capacityProblems, targetValueProblem } from "../../modules/core/validate";
import { MachineImage } from "../../modules/compute/machine-image";
import { architectureProblem } from "../../modules/compute/instance-type";
import {
  DEFAULT_CLUSTER_MAX_INSTANCES,
  DEFAULT_CLUSTER_MIN_INSTANCES,
  DEFAULT_CONTAINER_INSTANCE_TYPE,
  DEFAULT_TARGET_CAPACITY_PERCENT,
} from "../../modules/containers/ec2-capacity-provider";
import { DEFAULT_CONTAINER_INSIGHTS } from "../../modules/containers/cluster";
import {
  DEFAULT_MAX_TASKS,
  DEFAULT_MIN_TASKS,
  DEFAULT_REQUESTS_PER_TARGET,
  DEFAULT_SCALE_IN_COOLDOWN_SECONDS,
  DEFAULT_SCALE_OUT_COOLDOWN_SECONDS,
} from "../../modules/containers/ecs-service";

/** Public sample web image that runs as a non-root user (uid 101) on port 8080 with a read-only root filesystem. */
export const SAMPLE_WEB_IMAGE = "public.ecr.aws/nginx/nginx-unprivileged:stable-alpine";

const image = containerImage;

/** `stacks.ecsAutoscaling`: the ECS workshop's service and cluster auto scaling (SPEC section 8). */
export const EcsAutoscalingSettings = z
  .object({
    /** Container instance type (the ASG behind the capacity provider). */
    instanceType: instanceType.default(DEFAULT_CONTAINER_INSTANCE_TYPE),
    /** Auto Scaling group bounds of the capacity provider. */
    minInstances: z.number().int().min(0).max(100).default(DEFAULT_CLUSTER_MIN_INSTANCES),
    maxInstances: z.number().int().min(1).max(100).default(DEFAULT_CLUSTER_MAX_INSTANCES),
    /** Managed scaling target capacity, percent. */
    targetCapacityPercent: z.number().int().min(1).max(100).default(DEFAULT_TARGET_CAPACITY_PERCENT),
    /** CloudWatch Container Insights (billed metrics). */
    containerInsights: z.boolean().default(DEFAULT_CONTAINER_INSIGHTS),
    /** Images of the three services; each must listen on `containerPort` as `containerUser`. */
    images: z
      .object({ web: image.default(SAMPLE_WEB_IMAGE), cats: image.default(SAMPLE_WEB_IMAGE), dogs: image.default(SAMPLE_WEB_IMAGE) })
      .strict()
      .prefault({}),
    /** Port the images listen on. */
    containerPort: z.number().int().min(1).max(65535).default(8080), // the sample image's port
    /** Non-root user the containers run as (uid 101 = nginx in the unprivileged image). */
    containerUser: z.string().default("101"), // the sample image's user, not the module's general 1000
    /** Service auto scaling of `web`: target tracking on ALBRequestCountPerTarget. */
    webScaling: z
      .object({
        minTasks: z.number().int().min(0).max(1000).default(DEFAULT_MIN_TASKS),
        maxTasks: z.number().int().min(1).max(1000).default(DEFAULT_MAX_TASKS),
        requestsPerTarget: z.number().positive().default(DEFAULT_REQUESTS_PER_TARGET),
        scaleOutCooldownSeconds: z.number().int().min(0).max(86400).default(DEFAULT_SCALE_OUT_COOLDOWN_SECONDS),
        scaleInCooldownSeconds: z.number().int().min(0).max(86400).default(DEFAULT_SCALE_IN_COOLDOWN_SECONDS),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((s, ctx) => {
    const key = "stacks.ecsAutoscaling";
    for (const p of capacityProblems(s.minInstances, undefined, s.maxInstances, { min: `${key}.minInstances`, desired: "", max: `${key}.maxInstances` })) {
      ctx.addIssue({ code: "custom", path: ["minInstances"], message: p.message });
    }
    const w = s.webScaling;
    for (const p of capacityProblems(w.minTasks, undefined, w.maxTasks, { min: `${key}.webScaling.minTasks`, desired: "", max: `${key}.webScaling.maxTasks` })) {
      ctx.addIssue({ code: "custom", path: ["webScaling", "minTasks"], message: p.message });
    }
    const target = targetValueProblem(w.requestsPerTarget);
    if (target) ctx.addIssue({ code: "custom", path: ["webScaling", "requestsPerTarget"], message: target });
    // The capacity provider launches the ECS-optimized Amazon Linux 2023 for x86_64 (modules/containers/ec2-capacity-provider.ts).
    const ecsImage = MachineImage.ecsOptimizedAmazonLinux2023();
    const mismatch = ecsImage.architecture && architectureProblem(s.instanceType, ecsImage.architecture, ecsImage.description);
    if (mismatch) ctx.addIssue({ code: "custom", path: ["instanceType"], message: mismatch });
  });

export type EcsAutoscalingSettings = z.infer<typeof EcsAutoscalingSettings>;
