import { Construct } from "constructs";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { INetwork } from "../network/network";
import { SecurityGroup } from "../network/security-group";
import { Peer, Port } from "../network/peer";
import { regionOf } from "../core/context";

/** Interface endpoints a Fargate task needs without internet access (image pull, logs, parameters). */
export const DEFAULT_INTERFACE_ENDPOINTS = ["ecr.api", "ecr.dkr", "logs", "ssm"] as const;
/** Gateway endpoints (free): S3 serves ECR image layers; DynamoDB for the application. */
export const DEFAULT_GATEWAY_ENDPOINTS = ["s3", "dynamodb"] as const;

export interface TaskEndpointsProps {
  readonly network: INetwork;
  /** Subnets of the interface endpoints (one ENI per subnet): the tasks' subnets. */
  readonly subnetIds: readonly string[];
  /** Route tables of those subnets, for the gateway endpoints. */
  readonly routeTableIds: readonly string[];
  /** Security groups of the tasks that use the endpoints (allowed in on 443). */
  readonly clients: readonly SecurityGroup[];
  /** @default the stack's region */
  readonly region?: string;
  /**
   * Interface endpoint services. Cost: each bills about 0.014 USD/h per
   * subnet (zone) in ap-northeast-1 plus 0.01 USD/GB (2026-11 prices).
   * @default ecr.api, ecr.dkr, logs, ssm
   */
  readonly interfaceServices?: readonly string[];
  /** Gateway endpoint services (no hourly charge). @default s3, dynamodb */
  readonly gatewayServices?: readonly string[];
}

/**
 * VPC endpoints that let Fargate tasks in isolated subnets (no NAT, no
 * public IP) pull from ECR, log to CloudWatch, read SSM parameters and use
 * DynamoDB: interface endpoints with private DNS behind their own security
 * group (443 from the tasks only), and gateway endpoints on the route tables.
 */
export class TaskEndpoints extends Construct {
  readonly securityGroup: SecurityGroup;
  readonly endpoints: Readonly<Record<string, VpcEndpoint>>;

  constructor(scope: Construct, id: string, props: TaskEndpointsProps) {
    super(scope, id);
    const region = props.region ?? regionOf(this);
    const interfaces = props.interfaceServices ?? DEFAULT_INTERFACE_ENDPOINTS;
    const gateways = props.gatewayServices ?? DEFAULT_GATEWAY_ENDPOINTS;
    if (!region) throw new Error(`${this.node.path}: region is required (no stack region in context)`);
    if (props.subnetIds.length === 0) throw new Error("subnetIds must hold at least one subnet");
    if (gateways.length > 0 && props.routeTableIds.length === 0) throw new Error("routeTableIds must hold the subnets' route tables for gateway endpoints");
    for (const svc of [...interfaces, ...gateways]) {
      if (!/^[a-z0-9.-]+$/.test(svc)) throw new Error(`endpoint service ("${svc}") must be a short service name like ecr.api`);
    }

    this.securityGroup = new SecurityGroup(this, "SecurityGroup", {
      network: props.network,
      description: "VPC interface endpoints: HTTPS from the tasks only",
      allowAllOutbound: false,
    });
    for (const client of props.clients) {
      this.securityGroup.allowFrom(Peer.securityGroup(client), Port.tcp(443), "HTTPS from tasks to AWS APIs");
    }

    const endpoints: Record<string, VpcEndpoint> = {};
    for (const svc of interfaces) {
      endpoints[svc] = new VpcEndpoint(this, svc.replace(/[^A-Za-z0-9]/g, "-"), {
        vpcId: props.network.vpcId,
        serviceName: `com.amazonaws.${region}.${svc}`,
        vpcEndpointType: "Interface",
        privateDnsEnabled: true,
        subnetIds: [...props.subnetIds],
        securityGroupIds: [this.securityGroup.securityGroupId],
      });
    }
    for (const svc of gateways) {
      endpoints[svc] = new VpcEndpoint(this, svc.replace(/[^A-Za-z0-9]/g, "-"), {
        vpcId: props.network.vpcId,
        serviceName: `com.amazonaws.${region}.${svc}`,
        vpcEndpointType: "Gateway",
        routeTableIds: [...props.routeTableIds],
      });
    }
    this.endpoints = endpoints;
  }
}
