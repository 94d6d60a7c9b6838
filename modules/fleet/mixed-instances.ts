import type { AutoscalingGroupMixedInstancesPolicy } from "@cdktf/provider-aws/lib/autoscaling-group";
import { assertInstanceType } from "../compute/instance-type";
import { assertIntInRange } from "../core/validate";

/** How Auto Scaling picks Spot capacity pools (`spot_allocation_strategy`). */
export enum SpotAllocationStrategy {
  /** Pools with the lowest price among those least likely to be interrupted (AWS's recommendation). */
  PRICE_CAPACITY_OPTIMIZED = "price-capacity-optimized",
  /** Pools with the most spare capacity (fewest interruptions, price ignored). */
  CAPACITY_OPTIMIZED = "capacity-optimized",
  /** The cheapest `spotInstancePools` pools (the workshop's original setting; most interruptions). */
  LOWEST_PRICE = "lowest-price",
}

/**
 * The Spot workshop's nine instance types, with its three previous-generation
 * types (m4, c4, r4: Xen, older CPUs, shallower Spot pools, worse price per
 * vCPU) replaced by their current equivalents (m6i, c6i, r6i). All are
 * x86_64 with 2 vCPUs, so one AMI and one user data fit every type, and a
 * deep mix of families lets the allocation strategy dodge busy pools.
 */
export const DEFAULT_SPOT_INSTANCE_TYPES: readonly string[] = [
  "m5.large",
  "m5a.large",
  "m5n.large",
  "m5d.large",
  "m6i.large",
  "c5.large",
  "c6i.large",
  "r5.large",
  "r6i.large",
];

/** The workshop's `lowest-price` setting spread over 4 pools. */
export const DEFAULT_SPOT_INSTANCE_POOLS = 4;

/** AWS's recommended strategy. */
export const DEFAULT_SPOT_ALLOCATION_STRATEGY = SpotAllocationStrategy.PRICE_CAPACITY_OPTIMIZED;

/** No on-demand instances before the Spot ones. */
export const DEFAULT_ON_DEMAND_BASE_CAPACITY = 0;

/** All Spot above the on-demand base. */
export const DEFAULT_ON_DEMAND_PERCENTAGE_ABOVE_BASE_CAPACITY = 0;

export interface MixedInstancesOptions {
  /** Instance types the group may launch (at least one). @default DEFAULT_SPOT_INSTANCE_TYPES (9 types) */
  readonly instanceTypes?: readonly string[];
  /** @default SpotAllocationStrategy.PRICE_CAPACITY_OPTIMIZED */
  readonly spotAllocationStrategy?: SpotAllocationStrategy;
  /** Pools to spread over; only with LOWEST_PRICE (1..20). @default 4 with LOWEST_PRICE */
  readonly spotInstancePools?: number;
  /** On-demand instances before any Spot. Cost: on-demand is the full price. @default 0 */
  readonly onDemandBaseCapacity?: number;
  /** Percent on-demand above the base (0 = all Spot). @default 0 */
  readonly onDemandPercentageAboveBaseCapacity?: number;
}

/** True when the options may launch Spot instances at all. */
export function requestsSpot(options: MixedInstancesOptions): boolean {
  return (options.onDemandPercentageAboveBaseCapacity ?? DEFAULT_ON_DEMAND_PERCENTAGE_ABOVE_BASE_CAPACITY) < 100;
}

/** Validates the options and renders `mixed_instances_policy` for a launch template. */
export function renderMixedInstancesPolicy(
  options: MixedInstancesOptions,
  launchTemplate: { readonly id: string; readonly version: string },
): AutoscalingGroupMixedInstancesPolicy {
  const instanceTypes = options.instanceTypes ?? DEFAULT_SPOT_INSTANCE_TYPES;
  const strategy = options.spotAllocationStrategy ?? DEFAULT_SPOT_ALLOCATION_STRATEGY;
  const base = options.onDemandBaseCapacity ?? DEFAULT_ON_DEMAND_BASE_CAPACITY;
  const percent = options.onDemandPercentageAboveBaseCapacity ?? DEFAULT_ON_DEMAND_PERCENTAGE_ABOVE_BASE_CAPACITY;

  if (instanceTypes.length === 0) throw new Error("mixedInstances.instanceTypes ([]) must list at least one instance type");
  if (instanceTypes.length > 40) throw new Error(`mixedInstances.instanceTypes (${instanceTypes.length} types) must list at most 40`);
  instanceTypes.forEach((t, i) => assertInstanceType(t, `mixedInstances.instanceTypes[${i}]`));
  const duplicate = instanceTypes.find((t, i) => instanceTypes.indexOf(t) !== i);
  if (duplicate) throw new Error(`mixedInstances.instanceTypes lists "${duplicate}" twice`);
  if (!Object.values(SpotAllocationStrategy).includes(strategy)) {
    throw new Error(`mixedInstances.spotAllocationStrategy ("${strategy}") must be one of ${Object.values(SpotAllocationStrategy).join(", ")}`);
  }
  if (options.spotInstancePools !== undefined && strategy !== SpotAllocationStrategy.LOWEST_PRICE) {
    throw new Error(
      `mixedInstances.spotInstancePools (${options.spotInstancePools}) applies only to spotAllocationStrategy "lowest-price", not "${strategy}"`,
    );
  }
  const pools = strategy === SpotAllocationStrategy.LOWEST_PRICE ? (options.spotInstancePools ?? DEFAULT_SPOT_INSTANCE_POOLS) : undefined;
  if (pools !== undefined) assertIntInRange(pools, 1, 20, "mixedInstances.spotInstancePools");
  assertIntInRange(base, 0, 10000, "mixedInstances.onDemandBaseCapacity");
  assertIntInRange(percent, 0, 100, "mixedInstances.onDemandPercentageAboveBaseCapacity");

  return {
    instancesDistribution: {
      onDemandBaseCapacity: base,
      onDemandPercentageAboveBaseCapacity: percent,
      onDemandAllocationStrategy: "prioritized",
      spotAllocationStrategy: strategy,
      spotInstancePools: pools,
    },
    launchTemplate: {
      launchTemplateSpecification: { launchTemplateId: launchTemplate.id, version: launchTemplate.version },
      override: instanceTypes.map((instanceType) => ({ instanceType })),
    },
  };
}
