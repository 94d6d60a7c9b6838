import { z } from "zod";
import { instanceType } from "../fields";

/**
 * The Spot workshop's nine instance types, with m4/c4/r4 (previous
 * generation) replaced by m6i/c6i/r6i. Kept equal to
 * `DEFAULT_SPOT_INSTANCE_TYPES` in modules/fleet/mixed-instances.ts (a test checks it).
 */
export const WEB_FLEET_SPOT_TYPES = ["m5.large", "m5a.large", "m5n.large", "m5d.large", "m6i.large", "c5.large", "c6i.large", "r5.large", "r6i.large"];

const count = z.number().int().min(0).max(1000);

const warmPool = z
  .object({
    /** Instances kept in the pool. */
    minSize: count.default(1),
    /** Upper bound of group + pool; unset = the group's maxSize. */
    maxGroupPreparedCapacity: count.optional(),
    /** Stopped: EBS cost only while waiting. */
    poolState: z.enum(["Stopped", "Running", "Hibernated"]).default("Stopped"),
    /** Return instances to the pool on scale-in. */
    reuseOnScaleIn: z.boolean().default(true),
  })
  .strict();

/** `stacks.webFleet`: ALB + on-demand group with a Stopped warm pool + Spot group (SPEC sections 6, 7, 9). */
export const WebFleetSettings = z
  .object({
    /** Zones of the network (the ALB needs 2; Spot is happier with 3). */
    availabilityZones: z.number().int().min(2).max(6).default(2),
    /**
     * `public`: instances in public subnets with a public IP each (0.005 USD/h), no NAT gateway.
     * `private`: instances in private subnets behind `natGateways` NAT gateways (about 0.062 USD/h each + per GB) - the blog's layout.
     */
    instanceSubnets: z.enum(["public", "private"]).default("public"),
    /** NAT gateways when `instanceSubnets` is `private` (1 is cheapest; one per zone survives a zone outage). */
    natGateways: z.number().int().min(1).max(6).default(1),
    /** Port the web app listens on behind the load balancer. */
    appPort: z.number().int().min(1).max(65535).default(8080),
    /** ACM certificate ARN: adds HTTPS on 443 and redirects port 80 to it. */
    certificateArn: z.string().regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/, { message: "is not an ACM certificate ARN" }).optional(),
    /** Protect the load balancer from deletion (then `destroy` fails until it is turned off). */
    deletionProtection: z.boolean().default(false),
    /** Slow setup in user data: `pytorch-cpu` installs CPU PyTorch with pip (the warm-pool blog). */
    setup: z.enum(["none", "pytorch-cpu"]).default("none"),
    /** Root volume GiB (gp3, encrypted); default 8, or 16 with pytorch-cpu. */
    rootVolumeGiB: z.number().int().min(8).max(16384).optional(),
    /** Target group deregistration delay: 120 s = the Spot two-minute notice. */
    deregistrationDelaySeconds: z.number().int().min(0).max(3600).default(120),
    healthCheck: z
      .object({
        path: z.string().regex(/^\//, { message: "must start with /" }).default("/"),
        intervalSeconds: z.number().int().min(5).max(300).default(15),
        healthyThreshold: z.number().int().min(2).max(10).default(2),
        unhealthyThreshold: z.number().int().min(2).max(10).default(3),
      })
      .strict()
      .prefault({}),
    /** Target tracking on ALBRequestCountPerTarget: requests per instance per minute, both groups. */
    targetRequestsPerInstance: z.number().int().min(1).max(1000000).default(1000),
    /** Seconds after InService before ELB health checks can replace an instance. */
    healthCheckGracePeriodSeconds: z.number().int().min(0).max(7200).default(120),
    /** Seconds before a new instance's metrics count for scaling. */
    defaultInstanceWarmupSeconds: z.number().int().min(0).max(3600).default(120),
    /** On-demand group with the warm pool (the blog: min 1, max 5, desired 1, warm pool min 1 Stopped). */
    base: z
      .object({
        instanceType: instanceType.default("t3.micro"),
        minSize: count.default(1),
        maxSize: count.default(5),
        desiredCapacity: count.default(1),
        warmPool: warmPool.prefault({}),
        /** false: no warm pool (scale-out then waits for a full boot and setup). */
        warmPoolEnabled: z.boolean().default(true),
        /** Seconds an instance may take to set up before the launch hook abandons it. */
        lifecycleHookTimeoutSeconds: z.number().int().min(30).max(7200).default(600),
      })
      .strict()
      .prefault({}),
    /** Spot group with the mixed-instances policy (the Spot workshop). */
    spot: z
      .object({
        enabled: z.boolean().default(true),
        minSize: count.default(0),
        maxSize: count.default(5),
        desiredCapacity: count.default(1),
        instanceTypes: z.array(instanceType).min(1, { message: "must list at least one instance type" }).default(WEB_FLEET_SPOT_TYPES),
        allocationStrategy: z.enum(["price-capacity-optimized", "capacity-optimized", "lowest-price"]).default("price-capacity-optimized"),
        /** Pools to spread over with lowest-price (the workshop: 4). */
        spotInstancePools: z.number().int().min(1).max(20).optional(),
        onDemandBaseCapacity: count.default(0),
        onDemandPercentageAboveBaseCapacity: z.number().int().min(0).max(100).default(0),
        /** Refused at synth: AWS allows no warm pool with Spot or a mixed-instances policy. */
        warmPool: warmPool.optional(),
      })
      .strict()
      .prefault({}),
    /** The Spot interruption handler (EventBridge -> Lambda -> DetachInstances). */
    spotInterruption: z
      .object({
        enabled: z.boolean().default(true),
        /** DetachInstances' ShouldDecrementDesiredCapacity (false: a replacement launches at once). */
        decrementDesiredCapacity: z.boolean().default(false),
        /** Also act on rebalance recommendations. */
        rebalanceRecommendations: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((s, ctx) => {
    for (const group of ["base", "spot"] as const) {
      const { minSize, desiredCapacity, maxSize } = s[group];
      if (minSize > maxSize) ctx.addIssue({ code: "custom", path: [group, "minSize"], message: `(${minSize}) must be <= maxSize (${maxSize})` });
      if (desiredCapacity < minSize || desiredCapacity > maxSize) {
        ctx.addIssue({ code: "custom", path: [group, "desiredCapacity"], message: `(${desiredCapacity}) must be in minSize..maxSize (${minSize}..${maxSize})` });
      }
    }
    const pool = s.base.warmPool;
    if (pool.maxGroupPreparedCapacity !== undefined && pool.minSize > pool.maxGroupPreparedCapacity) {
      ctx.addIssue({ code: "custom", path: ["base", "warmPool", "minSize"], message: `(${pool.minSize}) must be <= maxGroupPreparedCapacity (${pool.maxGroupPreparedCapacity})` });
    }
  });

export type WebFleetSettings = z.infer<typeof WebFleetSettings>;

/**
 * The warm-pool blog reproduced (docs/web-fleet.md, "Warm-pool blog variant"):
 * private subnets behind one NAT gateway (pip needs PyPI and download.pytorch.org,
 * which no VPC endpoint serves), CPU PyTorch installed by user data, Session
 * Manager, instances reachable from nothing but the load balancer; min 1,
 * max 5, desired 1, warm pool min 1 Stopped; no Spot group. Put it under
 * `stacks.webFleet` in infra.config.json.
 */
export const WARM_POOL_BLOG_VARIANT = {
  instanceSubnets: "private",
  natGateways: 1,
  setup: "pytorch-cpu",
  rootVolumeGiB: 16,
  base: {
    instanceType: "t3.medium",
    minSize: 1,
    maxSize: 5,
    desiredCapacity: 1,
    warmPool: { minSize: 1, poolState: "Stopped" },
    lifecycleHookTimeoutSeconds: 1800,
  },
  spot: { enabled: false },
  spotInterruption: { enabled: false },
} as const;
