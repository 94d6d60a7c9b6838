import { Construct } from "constructs";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { allocateSubnets, formatCidr, parseIpv4Cidr } from "./cidr";
import { assertAzIds, defaultAzIds } from "./availability-zones";
import { Role } from "../iam/role";
import { regionOf } from "../core/context";
import { assertRetention } from "../core/log-retention";
import { suppress } from "../policy/suppress";
import { movedFromPath } from "../core/cdktf-internals";

/** How a subnet reaches (or does not reach) the internet. */
export enum SubnetType {
  /** Route to an internet gateway; instances need a public IP to use it. */
  PUBLIC = "public",
  /** Outbound only, through a NAT gateway (needs `natGateways >= 1`). */
  PRIVATE_WITH_EGRESS = "private-with-egress",
  /** No route outside the VPC (reach AWS APIs through VPC endpoints). */
  PRIVATE_ISOLATED = "private-isolated",
}

/** One subnet per AZ of this type and size. */
export interface SubnetTier {
  /** Tier name, unique in the network: part of construct ids and `Name` tags. */
  readonly name: string;
  readonly type: SubnetType;
  /** Prefix length of each subnet, 16..28. @default 24 */
  readonly cidrMask?: number;
}

/** Which subnets to place something in. */
export interface SubnetSelection {
  readonly subnetType?: SubnetType;
  readonly tierName?: string;
}

/** The narrow view of a network that other modules take. */
export interface INetwork {
  readonly vpcId: string;
  readonly cidr: string;
  readonly availabilityZoneIds: readonly string[];
  /** Subnet ids matching the selection, one per AZ; throws if none match. */
  selectSubnetIds(selection: SubnetSelection): string[];
}

export interface FlowLogOptions {
  /** Days to keep flow log records. @default 14 */
  readonly retentionDays?: number;
  /** @default "REJECT" (cheapest useful setting: what the security groups dropped) */
  readonly trafficType?: "ACCEPT" | "REJECT" | "ALL";
}

export interface NetworkProps {
  /** The VPC's IPv4 block. @default "10.0.0.0/16" */
  readonly cidr?: string;
  /**
   * How many Availability Zones to spread subnets over, picked from the
   * region's known zone ids (see `KNOWN_AZ_IDS`). Ignored when
   * `availabilityZoneIds` is given.
   * @default 1
   */
  readonly availabilityZones?: number;
  /** Zone ids such as `apne1-az1`; plans then need no zone lookup. @default the first `availabilityZones` known ids */
  readonly availabilityZoneIds?: readonly string[];
  /** Region for the default zone ids. @default the stack's region */
  readonly region?: string;
  /** Subnet tiers. @default one public tier of /24 subnets */
  readonly subnets?: readonly SubnetTier[];
  /**
   * NAT gateways for `PRIVATE_WITH_EGRESS` tiers, placed in the public tier.
   * Cost: each NAT gateway bills per hour (about 0.062 USD/h in
   * ap-northeast-1) plus per GB processed, even when idle.
   * @default 0
   */
  readonly natGateways?: number;
  /** Give instances in public subnets a public IP by default. @default false (instances ask for one) */
  readonly mapPublicIpOnLaunch?: boolean;
  /** VPC flow logs to CloudWatch Logs. @default off (CloudWatch ingestion is billed per GB) */
  readonly flowLogs?: FlowLogOptions;
  /** `Name` tag prefix. @default the construct path */
  readonly name?: string;
}

/** Built subnet, for callers that need more than ids. */
export interface NetworkSubnet {
  readonly tier: string;
  readonly type: SubnetType;
  readonly availabilityZoneId: string;
  readonly cidr: string;
  readonly resource: Subnet;
}

export const DEFAULT_VPC_CIDR = "10.0.0.0/16";
export const DEFAULT_SUBNET_MASK = 24;
export const DEFAULT_TIERS: readonly SubnetTier[] = [{ name: "public", type: SubnetType.PUBLIC }];

/**
 * A VPC with subnet tiers across Availability Zones, an internet gateway
 * when a public tier exists, optional NAT gateways, the default security
 * group stripped of all rules, and optional flow logs.
 */
export class Network extends Construct implements INetwork {
  readonly vpc: Vpc;
  readonly cidr: string;
  readonly availabilityZoneIds: readonly string[];
  readonly subnets: readonly NetworkSubnet[];
  /** Every route table (public and per-zone private), e.g. for S3/DynamoDB gateway endpoints. */
  readonly routeTableIds: string[] = [];

