/**
 * Spot interruption handler (EC2 Spot workshop): on an "EC2 Spot Instance
 * Interruption Warning", detach the instance from its Auto Scaling group, so
 * the group launches a replacement now and the target group drains the
 * doomed instance during its two-minute notice (EC2 then terminates it).
 *
 * On an "EC2 Instance Rebalance Recommendation" (when the rule asks for
 * them) nothing will terminate the instance for us, so a detached instance
 * would run (and bill) forever: the handler calls
 * TerminateInstanceInAutoScalingGroup instead, which also drains it and
 * launches a replacement unless desired capacity is decremented.
 *
 * - Only instances of the fleet's Spot groups (`FLEET_GROUP_NAMES`, comma-separated) are
 *   touched; the role may detach from those groups' ARNs only.
 * - `DECREMENT_DESIRED_CAPACITY` ("true"/"false", default false) is DetachInstances' ShouldDecrementDesiredCapacity.
 * - Idempotent: an instance already detached, leaving, or gone is a success, not an error.
 * - Throttling is retried with exponential backoff and full jitter; other
 *   errors are thrown, so Lambda's asynchronous retries and then the
 *   dead-letter queue take over.
 * - A malformed event is logged and ignored (retrying it cannot help).
 */
import { SPOT_INTERRUPTION_ENV } from "./environment";
import { AutoScaling } from "../lib/aws/autoscaling";

export const SPOT_INTERRUPTION_WARNING = "EC2 Spot Instance Interruption Warning";
export const REBALANCE_RECOMMENDATION = "EC2 Instance Rebalance Recommendation";
export const HANDLED_DETAIL_TYPES = [SPOT_INTERRUPTION_WARNING, REBALANCE_RECOMMENDATION] as const;

/** Lifecycle states DetachInstances accepts. */
const DETACHABLE_STATES = ["InService", "Standby"];
const INSTANCE_ID = /^i-[0-9a-f]{8,17}$/;
const THROTTLING_CODES = ["Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequestsException", "SlowDown"];

export const DEFAULT_MAX_ATTEMPTS = 6;
export const DEFAULT_BASE_DELAY_MS = 200;
export const MAX_DELAY_MS = 5000;

/** What EventBridge delivers (only the fields the handler reads). */
export interface Ec2InstanceEvent {
  readonly source?: unknown;
  readonly "detail-type"?: unknown;
  readonly detail?: { readonly "instance-id"?: unknown; readonly "instance-action"?: unknown } | null;
}

export type Outcome =
  | { readonly status: "detached" | "terminated"; readonly instanceId: string; readonly groupName: string; readonly decremented: boolean }
  | { readonly status: "ignored"; readonly reason: string; readonly instanceId?: string };

export interface HandlerDeps {
  readonly client?: AutoScaling;
  /** Group names the handler may detach from. @default FLEET_GROUP_NAMES */
  readonly groupNames?: readonly string[];
  /** @default DECREMENT_DESIRED_CAPACITY === "true" */
  readonly decrementDesiredCapacity?: boolean;
  /** @default 6 */
  readonly maxAttempts?: number;
  /** @default 200 */
  readonly baseDelayMs?: number;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Uniform in [0, 1), for the jitter. @default Math.random */
  readonly random?: () => number;
  /** @default console */
  readonly logger?: Pick<Console, "log" | "warn" | "error">;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Why the event cannot be handled, or the instance id. */
export function parseEvent(event: unknown): { instanceId: string; detailType: string } | { problem: string } {
  if (!event || typeof event !== "object") return { problem: "event is not an object" };
  const e = event as Ec2InstanceEvent;
  if (e.source !== "aws.ec2") return { problem: `source (${JSON.stringify(e.source)}) is not "aws.ec2"` };
  const detailType = e["detail-type"];
  if (typeof detailType !== "string" || !(HANDLED_DETAIL_TYPES as readonly string[]).includes(detailType)) {
    return { problem: `detail-type (${JSON.stringify(detailType)}) is not one of ${HANDLED_DETAIL_TYPES.join(", ")}` };
  }
  const instanceId = e.detail && typeof e.detail === "object" ? e.detail["instance-id"] : undefined;
  if (typeof instanceId !== "string" || !INSTANCE_ID.test(instanceId)) {
    return { problem: `detail.instance-id (${JSON.stringify(instanceId)}) is not an instance id like i-0123456789abcdef0` };
  }
  return { instanceId, detailType };
}

/** True for throttling errors of lib/aws clients (and of AWS SDK v3 clients: same names, same `$metadata`). */
export function isThrottling(error: unknown): boolean {
  const e = error as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number }; $retryable?: { throttling?: boolean } };
  return (
    THROTTLING_CODES.includes(e?.name ?? "") ||
    THROTTLING_CODES.includes(e?.Code ?? "") ||
    e?.$metadata?.httpStatusCode === 429 ||
    e?.$retryable?.throttling === true
  );
}

