import { Construct } from "constructs";
import { Annotations } from "cdktf";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { IMachineImage } from "./machine-image";
import { UserData } from "./user-data";
import { architectureProblem, assertInstanceType, isGpuInstanceType } from "./instance-type";
import { Role } from "../iam/role";
import { assertIntInRange } from "../core/validate";
import { ISecurityGroup } from "../network/security-group";

/** No Session Manager policy unless asked for: it lets the instance read every SSM parameter and document shared with it. */
export const DEFAULT_SESSION_MANAGER = false;

/** Largest EBS root volume (gp3, GiB): 16 TiB. */
export const MAX_ROOT_VOLUME_GIB = 16384;

/** Why a root volume of `gib` cannot hold `image`, or `undefined` when it fits (the image's snapshot .. 16 TiB). */
export function rootVolumeProblem(gib: number, image: IMachineImage): string | undefined {
  if (Number.isInteger(gib) && gib >= image.minRootVolumeGiB && gib <= MAX_ROOT_VOLUME_GIB) return undefined;
  return `must be a whole number from ${image.minRootVolumeGiB} (the root snapshot of ${image.description}) to ${MAX_ROOT_VOLUME_GIB} (16 TiB, the gp3 maximum)`;
}

/** Why `price` is not a Spot maximum price EC2 accepts (USD per hour, above 0), or `undefined`. */
export function spotMaxPriceProblem(price: string): string | undefined {
  if (/^\d+(\.\d+)?$/.test(price) && Number(price) > 0) return undefined;
  return "must be a price in USD per hour above 0, like 0.30 (leave it unset to pay at most the on-demand price)";
}

export interface SecureLaunchTemplateProps {
  readonly machineImage: IMachineImage;
  /** Omit when an Auto Scaling group picks types (mixed-instances policy). */
  readonly instanceType?: string;
  /** Existing EC2 key pair for SSH. @default none (no SSH login) */
  readonly keyName?: string;
  /** Root volume size (gp3, encrypted, deleted with the instance). @default the image's minimum */
  readonly rootVolumeGiB?: number;
  readonly userData?: UserData;
  readonly securityGroups?: readonly ISecurityGroup[];
  /** Give the primary interface a public IP (public subnets without NAT). @default false */
  readonly associatePublicIp?: boolean;
  /**
   * Subnet for instances launched directly from the template (not by an
   * Auto Scaling group, which picks subnets itself). AWS refuses a subnet on
   * the RunInstances call when the template has a network interface, so it
   * goes on the interface. @default none
   */
  readonly subnetId?: string;
  /**
   * Attach an instance profile with `AmazonSSMManagedInstanceCore`, so
   * Session Manager works without SSH. Turn it on only where Session Manager
   * is the documented way in: the managed policy lets the instance read
   * every SSM parameter and document it is shared, not just open sessions.
   * @default false
   */
  readonly sessionManager?: boolean;
  /**
   * An instance role and profile even with no managed policy, for grants
   * (e.g. the instances completing their own launch lifecycle hook).
   * @default true when `sessionManager` or `awsManagedPolicies` asks for a role, else false (no role)
   */
  readonly instanceRole?: boolean;
  /**
   * More AWS managed policies for the instance role (implies a role, like
   * `sessionManager`), e.g. `service-role/AmazonEC2ContainerServiceforEC2Role`.
   * @default none
   */
  readonly awsManagedPolicies?: readonly string[];
  /**
   * IMDSv2 hop limit. 1 keeps containers on the host from reaching instance
   * credentials; raise it only for containers that must use IMDS. @default 1
   */
  readonly metadataHopLimit?: number;
  /** Detailed (1-minute) CloudWatch monitoring; billed. @default false */
  readonly detailedMonitoring?: boolean;
  /** Request Spot capacity for instances launched directly from this template. @default on-demand */
  readonly spot?: {
    /** "one-time" or "persistent". @default "one-time" */
    readonly requestType?: "one-time" | "persistent";
    /** What AWS does when it reclaims capacity. @default "terminate" */
    readonly interruptionBehavior?: "terminate" | "stop" | "hibernate";
    /** Highest hourly price in USD. @default the on-demand price */
    readonly maxPrice?: string;
  };
}

/**
 * An EC2 launch template with the project's defaults: image resolved from
 * SSM at launch, IMDSv2 required (hop limit 1), encrypted gp3 root volume
 * deleted with the instance, an optional instance role (none by default),
 * Session Manager only when asked for.
 */
export class SecureLaunchTemplate extends Construct {
  readonly resource: LaunchTemplate;
  readonly role?: Role;
  readonly instanceProfile?: IamInstanceProfile;
  readonly machineImage: IMachineImage;
  private readonly spotRequested: boolean;

