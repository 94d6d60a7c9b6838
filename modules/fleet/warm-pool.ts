import type { AutoscalingGroupWarmPool } from "@cdktf/provider-aws/lib/autoscaling-group";
import { assertIntInRange } from "../core/validate";

/** State of the instances waiting in a warm pool. */
export enum PoolState {
  /**
   * Stopped after setup: you pay EBS only (no instance hours), and a start
   * takes seconds instead of a full boot and setup.
   */
  STOPPED = "Stopped",
  /** Running: instant, billed like any running instance. */
  RUNNING = "Running",
  /** Hibernated (RAM saved to the encrypted root volume); the instance type and AMI must support hibernation. */
  HIBERNATED = "Hibernated",
}

/** Default warm pool of the base group: the warm-pool blog's `min_size = 1`, Stopped. */
export const DEFAULT_WARM_POOL_MIN_SIZE = 1;
/** Pool instances wait Stopped: EBS cost only. */
export const DEFAULT_POOL_STATE = PoolState.STOPPED;
/** Instances go back into the pool on scale-in. */
export const DEFAULT_REUSE_ON_SCALE_IN = true;

export interface WarmPoolOptions {
  /** Instances kept in the pool even when the group is at max. @default 1 */
  readonly minSize?: number;
  /**
   * Upper bound of group + pool ("max prepared capacity"). @default unset:
   * the group's maxSize, so the pool holds maxSize - desired instances
   */
  readonly maxGroupPreparedCapacity?: number;
  /** @default PoolState.STOPPED (cost: EBS only while waiting) */
  readonly poolState?: PoolState;
  /** Put instances back into the pool on scale-in instead of terminating them. @default true */
  readonly reuseOnScaleIn?: boolean;
}

/**
 * The AWS restriction, cited in synth errors: "You can't add a warm pool to
 * an Auto Scaling group that has a mixed instances policy or a launch
 * template or launch configuration that requests Spot Instances."
 */
export const WARM_POOL_RESTRICTION =
  "AWS refuses a warm pool on an Auto Scaling group that has a mixed instances policy or a launch template requesting Spot " +
  "Instances (PutWarmPool API reference, https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_PutWarmPool.html); " +
  "put the warm pool on an on-demand group and the Spot capacity in a second group behind the same target group";

/** Validates the options and renders the `warm_pool` block of `aws_autoscaling_group`. */
export function renderWarmPool(options: WarmPoolOptions): AutoscalingGroupWarmPool {
  const minSize = options.minSize ?? DEFAULT_WARM_POOL_MIN_SIZE;
  const prepared = options.maxGroupPreparedCapacity;
  const poolState = options.poolState ?? DEFAULT_POOL_STATE;
  const reuseOnScaleIn = options.reuseOnScaleIn ?? DEFAULT_REUSE_ON_SCALE_IN;

  assertIntInRange(minSize, 0, 10000, "warmPool.minSize");
  if (prepared !== undefined) {
    assertIntInRange(prepared, 0, 10000, "warmPool.maxGroupPreparedCapacity");
    if (minSize > prepared) {
      throw new Error(`warmPool.minSize (${minSize}) must be <= warmPool.maxGroupPreparedCapacity (${prepared})`);
    }
  }
  if (!Object.values(PoolState).includes(poolState)) {
    throw new Error(`warmPool.poolState ("${poolState}") must be one of ${Object.values(PoolState).join(", ")}`);
  }
  return {
    minSize,
    maxGroupPreparedCapacity: prepared,
    poolState,
    instanceReusePolicy: { reuseOnScaleIn },
  };
}
