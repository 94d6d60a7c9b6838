import { Construct } from "constructs";
import { physicalName } from "../core/names";
import { Lazy } from "cdktf";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbListenerRule } from "@cdktf/provider-aws/lib/lb-listener-rule";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { INetwork, SubnetSelection, SubnetType } from "../network/network";
import { SecurityGroup } from "../network/security-group";
import { Peer, Port } from "../network/peer";
import { assertIntInRange } from "../core/validate";
import { regionOf } from "../core/context";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { SecureBucket } from "../storage/secure-bucket";
import { suppress } from "../policy/suppress";

export interface HealthCheckOptions {
  /** @default "/" */
  readonly path?: string;
  /** HTTP codes that count as healthy. @default "200-399" */
  readonly matcher?: string;
  /** Seconds between checks. @default 15 */
  readonly intervalSeconds?: number;
  /** @default 2 */
  readonly healthyThreshold?: number;
  /** @default 3 */
  readonly unhealthyThreshold?: number;
}

export interface TargetGroupOptions {
  /** Port targets listen on (`traffic-port` is used for health checks). */
  readonly port: number;
  /** `ip` for awsvpc tasks, `instance` for bridge-mode tasks (dynamic host ports). */
  readonly targetType: "ip" | "instance";
  readonly healthCheck?: HealthCheckOptions;
  /** Seconds a draining target keeps its connections. @default 30 (stateless web tasks) */
  readonly deregistrationDelaySeconds?: number;
}

export interface RouteOptions {
  /** Path patterns, e.g. `["/cats", "/cats/*"]`. */
  readonly pathPatterns: readonly string[];
  /** Rule priority (1..50000), lower first. */
  readonly priority: number;
}

export interface ApplicationLoadBalancerProps {
  readonly network: INetwork;
  /** Subnets of the load balancer (at least two zones). @default the PUBLIC subnets */
  readonly subnets?: SubnetSelection;
  /** Load balancer name, up to 32 characters. @default derived from the construct path */
  readonly name?: string;
  /** @default 60 */
  readonly idleTimeoutSeconds?: number;
  /**
   * ACM certificate for an HTTPS listener on 443; port 80 then only
   * redirects to HTTPS. @default none (HTTP only: fine for a workshop, not for real users)
   */
  readonly certificateArn?: string;
  /** Refuse `terraform destroy` of the load balancer. @default false (course stacks are torn down) */
  readonly deletionProtection?: boolean;
  /** Where requests that match no route go. @default a fixed 404 (or {@link ApplicationLoadBalancer.setDefaultTargetGroup}) */
  readonly defaultTargetGroupArn?: string;
  /**
   * Access logs (one line per request) into a bucket of this construct:
   * SSE-S3 (the only encryption ALB log delivery supports), private, TLS-only,
   * writable by the region's ELB log-delivery principal only, objects expired
   * after {@link accessLogRetentionDays}, `force_destroy` so destroy removes it.
   * Cost: S3 storage (~0.025 USD per GB-month) of a week of logs, a few
   * cents for a course; ALB log delivery itself is free.
   * @default true
   */
  readonly accessLogs?: boolean;
  /** Days access log objects are kept. @default 7 */
  readonly accessLogRetentionDays?: number;
}

/**
 * Why a load balancer in `region` cannot use `certificateArn`, or
 * `undefined`: ACM certificates are regional, and an ALB takes only
 * certificates of its own region (IAM server certificates are global).
 */
export function certificateRegionProblem(certificateArn: string, region: string): string | undefined {
  const m = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):/.exec(certificateArn);
  if (!m || m[1] === region) return undefined;
  return (
    `is an ACM certificate in ${m[1]}, but the load balancer is in ${region}; ` +
    `a load balancer uses certificates of its own region only: request or import one in ${region}`
  );
}

/** TLS 1.3 with TLS 1.2 fallback (the current ELB recommendation). */
export const DEFAULT_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/** Access logs on, kept a week. */
export const DEFAULT_ALB_ACCESS_LOGS = true;
export const DEFAULT_ALB_ACCESS_LOG_RETENTION_DAYS = 7;
/** Objects under this prefix of the log bucket. */
export const ALB_ACCESS_LOG_PREFIX = "alb";

