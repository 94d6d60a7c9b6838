import { Construct } from "constructs";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { INetwork, SubnetSelection, SubnetType } from "../network/network";
import { SecurityGroup } from "../network/security-group";
import { Peer, Port } from "../network/peer";
import { suppress } from "../policy/suppress";
import { ITargetGroup } from "./target-group";
import { assertIntInRange } from "./validate";

/** TLS 1.3 with TLS 1.2 fallback (the current ELB recommendation). */
export const DEFAULT_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

export interface WebLoadBalancerProps {
  readonly network: INetwork;
  /** Where requests go. */
  readonly targetGroup: ITargetGroup;
  /** Subnets of the load balancer (two zones at least). @default the PUBLIC subnets */
  readonly subnets?: SubnetSelection;
  /** Load balancer name, 1-32 letters, digits or hyphens. @default derived from the construct path */
  readonly name?: string;
  /**
   * ACM certificate ARN: adds an HTTPS listener on 443 (TLS 1.3/1.2 policy)
   * and turns port 80 into a redirect to HTTPS. @default none (HTTP only)
   */
  readonly certificateArn?: string;
  /** Refuse `terraform destroy` of the load balancer. @default false (course stacks are torn down) */
  readonly deletionProtection?: boolean;
  /** @default 60 */
  readonly idleTimeoutSeconds?: number;
}

/**
 * An internet-facing Application Load Balancer with its own security group
 * (80, and 443 with a certificate, from anywhere: the only world-open
 * ingress of the fleet), invalid header fields dropped, an HTTP listener
 * forwarding to the target group, or with `certificateArn` an HTTPS listener
 * and an HTTP->HTTPS redirect.
 *
 * Cost: about 0.0243 USD/h in ap-northeast-1 plus LCUs (prices of 2026-11).
 */
export class WebLoadBalancer extends Construct {
  readonly resource: Lb;
  readonly securityGroup: SecurityGroup;
  readonly httpListener: LbListener;
  readonly httpsListener?: LbListener;

  constructor(scope: Construct, id: string, props: WebLoadBalancerProps) {
    super(scope, id);
    const name = props.name ?? this.node.path.replace(/[^A-Za-z0-9]+/g, "-").slice(-32).replace(/^-+|-+$/g, "");
    const idle = props.idleTimeoutSeconds ?? 60;
    const certificateArn = props.certificateArn;

    if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/.test(name) || name.startsWith("internal-")) {
      throw new Error(`name ("${name}") must be 1-32 letters, digits or hyphens, not starting or ending with a hyphen`);
    }
    assertIntInRange(idle, 1, 4000, "idleTimeoutSeconds");
    if (certificateArn !== undefined && !/^arn:aws[a-z-]*:(acm|iam):/.test(certificateArn) && !certificateArn.startsWith("${")) {
      throw new Error(`certificateArn ("${certificateArn}") must be an ACM or IAM certificate ARN`);
    }
    const subnetIds = props.network.selectSubnetIds(props.subnets ?? { subnetType: SubnetType.PUBLIC });
    if (subnetIds.length < 2) {
      throw new Error(`subnets (${subnetIds.length} subnet) must span at least two availability zones: an ALB needs two`);
    }

    this.securityGroup = new SecurityGroup(this, "SecurityGroup", {
      network: props.network,
      description: `Load balancer ${name}: web traffic from anywhere`,
      allowAllOutbound: false,
    });
    this.securityGroup.allowFrom(Peer.anyIpv4(), Port.tcp(80), "HTTP from the internet");
    if (certificateArn) this.securityGroup.allowFrom(Peer.anyIpv4(), Port.tcp(443), "HTTPS from the internet");

    this.resource = new Lb(this, "Resource", {
      name,
      internal: false,
      loadBalancerType: "application",
      subnets: subnetIds,
      securityGroups: [this.securityGroup.securityGroupId],
      dropInvalidHeaderFields: true,
      enableDeletionProtection: props.deletionProtection ?? false,
      idleTimeout: idle,
    });
    suppress(
      this.resource,
      "ALB-ACCESS-LOGS",
      "course fleet torn down after the lab: access logs would need an S3 bucket emptied before destroy",
    );

    const forward = [{ type: "forward", targetGroupArn: props.targetGroup.targetGroupArn }];
    if (certificateArn) {
      this.httpsListener = new LbListener(this, "HttpsListener", {
        loadBalancerArn: this.resource.arn,
        port: 443,
        protocol: "HTTPS",
        sslPolicy: DEFAULT_SSL_POLICY,
        certificateArn,
        defaultAction: forward,
      });
    }
    this.httpListener = new LbListener(this, "HttpListener", {
      loadBalancerArn: this.resource.arn,
      port: 80,
      protocol: "HTTP",
      defaultAction: certificateArn
        ? [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }]
        : forward,
    });
  }

  /** `http://<dns>` or `https://<dns>` (with a certificate: the name on it is yours to point at the DNS name). */
  get url(): string {
    return `${this.httpsListener ? "https" : "http"}://${this.resource.dnsName}`;
  }

  get dnsName(): string {
    return this.resource.dnsName;
  }

  /** `app/<name>/<id>`: the first half of `ALBRequestCountPerTarget`'s resource label. */
  get arnSuffix(): string {
    return this.resource.arnSuffix;
  }

  /** Lets the load balancer reach `targets` on `port` (its egress rule and their ingress rule). */
  connectTo(targets: SecurityGroup, port: Port, description: string): void {
    this.securityGroup.allowTo(Peer.securityGroup(targets), port, description);
    targets.allowFrom(Peer.securityGroup(this.securityGroup), port, description);
  }
}