/** True when DetachInstances says the instance is no longer (or not yet) detachable: already handled. */
function isAlreadyGone(error: unknown): boolean {
  const e = error as { name?: string; message?: string };
  return e?.name === "ValidationError" && /not part of Auto Scaling group|not in InService or Standby|not found|does not exist/i.test(e.message ?? "");
}

/** Environment -> group names (comma-separated, blanks dropped). */
export function groupNamesFromEnv(value: string | undefined): string[] {
  return (value ?? "").split(",").map((s) => s.trim()).filter(Boolean);
}

export function makeHandler(deps: HandlerDeps = {}): (event: unknown) => Promise<Outcome> {
  // Made on the first event that needs it, not when the bundle loads (a shorter Lambda init); retries are ours (below).
  let client = deps.client;
  const asg = (): AutoScaling => (client ??= new AutoScaling({ maxAttempts: 1 }));
  const logger = deps.logger ?? console;
  const maxAttempts = deps.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const baseDelay = deps.baseDelayMs ?? DEFAULT_BASE_DELAY_MS;
  const sleep = deps.sleep ?? realSleep;
  const random = deps.random ?? Math.random;

  async function withRetries<T>(what: string, call: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        if (!isThrottling(error) || attempt >= maxAttempts) throw error;
        const delay = Math.floor(random() * Math.min(MAX_DELAY_MS, baseDelay * 2 ** (attempt - 1)));
        logger.warn(JSON.stringify({ level: "warn", message: `${what} throttled, retrying`, attempt, delayMs: delay }));
        await sleep(delay);
      }
    }
  }

  return async (event: unknown): Promise<Outcome> => {
    const groupNames = deps.groupNames ?? groupNamesFromEnv(process.env[SPOT_INTERRUPTION_ENV.groupNames]);
    const decrement = deps.decrementDesiredCapacity ?? process.env[SPOT_INTERRUPTION_ENV.decrementDesiredCapacity] === "true";
    const parsed = parseEvent(event);
    if ("problem" in parsed) {
      logger.error(JSON.stringify({ level: "error", message: "malformed event ignored", problem: parsed.problem, event }));
      return { status: "ignored", reason: parsed.problem };
    }
    const { instanceId, detailType } = parsed;

    const described = await withRetries("DescribeAutoScalingInstances", () =>
      asg().describeAutoScalingInstances({ InstanceIds: [instanceId] }),
    );
    const membership = described.AutoScalingInstances?.find((i) => i.InstanceId === instanceId);
    if (!membership?.AutoScalingGroupName) {
      logger.log(JSON.stringify({ level: "info", message: "instance is in no Auto Scaling group (already detached or not ours)", instanceId, detailType }));
      return { status: "ignored", reason: "not in an Auto Scaling group", instanceId };
    }
    const groupName = membership.AutoScalingGroupName;
    if (!groupNames.includes(groupName)) {
      logger.log(JSON.stringify({ level: "info", message: "instance belongs to a group outside the fleet", instanceId, groupName }));
      return { status: "ignored", reason: `group ${groupName} is not one of the fleet's groups`, instanceId };
    }
    const state = membership.LifecycleState ?? "";
    if (!DETACHABLE_STATES.includes(state)) {
      logger.log(JSON.stringify({ level: "info", message: "instance is not InService or Standby; nothing to detach", instanceId, groupName, state }));
      return { status: "ignored", reason: `lifecycle state ${state || "unknown"}`, instanceId };
    }

    const rebalance = detailType === REBALANCE_RECOMMENDATION;
    try {
      if (rebalance) {
        await withRetries("TerminateInstanceInAutoScalingGroup", () =>
          asg().terminateInstanceInAutoScalingGroup({ InstanceId: instanceId, ShouldDecrementDesiredCapacity: decrement }),
        );
      } else {
        await withRetries("DetachInstances", () =>
          asg().detachInstances({ AutoScalingGroupName: groupName, InstanceIds: [instanceId], ShouldDecrementDesiredCapacity: decrement }),
        );
      }
    } catch (error) {
      if (isAlreadyGone(error)) {
        logger.log(JSON.stringify({ level: "info", message: "instance already left the group", instanceId, groupName }));
        return { status: "ignored", reason: "already detached", instanceId };
      }
      throw error;
    }
    const status = rebalance ? "terminated" : "detached";
    logger.log(JSON.stringify({ level: "info", message: status, instanceId, groupName, detailType, decremented: decrement }));
    return { status, instanceId, groupName, decremented: decrement };
  };
}

export const handler = makeHandler();
