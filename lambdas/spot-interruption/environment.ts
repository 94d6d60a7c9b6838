/**
 * The environment contract of the Spot interruption handler: the variable
 * names modules/fleet/spot-interruption-handler.ts sets and
 * lambdas/spot-interruption/index.ts reads (tools/iam-roles.ts scopes the
 * role's Auto Scaling actions by `groupNames`). Plain data: no cdktf, no SDK.
 */
export const SPOT_INTERRUPTION_ENV = {
  /** The fleet's Spot Auto Scaling group names, comma-separated: the only groups the handler touches. */
  groupNames: "FLEET_GROUP_NAMES",
  /** `"true"` / `"false"`: DetachInstances' ShouldDecrementDesiredCapacity. */
  decrementDesiredCapacity: "DECREMENT_DESIRED_CAPACITY",
} as const;
