import { Construct } from "constructs";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { INetwork } from "../network/network";
import { assertIntInRange } from "../core/validate";

/** The Spot two-minute interruption notice: a draining instance finishes its requests before it goes. */
export const DEFAULT_DEREGISTRATION_DELAY_SECONDS = 120;

/** Target health check (HTTP on the traffic port). */
export interface HealthCheckOptions {
  /** @default "/" */
  readonly path?: string;
  /** HTTP codes that count as healthy. @default "200" */
  readonly matcher?: string;
  /** Seconds between checks, 5..300. @default 15 */
  readonly intervalSeconds?: number;
  /** Seconds without a response that fail a check, 2..120, less than the interval. @default 5 */
  readonly timeoutSeconds?: number;
  /** Consecutive successes before a target is healthy, 2..10. @default 2 */
  readonly healthyThreshold?: number;
  /** Consecutive failures before a target is unhealthy, 2..10. @default 3 */
  readonly unhealthyThreshold?: number;
}

/** The health check when none is given: `GET /` answering 200, every 15 s. */
export const DEFAULT_HEALTH_CHECK: Readonly<Required<HealthCheckOptions>> = {
  path: "/",
  matcher: "200",
  intervalSeconds: 15,
  timeoutSeconds: 5,
  healthyThreshold: 2,
  unhealthyThreshold: 3,
};

export interface WebTargetGroupProps {
  readonly network: INetwork;
  /** Port the instances serve HTTP on. @default 8080 */
  readonly port?: number;
  readonly healthCheck?: HealthCheckOptions;
  /** Seconds a deregistering target keeps serving in-flight requests, 0..3600. @default 120 (the Spot notice) */
  readonly deregistrationDelaySeconds?: number;
}

/** The narrow view the groups and scaling policies take. */
export interface ITargetGroup {
  readonly targetGroupArn: string;
  /** `targetgroup/<name>/<id>`: the second half of `ALBRequestCountPerTarget`'s resource label. */
  readonly arnSuffix: string;
}

/** An HTTP instance target group with a typed health check. */
export class WebTargetGroup extends Construct implements ITargetGroup {
  readonly resource: LbTargetGroup;
  readonly port: number;

  constructor(scope: Construct, id: string, props: WebTargetGroupProps) {
    super(scope, id);
    const hc = props.healthCheck ?? {};
    const port = props.port ?? 8080;
    const delay = props.deregistrationDelaySeconds ?? DEFAULT_DEREGISTRATION_DELAY_SECONDS;
    const path = hc.path ?? DEFAULT_HEALTH_CHECK.path;
    const interval = hc.intervalSeconds ?? DEFAULT_HEALTH_CHECK.intervalSeconds;
    const timeout = hc.timeoutSeconds ?? DEFAULT_HEALTH_CHECK.timeoutSeconds;
    const healthy = hc.healthyThreshold ?? DEFAULT_HEALTH_CHECK.healthyThreshold;
    const unhealthy = hc.unhealthyThreshold ?? DEFAULT_HEALTH_CHECK.unhealthyThreshold;
    const matcher = hc.matcher ?? DEFAULT_HEALTH_CHECK.matcher;

    assertIntInRange(port, 1, 65535, "port");
    assertIntInRange(delay, 0, 3600, "deregistrationDelaySeconds");
    if (!path.startsWith("/") || path.length > 1024) throw new Error(`healthCheck.path ("${path}") must start with / (at most 1024 characters)`);
    assertIntInRange(interval, 5, 300, "healthCheck.intervalSeconds");
    assertIntInRange(timeout, 2, 120, "healthCheck.timeoutSeconds");
    if (timeout >= interval) throw new Error(`healthCheck.timeoutSeconds (${timeout}) must be < healthCheck.intervalSeconds (${interval})`);
    assertIntInRange(healthy, 2, 10, "healthCheck.healthyThreshold");
    assertIntInRange(unhealthy, 2, 10, "healthCheck.unhealthyThreshold");
    if (!/^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$/.test(matcher)) {
      throw new Error(`healthCheck.matcher ("${matcher}") must be HTTP codes like 200, 200,302 or 200-299`);
    }

    this.port = port;
    this.resource = new LbTargetGroup(this, "Resource", {
      namePrefix: "web-",
      port,
      protocol: "HTTP",
      targetType: "instance",
      vpcId: props.network.vpcId,
      deregistrationDelay: String(delay),
      healthCheck: {
        enabled: true,
        protocol: "HTTP",
        port: "traffic-port",
        path,
        matcher,
        interval,
        timeout,
        healthyThreshold: healthy,
        unhealthyThreshold: unhealthy,
      },
      lifecycle: { createBeforeDestroy: true },
    });
  }

  get targetGroupArn(): string {
    return this.resource.arn;
  }

  get arnSuffix(): string {
    return this.resource.arnSuffix;
  }
}
