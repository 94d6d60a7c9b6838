import { Construct } from "constructs";
import { Annotations, dependable } from "cdktf";
import { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group";
import { AutoscalingPolicy } from "@cdktf/provider-aws/lib/autoscaling-policy";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import { SecureLaunchTemplate } from "../compute/launch-template";
import { INetwork, SubnetSelection, SubnetType } from "../network/network";
import { partitionOf } from "../iam/partition";
import { regionOf } from "../core/context";
import { ITargetGroup } from "./target-group";
import { WARM_POOL_RESTRICTION, WarmPoolOptions, renderWarmPool } from "./warm-pool";
import { DEFAULT_SPOT_INSTANCE_TYPES, MixedInstancesOptions, renderMixedInstancesPolicy, requestsSpot } from "./mixed-instances";
import { architectureProblem } from "../compute/instance-type";
import { assertIntInRange, capacityProblems } from "../core/validate";

/** The warm-pool blog's group size: min 1, max 5, desired 1. */
export const DEFAULT_MIN_SIZE = 1;
export const DEFAULT_MAX_SIZE = 5;
export const DEFAULT_HEALTH_CHECK_GRACE_SECONDS = 120;
export const DEFAULT_INSTANCE_WARMUP_SECONDS = 120;
/** Requests per target per minute that target tracking aims at. */
export const DEFAULT_REQUESTS_PER_TARGET = 1000;
/** Seconds an instance may spend in a launch lifecycle hook before the default result applies. */
export const DEFAULT_LIFECYCLE_HOOK_TIMEOUT_SECONDS = 600;

export const DEFAULT_LIFECYCLE_HOOK_NAME = "launch";
/**
 * Actions the instances call on their own launch lifecycle hook:
 * `CompleteLifecycleAction` once the app answers, and
 * `RecordLifecycleActionHeartbeat` every {@link heartbeatIntervalSeconds}
 * while the first-boot setup runs (userdata/web-fleet.sh), so a slow setup
 * (the PyTorch install) does not hit the hook's timeout and get abandoned.
 */
export const COMPLETE_LIFECYCLE_ACTIONS = ["autoscaling:CompleteLifecycleAction", "autoscaling:RecordLifecycleActionHeartbeat"] as const;

/**
 * Seconds between two heartbeats for a hook timeout: a third of it (two
 * heartbeats may fail before the hook times out), at least 10.
 */
export function heartbeatIntervalSeconds(timeoutSeconds: number = DEFAULT_LIFECYCLE_HOOK_TIMEOUT_SECONDS): number {
  return Math.max(10, Math.floor(timeoutSeconds / 3));
}

export interface FleetGroupProps {
  readonly network: INetwork;
  readonly launchTemplate: SecureLaunchTemplate;
  /**
   * Group name, known at synth so ARNs for IAM can be built without
   * referencing the group (no dependency cycle). Up to 255 characters.
   */
  readonly groupName: string;
  /** @default the PUBLIC subnets */
  readonly subnets?: SubnetSelection;
  /** @default 1 */
  readonly minSize?: number;
  /** @default 5 */
  readonly maxSize?: number;
  /** @default minSize (target tracking changes it later; Terraform then ignores it) */
  readonly desiredCapacity?: number;
  /** Target groups every instance registers with. @default none */
  readonly targetGroups?: readonly ITargetGroup[];
  /** Seconds after InService before ELB health checks count. @default 120 */
  readonly healthCheckGracePeriodSeconds?: number;
  /** Seconds before a new instance's metrics count for scaling. @default 120 */
  readonly defaultInstanceWarmupSeconds?: number;
  /**
   * Mixed-instances policy (several types, Spot). Cost: Spot is typically
   * 60-90% below on-demand, with a two-minute interruption notice.
   * @default none (the launch template's type, on-demand)
   */
  readonly mixedInstances?: MixedInstancesOptions;
  /** Rebalance Spot capacity before interruptions (mixed-instances groups). @default true with Spot, else false */
  readonly capacityRebalance?: boolean;
  /** Replace instances (rolling, 50% healthy) when the launch template changes. @default true */
  readonly instanceRefresh?: boolean;
  /** How long `terraform apply` waits for minSize healthy instances. @default "15m" */
  readonly waitForCapacityTimeout?: string;
}

export interface LaunchLifecycleHookOptions {
  /** @default "launch" (DEFAULT_LIFECYCLE_HOOK_NAME) */
  readonly name?: string;
  /** Seconds to wait for the instance to complete the hook, 30..7200. @default 600 */
  readonly timeoutSeconds?: number;
  /** What happens at timeout. @default "ABANDON" (an instance whose setup never finished is terminated) */
  readonly defaultResult?: "ABANDON" | "CONTINUE";
}

export interface RequestCountScalingOptions {
  /** The load balancer's `app/<name>/<id>` suffix. */
  readonly loadBalancerArnSuffix: string;
  readonly targetGroup: ITargetGroup;
  /** Requests per target per minute to aim at, 1..1000000. @default 1000 */
  readonly targetRequestsPerInstance?: number;
}

/**
 * An Auto Scaling group with the fleet's defaults: ELB health checks with a
 * grace period, default instance warmup, a rolling instance refresh when
 * the launch template changes, force delete on destroy (warm pool included,
 * so nothing is left billed). Warm pool, launch lifecycle hook and target
 * tracking are added with {@link addWarmPool}, {@link addLaunchLifecycleHook}
 * and {@link scaleOnRequestCount}.
 */
export class FleetGroup extends Construct {
  readonly resource: AutoscalingGroup;
  readonly groupName: string;
  readonly launchTemplate: SecureLaunchTemplate;
  readonly minSize: number;
  readonly maxSize: number;
  readonly subnetCount: number;
  private readonly mixedInstances?: MixedInstancesOptions;
  private warmPoolAdded = false;
  private hookName?: string;
  private scalingPolicy?: AutoscalingPolicy;

  constructor(scope: Construct, id: string, props: FleetGroupProps) {
    super(scope, id);
    const minSize = props.minSize ?? DEFAULT_MIN_SIZE;
    const maxSize = props.maxSize ?? DEFAULT_MAX_SIZE;
    const desired = props.desiredCapacity ?? minSize;
    const grace = props.healthCheckGracePeriodSeconds ?? DEFAULT_HEALTH_CHECK_GRACE_SECONDS;
    const warmup = props.defaultInstanceWarmupSeconds ?? DEFAULT_INSTANCE_WARMUP_SECONDS;
    const spot = props.mixedInstances !== undefined && requestsSpot(props.mixedInstances);
    const capacityRebalance = props.capacityRebalance ?? spot;

    if (!/^[\w+=,.@/-]{1,255}$/.test(props.groupName)) {
      throw new Error(`groupName ("${props.groupName}") must be 1-255 letters, digits or +=,.@-_/ characters`);
    }
    assertCapacity(minSize, desired, maxSize);
    assertIntInRange(grace, 0, 7200, "healthCheckGracePeriodSeconds");
    assertIntInRange(warmup, 0, 3600, "defaultInstanceWarmupSeconds");
    if (capacityRebalance && props.mixedInstances === undefined) {
      throw new Error("capacityRebalance (true) needs mixedInstances with Spot capacity");
    }
    const subnetIds = props.network.selectSubnetIds(props.subnets ?? { subnetType: SubnetType.PUBLIC });
    const lt = props.launchTemplate;
    const version = lt.latestVersion;
    const mixed = props.mixedInstances ? renderMixedInstancesPolicy(props.mixedInstances, { id: lt.launchTemplateId, version }) : undefined;
    const image = lt.machineImage;
    if (props.mixedInstances && image.architecture) {
      (props.mixedInstances.instanceTypes ?? DEFAULT_SPOT_INSTANCE_TYPES).forEach((type, i) => {
        const mismatch = architectureProblem(type, image.architecture!, image.description);
        if (mismatch) throw new Error(`mixedInstances.instanceTypes[${i}] ("${type}") ${mismatch}`);
      });
    }
    if (!mixed && lt.resource.instanceTypeInput === undefined) {
      throw new Error(`launchTemplate (${lt.node.path}) sets no instance type: give it one, or give the group mixedInstances.instanceTypes`);
    }

    this.groupName = props.groupName;
    this.launchTemplate = lt;
    this.minSize = minSize;
    this.maxSize = maxSize;
    this.subnetCount = subnetIds.length;
    this.mixedInstances = props.mixedInstances;

    this.resource = new AutoscalingGroup(this, "Resource", {
      name: props.groupName,
      minSize,
      maxSize,
      desiredCapacity: desired,
      vpcZoneIdentifier: subnetIds,
      launchTemplate: mixed ? undefined : { id: lt.launchTemplateId, version },
      mixedInstancesPolicy: mixed,
      capacityRebalance: props.mixedInstances ? capacityRebalance : undefined,
      targetGroupArns: props.targetGroups?.map((t) => t.targetGroupArn),
      healthCheckType: "ELB",
      healthCheckGracePeriod: grace,
      defaultInstanceWarmup: warmup,
      waitForCapacityTimeout: props.waitForCapacityTimeout ?? "15m",
      forceDelete: true,
      forceDeleteWarmPool: true,
      instanceRefresh:
        props.instanceRefresh ?? true ? { strategy: "Rolling", preferences: { minHealthyPercentage: 50 } } : undefined,
      tag: [{ key: "Name", value: props.groupName, propagateAtLaunch: true }],
      // Target tracking owns desired capacity after the first apply.
      lifecycle: { ignoreChanges: ["desired_capacity"] },
    });
    this.warnIfSingleZoneSpot();
  }

  /**
   * True when the group launches Spot capacity (a mixed-instances policy with
   * less than 100% on-demand above the base, or a launch template that
   * requests Spot): only then do its instances get interruption warnings.
   */
  get requestsSpot(): boolean {
    return this.mixedInstances !== undefined ? requestsSpot(this.mixedInstances) : this.launchTemplate.requestsSpot;
  }

  /** True when the group has a mixed-instances policy or its launch template requests Spot. */
  get requestsSpotOrMixed(): boolean {
    if (this.mixedInstances !== undefined) return true;
    return this.launchTemplate.requestsSpot;
  }

  /**
   * Adds a warm pool: instances launched ahead, set up by their user data,
   * then kept (by default Stopped, paying EBS only) until a scale-out needs
   * them. In Terraform the warm pool is a `warm_pool` block of
   * `aws_autoscaling_group`, not its own resource (CloudFormation and AWS
   * CDK have `AWS::AutoScaling::WarmPool`).
   *
   * Refused on groups with a mixed-instances policy or Spot (an AWS restriction).
   */
  addWarmPool(options: WarmPoolOptions = {}): this {
    if (this.requestsSpotOrMixed) throw new Error(`${this.node.path}.addWarmPool: ${WARM_POOL_RESTRICTION}`);
    if (this.warmPoolAdded) throw new Error(`${this.node.path}.addWarmPool: the group already has a warm pool`);
    this.resource.putWarmPool(renderWarmPool(options));
    this.warmPoolAdded = true;
    return this;
  }

  get hasWarmPool(): boolean {
    return this.warmPoolAdded;
  }

  /**
   * Adds an `initial_lifecycle_hook` on launch (created with the group, so
   * the first instances wait too): an instance stays in `Pending:Wait` (or
   * `Warmed:Pending:Wait` on its way into the warm pool) until it calls
   * `CompleteLifecycleAction`. Grants the instance role exactly that action
   * on this group's ARN. Returns the hook name for the user data.
   */
  addLaunchLifecycleHook(options: LaunchLifecycleHookOptions = {}): string {
    const name = options.name ?? DEFAULT_LIFECYCLE_HOOK_NAME;
    const timeout = options.timeoutSeconds ?? DEFAULT_LIFECYCLE_HOOK_TIMEOUT_SECONDS;
    const defaultResult = options.defaultResult ?? "ABANDON";
    if (this.hookName) throw new Error(`${this.node.path}.addLaunchLifecycleHook: the group already has a launch hook ("${this.hookName}")`);
    if (!/^[A-Za-z0-9\-_/]{1,255}$/.test(name)) throw new Error(`lifecycleHook.name ("${name}") must be 1-255 letters, digits, - _ or /`);
    assertIntInRange(timeout, 30, 7200, "lifecycleHook.timeoutSeconds");
    if (!["ABANDON", "CONTINUE"].includes(defaultResult)) {
      throw new Error(`lifecycleHook.defaultResult ("${defaultResult}") must be ABANDON or CONTINUE`);
    }
    const role = this.launchTemplate.role;
    if (!role) {
      throw new Error(`${this.node.path}.addLaunchLifecycleHook: launchTemplate has no instance role (instanceRole: true) to complete the hook with`);
    }
    this.resource.putInitialLifecycleHook([
      { name, lifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING", heartbeatTimeout: timeout, defaultResult },
    ]);
    role.addToPolicy({ sid: "CompleteOwnLaunchHook", actions: [...COMPLETE_LIFECYCLE_ACTIONS], resources: [this.groupArn] });
    // The policy must exist before the first instance finishes its setup.
    const policy = role.inlinePolicy!;
    this.resource.dependsOn = [...(this.resource.dependsOn ?? []), dependable(policy)];
    this.hookName = name;
    return name;
  }

  /**
   * The group's ARN built from its name (the account part is `*`: the
   * account id would need `aws_caller_identity`, which breaks offline plans;
   * the group name is unique per project and environment).
   */
  get groupArn(): string {
    const region = regionOf(this) ?? this.regionDataSource();
    return `arn:${partitionOf(this)}:autoscaling:${region}:*:autoScalingGroup:*:autoScalingGroupName/${this.groupName}`;
  }

  /** Target tracking on `ALBRequestCountPerTarget` (requests per target per minute). */
  scaleOnRequestCount(options: RequestCountScalingOptions): AutoscalingPolicy {
    const target = options.targetRequestsPerInstance ?? DEFAULT_REQUESTS_PER_TARGET;
    assertIntInRange(target, 1, 1000000, "targetRequestsPerInstance");
    if (this.scalingPolicy) throw new Error(`${this.node.path}.scaleOnRequestCount: the group already scales on request count`);
    this.scalingPolicy = new AutoscalingPolicy(this, "RequestCountScaling", {
      name: "request-count-per-target",
      autoscalingGroupName: this.resource.name,
      policyType: "TargetTrackingScaling",
      targetTrackingConfiguration: {
        targetValue: target,
        predefinedMetricSpecification: {
          predefinedMetricType: "ALBRequestCountPerTarget",
          resourceLabel: `${options.loadBalancerArnSuffix}/${options.targetGroup.arnSuffix}`,
        },
      },
    });
    return this.scalingPolicy;
  }

  /** Warns when a Spot group spans fewer than two zones (one zone's pools can run dry together). */
  private warnIfSingleZoneSpot(): void {
    if (this.mixedInstances !== undefined && requestsSpot(this.mixedInstances) && this.subnetCount < 2) {
      Annotations.of(this).addWarning(
        `${this.node.path}: Spot group spans ${this.subnetCount} availability zone; use at least 2 (3 is better) so interruptions in one zone's pools do not take all capacity`,
      );
    }
  }

  private regionDataSource(): string {
    const existing = this.node.tryFindChild("Region") as DataAwsRegion | undefined;
    return (existing ?? new DataAwsRegion(this, "Region")).name;
  }
}

/** Throws unless `min <= desired <= max` (the group's capacity bounds). */
function assertCapacity(minSize: number, desiredCapacity: number, maxSize: number): void {
  assertIntInRange(minSize, 0, 10000, "minSize");
  assertIntInRange(maxSize, 0, 10000, "maxSize");
  assertIntInRange(desiredCapacity, 0, 10000, "desiredCapacity");
  const values = { min: minSize, desired: desiredCapacity, max: maxSize };
  const names = { min: "minSize", desired: "desiredCapacity", max: "maxSize" };
  const [problem] = capacityProblems(minSize, desiredCapacity, maxSize, names);
  if (problem) throw new Error(`${names[problem.field]} (${values[problem.field]}) ${problem.message}`);
}