/**
 * The Elastic Load Balancing account of each region that delivers access
 * logs (regions opened before August 2022; Elastic Load Balancing user
 * guide, "Enable access logs"). Newer regions use the log-delivery service
 * principal {@link ELB_LOG_DELIVERY_SERVICE}.
 */
export const ELB_LOG_DELIVERY_ACCOUNTS: Readonly<Record<string, string>> = {
  "us-east-1": "127311923021",
  "us-east-2": "033677994240",
  "us-west-1": "027434742980",
  "us-west-2": "797873946194",
  "af-south-1": "098369216593",
  "ap-east-1": "754344448648",
  "ap-southeast-3": "589379963580",
  "ap-south-1": "718504428378",
  "ap-northeast-3": "383597477331",
  "ap-northeast-2": "600734575887",
  "ap-southeast-1": "114774131450",
  "ap-southeast-2": "783225319266",
  "ap-northeast-1": "582318560864",
  "ca-central-1": "985666609251",
  "eu-central-1": "054676820928",
  "eu-west-1": "156460612806",
  "eu-west-2": "652711504416",
  "eu-south-1": "635631232127",
  "eu-west-3": "009996457667",
  "eu-north-1": "897822967062",
  "me-south-1": "076674570225",
  "sa-east-1": "507241528517",
  "us-gov-west-1": "048591011584",
  "us-gov-east-1": "190560391635",
};
export const ELB_LOG_DELIVERY_SERVICE = "logdelivery.elasticloadbalancing.amazonaws.com";

/** Who writes ALB access logs in `region`: the region's ELB account, else (newer regions, or unknown) the service principal. */
export function elbLogDeliveryPrincipal(region: string | undefined): { type: "AWS" | "Service"; identifier: string } {
  const account = region ? ELB_LOG_DELIVERY_ACCOUNTS[region] : undefined;
  const partition = region?.startsWith("us-gov-") ? "aws-us-gov" : "aws";
  return account ? { type: "AWS", identifier: `arn:${partition}:iam::${account}:root` } : { type: "Service", identifier: ELB_LOG_DELIVERY_SERVICE };
}

/** Course stacks are torn down: no deletion protection. */
export const DEFAULT_LOAD_BALANCER_DELETION_PROTECTION = false;

/**
 * An internet-facing Application Load Balancer: an HTTP listener on port 80,
 * or with `certificateArn` an HTTPS listener on 443 and port 80 redirecting
 * to it; invalid header fields dropped; its own
 * security group (80 from anywhere in; out only to what it is connected
 * to), target groups and path routes. Requests that match no route get the
 * default target group, or a fixed 404 when none is set.
 *
 * Cost: about 0.0243 USD/h in ap-northeast-1 plus LCUs (2026-11 prices).
 *
 * Used by the web fleet (one default target group) and the ECS stacks
 * (target groups per service, path routes).
 */
export class ApplicationLoadBalancer extends Construct {
  readonly resource: Lb;
  /** The listener that routes to targets (HTTPS with a certificate, else HTTP). */
  readonly listener: LbListener;
  /** The port-80 listener that redirects to HTTPS, when a certificate is given. */
  readonly redirectListener?: LbListener;
  readonly securityGroup: SecurityGroup;
  readonly network: INetwork;
  /** The access log bucket, when access logs are on. */
  readonly accessLogBucket?: S3Bucket;
  private defaultTargetArn?: string;
  private readonly priorities = new Set<number>();

