import { z } from "zod";
import { instanceType } from "../fields";
import { DEFAULT_POOL_STATE, DEFAULT_REUSE_ON_SCALE_IN, DEFAULT_WARM_POOL_MIN_SIZE, PoolState } from "../../modules/fleet/warm-pool";
import {
  DEFAULT_ON_DEMAND_BASE_CAPACITY,
  DEFAULT_ON_DEMAND_PERCENTAGE_ABOVE_BASE_CAPACITY,
  DEFAULT_SPOT_ALLOCATION_STRATEGY,
  DEFAULT_SPOT_INSTANCE_TYPES,
  SpotAllocationStrategy,
} from "../../modules/fleet/mixed-instances";
import {
  DEFAULT_APP_PORT,
  DEFAULT_BASE_INSTANCE_TYPE,
  DEFAULT_FLEET_SETUP,
  DEFAULT_SPOT_DESIRED_CAPACITY,
  DEFAULT_SPOT_MIN_SIZE,
  FleetSetup,
} from "../../modules/fleet/web-fleet";
import {
  DEFAULT_HEALTH_CHECK_GRACE_SECONDS,
  DEFAULT_INSTANCE_WARMUP_SECONDS,
  DEFAULT_LIFECYCLE_HOOK_TIMEOUT_SECONDS,
  DEFAULT_MAX_SIZE,
  DEFAULT_MIN_SIZE,
  DEFAULT_REQUESTS_PER_TARGET,
} from "../../modules/fleet/fleet-group";
import { DEFAULT_DEREGISTRATION_DELAY_SECONDS, DEFAULT_HEALTH_CHECK } from "../../modules/fleet/target-group";
import { DEFAULT_DECREMENT_DESIRED_CAPACITY, DEFAULT_REBALANCE_RECOMMENDATIONS } from "../../modules/fleet/spot-interruption-handler";
import { DEFAULT_LOAD_BALANCER_DELETION_PROTECTION } from "../../modules/loadbalancing/application-load-balancer";
import { WARM_POOL_RESTRICTION } from "../../modules/fleet/warm-pool";
import { defaultFleetImage } from "../../modules/fleet/web-fleet";
import { capacityProblems } from "../../modules/core/validate";
import { architectureProblem } from "../../modules/compute/instance-type";

// Defaults come from the modules' constants; the few numbers written here are this stack's own choices.

const count = z.number().int().min(0).max(1000);

const warmPool = z
  .object({
    /** Instances kept in the pool. */
    minSize: count.default(DEFAULT_WARM_POOL_MIN_SIZE),
    /** Upper bound of group + pool; unset = the group's maxSize. */
    maxGroupPreparedCapacity: count.optional(),
    /** Stopped: EBS cost only while waiting. */
    poolState: z.enum(PoolState).default(DEFAULT_POOL_STATE),
    /** Return instances to the pool on scale-in. */
    reuseOnScaleIn: z.boolean().default(DEFAULT_REUSE_ON_SCALE_IN),
  })
  .strict();

