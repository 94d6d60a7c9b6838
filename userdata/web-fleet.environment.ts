/**
 * The environment contract of userdata/web-fleet.sh: the variable names
 * modules/fleet/web-fleet.ts exports above the script and the script reads
 * (tools/iam-roles.ts scopes the instance role's lifecycle-hook calls by
 * `asgName` and `lifecycleHookName`). Plain data: no cdktf, no SDK.
 */
export const WEB_FLEET_SCRIPT_ENV = {
  /** The port the app listens on (the target group's port). */
  appPort: "APP_PORT",
  /** The instance's Auto Scaling group; empty: no lifecycle hook to complete. */
  asgName: "ASG_NAME",
  /** The launch lifecycle hook to complete; empty: no hook, no AWS call at all. */
  lifecycleHookName: "LIFECYCLE_HOOK_NAME",
  /** `none` | `pytorch-cpu`: what the script installs. */
  setup: "SETUP",
  /** `base` | `spot`: which group the instance belongs to (shown by the app). */
  groupRole: "GROUP_ROLE",
  /** Seconds between lifecycle heartbeats (a third of the hook's timeout). */
  heartbeatSeconds: "HEARTBEAT_SECONDS",
} as const;