  constructor(scope: Construct, id: string, props: ApplicationLoadBalancerProps) {
    super(scope, id);
    this.network = props.network;
    this.defaultTargetArn = props.defaultTargetGroupArn;
    const name = props.name ?? physicalName(this, { maxLength: 32, disallowed: /[^A-Za-z0-9-]/g }).replace(/^-+|-+$/g, "");
    const certificateArn = props.certificateArn;
    const idle = props.idleTimeoutSeconds ?? 60;
    const accessLogs = props.accessLogs ?? DEFAULT_ALB_ACCESS_LOGS;
    const logDays = props.accessLogRetentionDays ?? DEFAULT_ALB_ACCESS_LOG_RETENTION_DAYS;
    if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/.test(name) || name.startsWith("internal-")) {
      throw new Error(`name ("${name}") must be 1-32 letters, digits or hyphens, not starting or ending with a hyphen`);
    }
    assertIntInRange(idle, 1, 4000, "idleTimeoutSeconds");
    assertIntInRange(logDays, 1, 3650, "accessLogRetentionDays");
    if (certificateArn !== undefined && !/^arn:aws[a-z-]*:(acm|iam):/.test(certificateArn) && !certificateArn.startsWith("${")) {
      throw new Error(`certificateArn ("${certificateArn}") must be an ACM or IAM certificate ARN`);
    }
    const region = regionOf(this);
    const regionProblem = certificateArn !== undefined && region !== undefined ? certificateRegionProblem(certificateArn, region) : undefined;
    if (regionProblem) throw new Error(`certificateArn ("${certificateArn}") ${regionProblem}`);
    const subnetIds = props.network.selectSubnetIds(props.subnets ?? { subnetType: SubnetType.PUBLIC });
    if (subnetIds.length < 2) {
      throw new Error(`subnets (${subnetIds.length} subnet) must span at least two availability zones (an ALB needs two)`);
    }

    this.securityGroup = new SecurityGroup(this, "SecurityGroup", {
      network: props.network,
      description: `Load balancer ${name}: web traffic in from anywhere`,
      allowAllOutbound: false,
    });
    this.securityGroup.allowFrom(Peer.anyIpv4(), Port.tcp(80), "HTTP from the internet");
    if (props.certificateArn) this.securityGroup.allowFrom(Peer.anyIpv4(), Port.tcp(443), "HTTPS from the internet");