  constructor(scope: Construct, id: string, props: SecureLaunchTemplateProps) {
    super(scope, id);
    const image = props.machineImage;
    const rootVolumeGiB = props.rootVolumeGiB ?? image.minRootVolumeGiB;
    const hopLimit = props.metadataHopLimit ?? 1;
    const sessionManager = props.sessionManager ?? DEFAULT_SESSION_MANAGER;

    if (props.instanceType !== undefined) {
      assertInstanceType(props.instanceType);
      const mismatch = image.architecture && architectureProblem(props.instanceType, image.architecture, image.description);
      if (mismatch) throw new Error(`instanceType ("${props.instanceType}") ${mismatch}`);
    }
    if (props.keyName !== undefined && !props.keyName.trim()) {
      throw new Error("keyName must not be empty; omit it to launch without SSH access");
    }
    const rootProblem = rootVolumeProblem(rootVolumeGiB, image);
    if (rootProblem) throw new Error(`rootVolumeGiB (${rootVolumeGiB}) ${rootProblem}`);
    assertIntInRange(hopLimit, 1, 64, "metadataHopLimit");
    if (props.spot) {
      // RunInstances accepts a persistent request only with stop/hibernate, and stop/hibernate only with a persistent request.
      const type = props.spot.requestType ?? "one-time";
      const behavior = props.spot.interruptionBehavior ?? "terminate";
      if ((type === "persistent") !== (behavior !== "terminate")) {
        throw new Error(
          `spot.interruptionBehavior ("${behavior}") needs spot.requestType ${behavior === "terminate" ? '"one-time"' : '"persistent"'} (got "${type}")`,
        );
      }
      const priceProblem = props.spot.maxPrice !== undefined ? spotMaxPriceProblem(props.spot.maxPrice) : undefined;
      if (priceProblem) throw new Error(`spot.maxPrice ("${props.spot.maxPrice}") ${priceProblem}`);
    }

    if (image.requiresGpu && props.instanceType !== undefined && !isGpuInstanceType(props.instanceType)) {
      Annotations.of(this).addWarning(
        `instanceType (${props.instanceType}) has no NVIDIA GPU but the image (${image.description}) needs one: ` +
          "CUDA will not work; use a GPU type such as g4dn.xlarge",
      );
    }

    this.machineImage = image;
    this.spotRequested = props.spot !== undefined;
    if (props.instanceRole || sessionManager || (props.awsManagedPolicies?.length ?? 0) > 0) {
      this.role = new Role(this, "Role", {
        assumedBy: "ec2.amazonaws.com",
        description: `Instance role for ${this.node.path}`,
        awsManagedPolicies: [...(sessionManager ? ["AmazonSSMManagedInstanceCore"] : []), ...(props.awsManagedPolicies ?? [])],
      });
      this.instanceProfile = new IamInstanceProfile(this, "InstanceProfile", {
        namePrefix: `${this.node.path.replace(/[^A-Za-z0-9]/g, "-").slice(0, 90)}-`,
        role: this.role.roleName,
      });
    }
    const securityGroupIds = props.securityGroups?.map((g) => g.securityGroupId);
    // Security groups move onto the interface when the template defines one.
    const onInterface = props.associatePublicIp === true || props.subnetId !== undefined;
    const name = this.node.path.replace(/\//g, "-");

    this.resource = new LaunchTemplate(this, "Resource", {
      namePrefix: `${name.slice(0, 100)}-`,
      description: `${image.description}, IMDSv2, encrypted root volume`,
      imageId: image.imageId,
      instanceType: props.instanceType,
      keyName: props.keyName,
      userData: props.userData?.render(),
      updateDefaultVersion: true,
      iamInstanceProfile: this.instanceProfile ? { arn: this.instanceProfile.arn } : undefined,
      metadataOptions: {
        httpEndpoint: "enabled",
        httpTokens: "required",
        httpPutResponseHopLimit: hopLimit,
        instanceMetadataTags: "disabled",
      },
      monitoring: { enabled: props.detailedMonitoring ?? false },
      blockDeviceMappings: [
        {
          deviceName: image.rootDeviceName,
          ebs: { volumeSize: rootVolumeGiB, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
        },
      ],
      vpcSecurityGroupIds: onInterface ? undefined : securityGroupIds,
      networkInterfaces: onInterface
        ? [
            {
              deviceIndex: 0,
              subnetId: props.subnetId,
              associatePublicIpAddress: String(props.associatePublicIp ?? false),
              deleteOnTermination: "true",
              securityGroups: securityGroupIds,
            },
          ]
        : undefined,
      instanceMarketOptions: props.spot
        ? {
            marketType: "spot",
            spotOptions: {
              spotInstanceType: props.spot.requestType ?? "one-time",
              instanceInterruptionBehavior: props.spot.interruptionBehavior ?? "terminate",
              maxPrice: props.spot.maxPrice,
            },
          }
        : undefined,
      tagSpecifications: [
        { resourceType: "instance", tags: { Name: name } },
        { resourceType: "volume", tags: { Name: name } },
      ],
    });
  }

  /** True when instances launched from this template request Spot capacity. */
  get requestsSpot(): boolean {
    return this.spotRequested;
  }

  get launchTemplateId(): string {
    return this.resource.id;
  }

  get latestVersion(): string {
    return this.resource.latestVersion.toString();
  }
}
