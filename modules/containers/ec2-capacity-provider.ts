import { Construct } from "constructs";
import { suppress } from "../policy/suppress";
import { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group";
import { EcsCapacityProvider } from "@cdktf/provider-aws/lib/ecs-capacity-provider";
import { EcsClusterCapacityProviders } from "@cdktf/provider-aws/lib/ecs-cluster-capacity-providers";
import { SecureLaunchTemplate } from "../compute/launch-template";
import { MachineImage } from "../compute/machine-image";
import { UserData } from "../compute/user-data";
import { INetwork, SubnetSelection, SubnetType } from "../network/network";
import { SecurityGroup } from "../network/security-group";
import { Port } from "../network/peer";
import { Cluster } from "./cluster";
import { assertIntInRange, capacityProblems } from "../core/validate";
import { physicalName } from "../core/names";

/** The ECS workshop's cluster size. */
export const DEFAULT_CLUSTER_MIN_INSTANCES = 2;
export const DEFAULT_CLUSTER_MAX_INSTANCES = 4;
export const DEFAULT_TARGET_CAPACITY_PERCENT = 100;
export const DEFAULT_CONTAINER_INSTANCE_TYPE = "t3.small";

/** Host ports Docker picks for bridge-mode tasks with `hostPort: 0` (ECS-optimized AMIs). */
export const EPHEMERAL_HOST_PORTS = Port.tcpRange(32768, 65535);

/** Joins the instance to its cluster: the ECS agent reads /etc/ecs/ecs.config at start. */
export const ECS_USER_DATA = [
  "#!/bin/bash",
  "set -euo pipefail",
  'echo "ECS_CLUSTER=${ECS_CLUSTER}" >> /etc/ecs/ecs.config',
  'echo "ECS_ENABLE_TASK_IAM_ROLE=true" >> /etc/ecs/ecs.config',
  'echo "ECS_AWSVPC_BLOCK_IMDS=true" >> /etc/ecs/ecs.config',
  "",
].join("\n");

export interface Ec2CapacityProviderProps {
  readonly cluster: Cluster;
  readonly network: INetwork;
  /**
   * Subnets of the instances. Public subnets (with a public IP, no inbound
   * rule except from what you connect) avoid a NAT gateway: the ECS agent
   * and image pulls need the internet. @default the PUBLIC subnets
   */
  readonly subnets?: SubnetSelection;
  /** Give instances a public IP (needed in public subnets without NAT). @default true when `subnets` is the public tier */
  readonly associatePublicIp?: boolean;
  /** Cost: t3.small is about 0.0272 USD/h each in ap-northeast-1 (2026-11). @default "t3.small" */
  readonly instanceType?: string;
  /** @default 2 */
  readonly minSize?: number;
  /** @default 4 */
  readonly maxSize?: number;
  /** Managed scaling: keep the group this full (percent of instances running tasks). @default 100 */
  readonly targetCapacityPercent?: number;
  /** gp3 root volume (encrypted). @default 30 (the ECS-optimized AMI's snapshot size) */
  readonly rootVolumeGiB?: number;
  /** Capacity provider name (must not start with aws, ecs or fargate). @default `capacity-` + the construct path */
  readonly name?: string;
  /**
   * Attach `AmazonSSMManagedInstanceCore` (Session Manager login) to the
   * container instances. Off: docs/ecs-autoscaling.md offers no way onto the
   * instances, and the ECS agent needs only its own managed policy.
   * @default false
   */
  readonly sessionManager?: boolean;
}

/**
 * An EC2 capacity provider: an Auto Scaling group of ECS-optimized Amazon
 * Linux 2023 instances (AMI resolved at launch from SSM, IMDSv2, encrypted
 * EBS, instance role with AmazonEC2ContainerServiceforEC2Role and Session
 * Manager) joined to the cluster by user data, with managed scaling and
 * managed termination protection DISABLED (with it on, ECS protects
 * instances running tasks and `destroy` hangs). It becomes the cluster's
 * default capacity provider strategy.
 */
export class Ec2CapacityProvider extends Construct {
  readonly launchTemplate: SecureLaunchTemplate;
  readonly autoScalingGroup: AutoscalingGroup;
  readonly resource: EcsCapacityProvider;
  readonly securityGroup: SecurityGroup;
  /** The cluster's capacity provider association: services depend on it. */
  readonly clusterAssociation: EcsClusterCapacityProviders;

  constructor(scope: Construct, id: string, props: Ec2CapacityProviderProps) {
    super(scope, id);
    const minSize = props.minSize ?? DEFAULT_CLUSTER_MIN_INSTANCES;
    const maxSize = props.maxSize ?? DEFAULT_CLUSTER_MAX_INSTANCES;
    const target = props.targetCapacityPercent ?? DEFAULT_TARGET_CAPACITY_PERCENT;
    const selection = props.subnets ?? { subnetType: SubnetType.PUBLIC };
    const associatePublicIp = props.associatePublicIp ?? selection.subnetType === SubnetType.PUBLIC;
    const name = props.name ?? `capacity-${physicalName(this, { maxLength: 240 })}`;

    assertIntInRange(minSize, 0, 1000, "minSize");
    assertIntInRange(maxSize, 1, 1000, "maxSize");
    const [bounds] = capacityProblems(minSize, undefined, maxSize);
    if (bounds) throw new Error(`minSize (${minSize}) ${bounds.message}`);
    assertIntInRange(target, 1, 100, "targetCapacityPercent");
    if (!/^[A-Za-z0-9_-]{1,255}$/.test(name) || /^(aws|ecs|fargate)/i.test(name)) {
      throw new Error(`name ("${name}") must be letters, digits, hyphens or underscores and not start with aws, ecs or fargate`);
    }
    const subnetIds = props.network.selectSubnetIds(selection);

    this.securityGroup = new SecurityGroup(this, "SecurityGroup", {
      network: props.network,
      description: "ECS container instances: no inbound except from connected load balancers",
    });

    this.launchTemplate = new SecureLaunchTemplate(this, "LaunchTemplate", {
      machineImage: MachineImage.ecsOptimizedAmazonLinux2023(),
      instanceType: props.instanceType ?? DEFAULT_CONTAINER_INSTANCE_TYPE,
      rootVolumeGiB: props.rootVolumeGiB,
      securityGroups: [this.securityGroup],
      associatePublicIp,
      sessionManager: props.sessionManager ?? false,
      awsManagedPolicies: ["service-role/AmazonEC2ContainerServiceforEC2Role"],
      userData: UserData.fromScript(ECS_USER_DATA, { ECS_CLUSTER: props.cluster.clusterName }),
    });

    this.autoScalingGroup = new AutoscalingGroup(this, "AutoScalingGroup", {
      namePrefix: `${name.slice(0, 200)}-`,
      minSize,
      maxSize,
      vpcZoneIdentifier: subnetIds,
      launchTemplate: { id: this.launchTemplate.launchTemplateId, version: this.launchTemplate.latestVersion },
      healthCheckType: "EC2",
      protectFromScaleIn: false,
      // Instances still running at destroy time are terminated without waiting.
      forceDelete: true,
      tag: [
        // ECS adds this tag to groups it manages; declaring it avoids a perpetual diff.
        { key: "AmazonECSManaged", value: "true", propagateAtLaunch: true },
        { key: "Name", value: name, propagateAtLaunch: true },
      ],
      // ECS managed scaling owns desired capacity.
      lifecycle: { ignoreChanges: ["desired_capacity"] },
    });
    if (associatePublicIp) {
      suppress(
        this.autoScalingGroup,
        "ASG-NO-PUBLIC-IP",
        props.associatePublicIp === undefined
          ? "container instances in public subnets without a NAT gateway (0.062 USD/h): the public IP (0.005 USD/h each) is how the ECS agent reaches ECS and pulls images; ingress stays load-balancer-only"
          : "associatePublicIp was asked for explicitly",
      );
    }

    this.resource = new EcsCapacityProvider(this, "Resource", {
      name,
      autoScalingGroupProvider: {
        autoScalingGroupArn: this.autoScalingGroup.arn,
        managedTerminationProtection: "DISABLED",
        managedScaling: {
          status: "ENABLED",
          targetCapacity: target,
          minimumScalingStepSize: 1,
          maximumScalingStepSize: Math.max(1, maxSize - minSize),
          instanceWarmupPeriod: 120,
        },
      },
    });
    this.clusterAssociation = props.cluster.addCapacityProvider(this.resource.name, { weight: 1, base: 0 });
  }

  get capacityProviderName(): string {
    return this.resource.name;
  }
}