    const logPolicy = accessLogs ? this.addAccessLogBucket(logDays, region) : undefined;
    this.resource = new Lb(this, "Resource", {
      name,
      internal: false,
      loadBalancerType: "application",
      securityGroups: [this.securityGroup.securityGroupId],
      subnets: subnetIds,
      dropInvalidHeaderFields: true,
      idleTimeout: idle,
      enableDeletionProtection: props.deletionProtection ?? DEFAULT_LOAD_BALANCER_DELETION_PROTECTION,
      accessLogs: this.accessLogBucket ? { enabled: true, bucket: this.accessLogBucket.bucket, prefix: ALB_ACCESS_LOG_PREFIX } : undefined,
      // ELB checks that it may write to the bucket when logging is turned on.
      dependsOn: logPolicy ? [logPolicy] : undefined,
    });
    if (!certificateArn) {
      suppress(
        this.resource,
        "ALB-HTTP-ONLY",
        "no certificateArn given: a course target without a domain name has no certificate to serve; give one for HTTPS on 443 (TLS 1.2+) with port 80 redirecting",
      );
    }
    const forward = Lazy.anyValue({
      produce: () =>
        this.defaultTargetArn
          ? [{ type: "forward", target_group_arn: this.defaultTargetArn }]
          : [{ type: "fixed-response", fixed_response: [{ content_type: "text/plain", message_body: "Not found", status_code: "404" }] }],
    }) as never;
    if (props.certificateArn) {
      this.listener = new LbListener(this, "HttpsListener", {
        loadBalancerArn: this.resource.arn,
        port: 443,
        protocol: "HTTPS",
        certificateArn: props.certificateArn,
        sslPolicy: DEFAULT_SSL_POLICY,
        defaultAction: forward,
      });
      this.redirectListener = new LbListener(this, "HttpListener", {
        loadBalancerArn: this.resource.arn,
        port: 80,
        protocol: "HTTP",
        defaultAction: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
      });
    } else {
      this.listener = new LbListener(this, "HttpListener", {
        loadBalancerArn: this.resource.arn,
        port: 80,
        protocol: "HTTP",
        defaultAction: forward,
      });
    }
  }

  /** The log bucket, a {@link SecureBucket} `AccessLogs` (its parts' ids are Terraform addresses). */
  private addAccessLogBucket(days: number, region: string | undefined): S3BucketPolicy {
    const logs = new SecureBucket(this, "AccessLogs", {
      forceDestroy: true,
      // ALB log delivery supports SSE-S3 only (no KMS keys).
      bucketKey: false,
      lifecycleRules: [
        {
          id: "expire-access-logs",
          status: "Enabled",
          filter: [{ prefix: "" }],
          expiration: [{ days }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 1 }],
        },
      ],
    });
    (this as { accessLogBucket?: S3Bucket }).accessLogBucket = logs.bucket;
    const principal = elbLogDeliveryPrincipal(region);
    logs.addToResourcePolicy({
      sid: "ElbLogDelivery",
      effect: "Allow",
      actions: ["s3:PutObject"],
      principals: [{ type: principal.type, identifiers: [principal.identifier] }],
      resources: [`${logs.bucketArn}/${ALB_ACCESS_LOG_PREFIX}/AWSLogs/*`],
    });
    return logs.policy;
  }

  /** `http://<dns>`, or `https://<dns>` with a certificate (point your DNS name at it). */
  get url(): string {
    return `${this.redirectListener ? "https" : "http"}://${this.resource.dnsName}`;
  }

  get dnsName(): string {
    return this.resource.dnsName;
  }

  /** `app/<name>/<id>`: the load balancer part of `ALBRequestCountPerTarget`'s resource label. */
  get arnSuffix(): string {
    return this.resource.arnSuffix;
  }

  /** A target group in the load balancer's VPC; created under `scope` (its owner). */
  addTargetGroup(scope: Construct, id: string, options: TargetGroupOptions): LbTargetGroup {
    const hc = options.healthCheck ?? {};
    const delay = options.deregistrationDelaySeconds ?? 30;
    assertIntInRange(options.port, 1, 65535, "port");
    assertIntInRange(delay, 0, 3600, "deregistrationDelaySeconds");
    const path = hc.path ?? "/";
    if (!path.startsWith("/")) throw new Error(`healthCheck.path ("${path}") must start with /`);
    return new LbTargetGroup(scope, id, {
      namePrefix: `${id.replace(/[^A-Za-z0-9]/g, "").slice(0, 5).toLowerCase() || "tg"}-`,
      port: options.port,
      protocol: "HTTP",
      targetType: options.targetType,
      vpcId: this.network.vpcId,
      deregistrationDelay: String(delay),
      healthCheck: {
        enabled: true,
        path,
        port: "traffic-port",
        protocol: "HTTP",
        matcher: hc.matcher ?? "200-399",
        interval: hc.intervalSeconds ?? 15,
        healthyThreshold: hc.healthyThreshold ?? 2,
        unhealthyThreshold: hc.unhealthyThreshold ?? 3,
        timeout: 5,
      },
      lifecycle: { createBeforeDestroy: true },
    });
  }

  /** Sends requests that match no path route to the target group. */
  setDefaultTargetGroup(targetGroup: LbTargetGroup | { readonly targetGroupArn: string }): void {
    if (this.defaultTargetArn) throw new Error(`${this.node.path}: the default target group is already set`);
    this.defaultTargetArn = "targetGroupArn" in targetGroup ? targetGroup.targetGroupArn : targetGroup.arn;
  }

  /** Forwards requests whose path matches to `targetGroup` (rule created under `scope`). */
  addRoute(scope: Construct, id: string, targetGroup: LbTargetGroup, options: RouteOptions): LbListenerRule {
    assertIntInRange(options.priority, 1, 50000, "priority");
    if (this.priorities.has(options.priority)) throw new Error(`priority (${options.priority}) is already used by another route`);
    if (options.pathPatterns.length === 0 || options.pathPatterns.length > 5) {
      throw new Error(`pathPatterns (${options.pathPatterns.length}) must hold 1 to 5 patterns`);
    }
    this.priorities.add(options.priority);
    return new LbListenerRule(scope, id, {
      listenerArn: this.listener.arn,
      priority: options.priority,
      action: [{ type: "forward", targetGroupArn: targetGroup.arn }],
      condition: [{ pathPattern: { values: [...options.pathPatterns] } }],
    });
  }

  /** Lets the load balancer reach `targets` on `port` (both security group rules). */
  connectTo(targets: SecurityGroup, port: Port, description: string): void {
    this.securityGroup.allowTo(Peer.securityGroup(targets), port, description);
    targets.allowFrom(Peer.securityGroup(this.securityGroup), port, description);
  }
}