/** `stacks.webFleet`: ALB + on-demand group with a Stopped warm pool + Spot group (SPEC sections 6, 7, 9). */
export const WebFleetSettings = z
  .object({
    /** Zones of the network (the ALB needs 2; Spot is happier with 3). */
    availabilityZones: z.number().int().min(2).max(6).default(2), // the stack's choice: the ALB's minimum
    /**
     * `public`: instances in public subnets with a public IP each (0.005 USD/h), no NAT gateway.
     * `private`: instances in private subnets behind `natGateways` NAT gateways (about 0.062 USD/h each + per GB) - the blog's layout.
     */
    instanceSubnets: z.enum(["public", "private"]).default("public"),
    /** NAT gateways when `instanceSubnets` is `private` (1 is cheapest; one per zone survives a zone outage). */
    natGateways: z.number().int().min(1).max(6).default(1), // the stack's choice: the cheapest
    /** Port the web app listens on behind the load balancer. */
    appPort: z.number().int().min(1).max(65535).default(DEFAULT_APP_PORT),
    /** ACM certificate ARN: adds HTTPS on 443 and redirects port 80 to it. */
    certificateArn: z.string().regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/, { message: "is not an ACM certificate ARN" }).optional(),
    /** Protect the load balancer from deletion (then `destroy` fails until it is turned off). */
    deletionProtection: z.boolean().default(DEFAULT_LOAD_BALANCER_DELETION_PROTECTION),
    /** Slow setup in user data: `pytorch-cpu` installs CPU PyTorch with pip (the warm-pool blog). */
    setup: z.enum(FleetSetup).default(DEFAULT_FLEET_SETUP),
    /** Root volume GiB (gp3, encrypted); default 8, or 16 with pytorch-cpu. */
    rootVolumeGiB: z.number().int().min(8).max(16384).optional(),
    /** Target group deregistration delay: 120 s = the Spot two-minute notice. */
    deregistrationDelaySeconds: z.number().int().min(0).max(3600).default(DEFAULT_DEREGISTRATION_DELAY_SECONDS),
    healthCheck: z
      .object({
        path: z.string().regex(/^\//, { message: "must start with /" }).default(DEFAULT_HEALTH_CHECK.path),
        intervalSeconds: z.number().int().min(5).max(300).default(DEFAULT_HEALTH_CHECK.intervalSeconds),
        healthyThreshold: z.number().int().min(2).max(10).default(DEFAULT_HEALTH_CHECK.healthyThreshold),
        unhealthyThreshold: z.number().int().min(2).max(10).default(DEFAULT_HEALTH_CHECK.unhealthyThreshold),
      })
      .strict()
      .prefault({}),
    /** Target tracking on ALBRequestCountPerTarget: requests per instance per minute, both groups. */
    targetRequestsPerInstance: z.number().int().min(1).max(1000000).default(DEFAULT_REQUESTS_PER_TARGET),
    /** Seconds after InService before ELB health checks can replace an instance. */
    healthCheckGracePeriodSeconds: z.number().int().min(0).max(7200).default(DEFAULT_HEALTH_CHECK_GRACE_SECONDS),
    /** Seconds before a new instance's metrics count for scaling. */
    defaultInstanceWarmupSeconds: z.number().int().min(0).max(3600).default(DEFAULT_INSTANCE_WARMUP_SECONDS),
    /** On-demand group with the warm pool (the blog: min 1, max 5, desired 1, warm pool min 1 Stopped). */
    base: z
      .object({
        instanceType: instanceType.default(DEFAULT_BASE_INSTANCE_TYPE),
        minSize: count.default(DEFAULT_MIN_SIZE),
        maxSize: count.default(DEFAULT_MAX_SIZE),
        desiredCapacity: count.default(DEFAULT_MIN_SIZE), // the group's default: desired = minSize
        warmPool: warmPool.prefault({}),
        /** false: no warm pool (scale-out then waits for a full boot and setup). */
        warmPoolEnabled: z.boolean().default(true),
        /** Seconds an instance may take to set up before the launch hook abandons it. */
        lifecycleHookTimeoutSeconds: z.number().int().min(30).max(7200).default(DEFAULT_LIFECYCLE_HOOK_TIMEOUT_SECONDS),
      })
      .strict()
      .prefault({}),
    /** Spot group with the mixed-instances policy (the Spot workshop). */
    spot: z
      .object({
        enabled: z.boolean().default(true),
        minSize: count.default(DEFAULT_SPOT_MIN_SIZE),
        maxSize: count.default(DEFAULT_MAX_SIZE),
        desiredCapacity: count.default(DEFAULT_SPOT_DESIRED_CAPACITY),
        instanceTypes: z.array(instanceType).min(1, { message: "must list at least one instance type" }).default(() => [...DEFAULT_SPOT_INSTANCE_TYPES]),
        allocationStrategy: z.enum(SpotAllocationStrategy).default(DEFAULT_SPOT_ALLOCATION_STRATEGY),
        /** Pools to spread over with lowest-price (the workshop: 4). */
        spotInstancePools: z.number().int().min(1).max(20).optional(),
        onDemandBaseCapacity: count.default(DEFAULT_ON_DEMAND_BASE_CAPACITY),
        onDemandPercentageAboveBaseCapacity: z.number().int().min(0).max(100).default(DEFAULT_ON_DEMAND_PERCENTAGE_ABOVE_BASE_CAPACITY),
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
        decrementDesiredCapacity: z.boolean().default(DEFAULT_DECREMENT_DESIRED_CAPACITY),
        /** Also act on rebalance recommendations. */
        rebalanceRecommendations: z.boolean().default(DEFAULT_REBALANCE_RECOMMENDATIONS),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((s, ctx) => {
    for (const group of ["base", "spot"] as const) {
      const { minSize, desiredCapacity, maxSize } = s[group];
      const key = `stacks.webFleet.${group}`;
      const fields = { min: "minSize", desired: "desiredCapacity", max: "maxSize" } as const;
      const names = { min: `${key}.minSize`, desired: `${key}.desiredCapacity`, max: `${key}.maxSize` };
      for (const p of capacityProblems(minSize, desiredCapacity, maxSize, names)) {
        ctx.addIssue({ code: "custom", path: [group, fields[p.field]], message: p.message });
      }
    }
    if (s.spot.warmPool !== undefined) ctx.addIssue({ code: "custom", path: ["spot", "warmPool"], message: `is not allowed: ${WARM_POOL_RESTRICTION} (stacks.webFleet.base.warmPool)` });
    // Both groups launch the fleet's image: every type must run its architecture.
    const image = defaultFleetImage();
    const mismatch = (type: string) => image.architecture && architectureProblem(type, image.architecture, image.description);
    const baseProblem = mismatch(s.base.instanceType);
    if (baseProblem) ctx.addIssue({ code: "custom", path: ["base", "instanceType"], message: baseProblem });
    s.spot.instanceTypes.forEach((type, i) => {
      const problem = s.spot.enabled ? mismatch(type) : undefined;
      if (problem) ctx.addIssue({ code: "custom", path: ["spot", "instanceTypes", i], message: problem });
    });
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