  constructor(scope: Construct, id: string, props: NetworkProps = {}) {
    super(scope, id);
    const cidr = props.cidr ?? DEFAULT_VPC_CIDR;
    const tiers = props.subnets ?? DEFAULT_TIERS;
    const natGateways = props.natGateways ?? 0;
    const name = props.name ?? this.node.path.replace(/\//g, "-");

    // Validate first, then build.
    const vpcBlock = parseIpv4Cidr(cidr, "cidr");
    if (vpcBlock.prefix < 16 || vpcBlock.prefix > 28) throw new Error(`cidr ("${cidr}") must be between /16 and /28 (AWS VPC limits)`);
    let azIds: string[];
    if (props.availabilityZoneIds) {
      azIds = [...props.availabilityZoneIds];
      assertAzIds(azIds);
    } else {
      azIds = defaultAzIds(props.region ?? regionOf(this), props.availabilityZones ?? 1);
    }
    if (tiers.length === 0) throw new Error("subnets must define at least one tier");
    tiers.forEach((t, i) => {
      if (!/^[A-Za-z][A-Za-z0-9-]*$/.test(t.name)) throw new Error(`subnets[${i}].name ("${t.name}") must be letters, digits and hyphens`);
      const mask = t.cidrMask ?? DEFAULT_SUBNET_MASK;
      if (!Number.isInteger(mask) || mask < 16 || mask > 28) throw new Error(`subnets[${i}].cidrMask (${mask}) must be between 16 and 28`);
    });
    const dupTier = tiers.find((t, i) => tiers.findIndex((u) => u.name === t.name) !== i);
    if (dupTier) throw new Error(`subnets: tier name "${dupTier.name}" is used twice`);
    const hasPublic = tiers.some((t) => t.type === SubnetType.PUBLIC);
    const needsNat = tiers.some((t) => t.type === SubnetType.PRIVATE_WITH_EGRESS);
    if (!Number.isInteger(natGateways) || natGateways < 0) throw new Error(`natGateways (${natGateways}) must be a whole number >= 0`);
    if (natGateways > azIds.length) {
      throw new Error(`natGateways (${natGateways}) must be <= the number of availability zones (${azIds.length})`);
    }
    if (natGateways > 0 && !hasPublic) throw new Error(`natGateways (${natGateways}) needs a PUBLIC subnet tier to live in`);
    if (needsNat && natGateways === 0) {
      throw new Error("subnets: a PRIVATE_WITH_EGRESS tier needs natGateways >= 1; use PRIVATE_ISOLATED (with VPC endpoints) to avoid NAT cost");
    }
    if (props.flowLogs?.retentionDays !== undefined) assertRetention(props.flowLogs.retentionDays, "flowLogs.retentionDays");
    const prefixes = tiers.flatMap((t) => azIds.map(() => t.cidrMask ?? DEFAULT_SUBNET_MASK));
    const blocks = allocateSubnets(vpcBlock, prefixes, "subnets");

    this.cidr = cidr;
    this.availabilityZoneIds = azIds;
    this.vpc = new Vpc(this, "Vpc", {
      cidrBlock: cidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { Name: name },
    });
    // Take over the default security group and leave it with no rules.
    new DefaultSecurityGroup(this, "DefaultSecurityGroup", {
      vpcId: this.vpc.id,
      tags: { Name: `${name}-default-closed` },
    });

    const igw = hasPublic ? new InternetGateway(this, "InternetGateway", { vpcId: this.vpc.id, tags: { Name: name } }) : undefined;
    // Construct ids from names, in namespaces: Tiers/<tier>/<AZ id>/{Subnet,RouteTableAssociation}
    // and Zones/<AZ id>/{NatEip,Nat,PrivateRouteTable,PrivateNatRoute}; earlier flat ids
    // (`public-apne1-az1`, `Nat-apne1-az1`, ...) are declared as moves.
    const tiersScope = new Construct(this, "Tiers");
    const zonesScope = new Construct(this, "Zones");
    const inTier = (tier: string, az: string) => {
      const t = (tiersScope.node.tryFindChild(tier) as Construct | undefined) ?? new Construct(tiersScope, tier);
      return (t.node.tryFindChild(az) as Construct | undefined) ?? new Construct(t, az);
    };
    const inZone = (az: string) => (zonesScope.node.tryFindChild(az) as Construct | undefined) ?? new Construct(zonesScope, az);
    const subnets: NetworkSubnet[] = [];
    tiers.forEach((tier, t) => {
      azIds.forEach((az, a) => {
        const block = blocks[t * azIds.length + a];
        const resource = new Subnet(inTier(tier.name, az), "Subnet", {
          vpcId: this.vpc.id,
          cidrBlock: formatCidr(block),
          availabilityZoneId: az,
          mapPublicIpOnLaunch: tier.type === SubnetType.PUBLIC ? (props.mapPublicIpOnLaunch ?? false) : false,
          tags: { Name: `${name}-${tier.name}-${az}`, Tier: tier.name },
        });
        movedFromPath(resource, this, `${tier.name}-${az}`);
        subnets.push({ tier: tier.name, type: tier.type, availabilityZoneId: az, cidr: formatCidr(block), resource });
      });
    });
    this.subnets = subnets;

    const publicSubnets = subnets.filter((s) => s.type === SubnetType.PUBLIC);
    if (igw) {
      const rt = new RouteTable(this, "PublicRouteTable", { vpcId: this.vpc.id, tags: { Name: `${name}-public` } });
      this.routeTableIds.push(rt.id);
      new Route(this, "PublicDefaultRoute", { routeTableId: rt.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id });
      for (const s of publicSubnets) {
        const association = new RouteTableAssociation(inTier(s.tier, s.availabilityZoneId), "RouteTableAssociation", { subnetId: s.resource.id, routeTableId: rt.id });
        movedFromPath(association, this, `${s.tier}-${s.availabilityZoneId}-rt`);
      }
    }

    const nats = Array.from({ length: natGateways }, (_, i) => {
      const home = publicSubnets.find((s) => s.availabilityZoneId === azIds[i]) ?? publicSubnets[i % publicSubnets.length];
      const eip = new Eip(inZone(azIds[i]), "NatEip", { domain: "vpc", tags: { Name: `${name}-nat-${azIds[i]}` } });
      movedFromPath(eip, this, `NatEip-${azIds[i]}`);
      const nat = new NatGateway(inZone(azIds[i]), "Nat", {
        allocationId: eip.id,
        subnetId: home.resource.id,
        tags: { Name: `${name}-${azIds[i]}` },
        dependsOn: igw ? [igw] : undefined,
      });
      movedFromPath(nat, this, `Nat-${azIds[i]}`);
      return nat;
    });

    const privateSubnets = subnets.filter((s) => s.type !== SubnetType.PUBLIC);
    azIds.forEach((az, a) => {
      const inAz = privateSubnets.filter((s) => s.availabilityZoneId === az);
      if (inAz.length === 0) return;
      const rt = new RouteTable(inZone(az), "PrivateRouteTable", { vpcId: this.vpc.id, tags: { Name: `${name}-private-${az}` } });
      movedFromPath(rt, this, `PrivateRouteTable-${az}`);
      this.routeTableIds.push(rt.id);
      if (inAz.some((s) => s.type === SubnetType.PRIVATE_WITH_EGRESS) && nats.length > 0) {
        const route = new Route(inZone(az), "PrivateNatRoute", {
          routeTableId: rt.id,
          destinationCidrBlock: "0.0.0.0/0",
          natGatewayId: nats[a % nats.length].id,
        });
        movedFromPath(route, this, `PrivateNatRoute-${az}`);
      }
      for (const s of inAz) {
        const association = new RouteTableAssociation(inTier(s.tier, az), "RouteTableAssociation", { subnetId: s.resource.id, routeTableId: rt.id });
        movedFromPath(association, this, `${s.tier}-${az}-rt`);
      }
    });

    if (props.flowLogs) this.addFlowLogs(props.flowLogs);
    else {
      suppress(
        this.vpc,
        "VPC-FLOW-LOGS",
        "flowLogs off (the Network default): CloudWatch Logs ingestion is billed at ~0.76 USD per GB; pass flowLogs: { trafficType: \"REJECT\" } to record what the security groups drop",
      );
    }
  }

  get vpcId(): string {
    return this.vpc.id;
  }

  selectSubnetIds(selection: SubnetSelection = {}): string[] {
    const chosen = this.subnets.filter(
      (s) =>
        (selection.subnetType === undefined || s.type === selection.subnetType) &&
        (selection.tierName === undefined || s.tier === selection.tierName),
    );
    if (chosen.length === 0) {
      throw new Error(
        `${this.node.path}: no subnets match ${JSON.stringify(selection)}; tiers are ` +
          [...new Set(this.subnets.map((s) => `${s.tier} (${s.type})`))].join(", "),
      );
    }
    return chosen.map((s) => s.resource.id);
  }

  private addFlowLogs(options: FlowLogOptions): void {
    const group = new CloudwatchLogGroup(this, "FlowLogGroup", {
      namePrefix: `/vpc/flow-logs/${this.node.path.replace(/\//g, "-")}-`,
      retentionInDays: options.retentionDays ?? 14,
    });
    const role = new Role(this, "FlowLogRole", {
      assumedBy: "vpc-flow-logs.amazonaws.com",
      description: "Lets VPC Flow Logs write to its own log group",
    });
    role.addToPolicy({
      sid: "WriteFlowLogs",
      actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
      resources: [group.arn, `${group.arn}:*`],
    });
    new FlowLog(this, "FlowLog", {
      vpcId: this.vpc.id,
      trafficType: options.trafficType ?? "REJECT",
      logDestinationType: "cloud-watch-logs",
      logDestination: group.arn,
      iamRoleArn: role.roleArn,
      maxAggregationInterval: 600,
    });
  }
}
