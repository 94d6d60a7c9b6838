import { Construct } from "constructs";
import { SecureLaunchTemplate } from "../compute/launch-template";
import { IMachineImage, MachineImage } from "../compute/machine-image";
import { UserData } from "../compute/user-data";
import { assertInstanceType } from "../compute/instance-type";
import { INetwork, SubnetSelection, SubnetType } from "../network/network";
import { SecurityGroup } from "../network/security-group";
import { Port } from "../network/peer";
import { suppress } from "../policy/suppress";
import { WebLoadBalancer } from "./web-load-balancer";
import { HealthCheckOptions, WebTargetGroup } from "./target-group";
import { DEFAULT_LIFECYCLE_HOOK_NAME, DEFAULT_REQUESTS_PER_TARGET, FleetGroup, LaunchLifecycleHookOptions, heartbeatIntervalSeconds } from "./fleet-group";
import { WarmPoolOptions } from "./warm-pool";
import { MixedInstancesOptions } from "./mixed-instances";
import { SpotInterruptionHandler } from "./spot-interruption-handler";
import { assertIntInRange } from "../core/validate";
import { WEB_FLEET_SCRIPT_ENV as ENV } from "../../userdata/web-fleet.environment";

/** The file in userdata/ that sets instances up. */
export const WEB_FLEET_USER_DATA = "web-fleet.sh";
export const DEFAULT_APP_PORT = 8080;
/** Cost: about 0.0136 USD/h on-demand in ap-northeast-1 (2026-11). */
export const DEFAULT_BASE_INSTANCE_TYPE = "t3.micro";

/** The image of both groups when none is given: the latest Amazon Linux 2023 (x86_64). */
export function defaultFleetImage(): IMachineImage {
  return MachineImage.latestAmazonLinux2023();
}

/** What the user data installs besides the web app. */
export enum FleetSetup {
  /** Just the web app: instances are ready in about a minute. */
  NONE = "none",
  /** CPU-only PyTorch with pip (the warm-pool blog's slow setup: minutes, ~1 GB; needs internet egress). */
  PYTORCH_CPU = "pytorch-cpu",
}

export const DEFAULT_FLEET_SETUP = FleetSetup.NONE;

/** The Spot group scales in to nothing and starts with one instance. */
export const DEFAULT_SPOT_MIN_SIZE = 0;
export const DEFAULT_SPOT_DESIRED_CAPACITY = 1;

/** Capacity of one group. */
export interface GroupCapacity {
  readonly minSize?: number;
  readonly maxSize?: number;
  readonly desiredCapacity?: number;
}

export interface BaseGroupOptions extends GroupCapacity {
  /** On-demand instance type. @default "t3.micro" */
  readonly instanceType?: string;
  /** Warm pool; `false` for none. @default one Stopped instance, reused on scale-in */
  readonly warmPool?: WarmPoolOptions | false;
  /** The launch lifecycle hook the user data completes. @default 600 s timeout, ABANDON */
  readonly lifecycleHook?: LaunchLifecycleHookOptions;
}

export interface SpotGroupOptions extends GroupCapacity, MixedInstancesOptions {
  /**
   * Not allowed: AWS refuses a warm pool on a group with a mixed-instances
   * policy or Spot. Present so that asking for one fails at synth with the
   * reason, not at apply.
   */
  readonly warmPool?: WarmPoolOptions;
}

export interface SpotInterruptionOptions {
  /** @default false (a replacement launches at once) */
  readonly decrementDesiredCapacity?: boolean;
  /** @default false */
  readonly rebalanceRecommendations?: boolean;
}

export interface WebFleetProps {
  readonly network: INetwork;
  /** Prefix of the load balancer (<= 32 characters) and group names (`<name>-base`, `<name>-spot`). */
  readonly name: string;
  /** Subnets of the instances. @default the PUBLIC subnets (with a public IP each: no NAT gateway to pay for) */
  readonly instanceSubnets?: SubnetSelection;
  /**
   * Public IPv4 address on each instance, for egress from public subnets
   * without NAT. Cost: 0.005 USD/h per running instance.
   * @default true for PUBLIC instance subnets, else false
   */
  readonly associatePublicIp?: boolean;
  /** Port the web app listens on. @default 8080 */
  readonly appPort?: number;
  /** HTTPS listener + HTTP->HTTPS redirect. @default none (HTTP only) */
  readonly certificateArn?: string;
  /** @default false */
  readonly deletionProtection?: boolean;
  readonly healthCheck?: HealthCheckOptions;
  /** @default 120 (the Spot notice) */
  readonly deregistrationDelaySeconds?: number;
  /** @default latest Amazon Linux 2023 x86_64 */
  readonly machineImage?: IMachineImage;
  /** Root volume GiB (gp3, encrypted). Cost: ~0.096 USD per GB-month, also while Stopped in the warm pool. @default 8 (16 with PyTorch) */
  readonly rootVolumeGiB?: number;
  /** @default FleetSetup.NONE */
  readonly setup?: FleetSetup;
  /** On-demand group with the warm pool. @default min 1, max 5, desired 1, t3.micro, Stopped warm pool of 1 */
  readonly base?: BaseGroupOptions;
  /**
   * Spot group with the mixed-instances policy; `false` for none.
   * Cost: Spot is typically 60-90% below on-demand.
   * @default min 0, max 5, desired 1, the 9 default types, price-capacity-optimized, all Spot
   */
  readonly spot?: SpotGroupOptions | false;
  /** ALBRequestCountPerTarget target of both groups (requests per instance per minute). @default 1000 */
  readonly targetRequestsPerInstance?: number;
  /** @default 120 */
  readonly healthCheckGracePeriodSeconds?: number;
  /** @default 120 */
  readonly defaultInstanceWarmupSeconds?: number;
  /**
   * Attach `AmazonSSMManagedInstanceCore` to both groups' instance roles:
   * Session Manager is how docs/web-fleet.md logs in (no key pair, no SSH).
   * `false` leaves the instances with no way in (the base group's role then
   * only completes its own lifecycle hook; the spot group gets no role).
   * @default true
   */
  readonly sessionManager?: boolean;
  /**
   * Spot interruption handler, acting on the Spot group only (the base group
   * is on-demand: no interruptions); `false` for none.
   * @default on, when the Spot group launches Spot capacity
   */
  readonly spotInterruption?: SpotInterruptionOptions | false;
}

/**
 * A web fleet behind one Application Load Balancer and one target group, in
 * two Auto Scaling groups because AWS refuses a warm pool on a group with
 * Spot or a mixed-instances policy:
 *
 * - **base**: on-demand, a Stopped warm pool (fast, predictable scale-out)
 *   and a launch lifecycle hook that the user data completes once the app
 *   answers, so instances enter the pool and the service only when ready;
 * - **spot**: a mixed-instances policy over nine types (cheap burst
 *   capacity), capacity rebalance, and a Spot interruption handler.
 *
 * Both: ELB health checks, target tracking on ALBRequestCountPerTarget,
 * instance refresh on launch template changes. Instances: Amazon Linux 2023,
 * IMDSv2, encrypted EBS, Session Manager by default (no key pair, no SSH), reachable
 * only from the load balancer on the app port.
 */
export class WebFleet extends Construct {
  readonly loadBalancer: WebLoadBalancer;
  readonly targetGroup: WebTargetGroup;
  readonly instanceSecurityGroup: SecurityGroup;
  readonly baseGroup: FleetGroup;
  readonly spotGroup?: FleetGroup;
  readonly spotInterruptionHandler?: SpotInterruptionHandler;

  constructor(scope: Construct, id: string, props: WebFleetProps) {
    super(scope, id);
    const appPort = props.appPort ?? DEFAULT_APP_PORT;
    const setup = props.setup ?? DEFAULT_FLEET_SETUP;
    const instanceSubnets = props.instanceSubnets ?? { subnetType: SubnetType.PUBLIC };
    const publicSubnets = instanceSubnets.subnetType === SubnetType.PUBLIC;
    const associatePublicIp = props.associatePublicIp ?? publicSubnets;
    const image = props.machineImage ?? defaultFleetImage();
    const rootVolumeGiB = props.rootVolumeGiB ?? (setup === FleetSetup.PYTORCH_CPU ? 16 : image.minRootVolumeGiB);
    const base = props.base ?? {};
    const baseType = base.instanceType ?? DEFAULT_BASE_INSTANCE_TYPE;
    const spot = props.spot === false ? undefined : (props.spot ?? {});
    const targetRequests = props.targetRequestsPerInstance ?? DEFAULT_REQUESTS_PER_TARGET;
    const sessionManager = props.sessionManager ?? true;
    const groupDefaults = {
      network: props.network,
      subnets: instanceSubnets,
      healthCheckGracePeriodSeconds: props.healthCheckGracePeriodSeconds,
      defaultInstanceWarmupSeconds: props.defaultInstanceWarmupSeconds,
    };

    // Validate first (the groups validate their own props as they are built).
    if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/.test(props.name)) {
      throw new Error(`name ("${props.name}") must be 1-32 letters, digits or hyphens (it names the load balancer)`);
    }
    assertIntInRange(appPort, 1, 65535, "appPort");
    if (!Object.values(FleetSetup).includes(setup)) throw new Error(`setup ("${setup}") must be one of ${Object.values(FleetSetup).join(", ")}`);
    assertInstanceType(baseType, "base.instanceType");
    if (spot?.warmPool) {
      throw new Error(`spot.warmPool: AWS refuses a warm pool on an Auto Scaling group that has a mixed instances policy or requests Spot Instances (PutWarmPool API reference); the warm pool belongs on the base group`);
    }
    if (image.requiresGpu) throw new Error(`machineImage (${image.description}) needs a GPU instance type; the fleet runs general-purpose types`);

    // Network paths: world -> ALB (80/443) -> instances (app port only).
    this.targetGroup = new WebTargetGroup(this, "TargetGroup", {
      network: props.network,
      port: appPort,
      healthCheck: props.healthCheck,
      deregistrationDelaySeconds: props.deregistrationDelaySeconds,
    });
    this.loadBalancer = new WebLoadBalancer(this, "LoadBalancer", {
      network: props.network,
      name: props.name,
      targetGroup: this.targetGroup,
      certificateArn: props.certificateArn,
      deletionProtection: props.deletionProtection,
    });
    this.instanceSecurityGroup = new SecurityGroup(this, "InstanceSecurityGroup", {
      network: props.network,
      description: `Web fleet ${props.name}: app port from the load balancer only, no SSH`,
    });
    this.loadBalancer.connectTo(this.instanceSecurityGroup, Port.tcp(appPort), `Web app port ${appPort} from the load balancer`);

    const baseName = `${props.name}-base`;
    const baseTemplate = this.launchTemplate("BaseLaunchTemplate", {
      image, rootVolumeGiB, associatePublicIp, instanceType: baseType, sessionManager,
      // The instances complete their own launch lifecycle hook: a role even without Session Manager.
      instanceRole: true,
      variables: {
        [ENV.appPort]: String(appPort),
        [ENV.asgName]: baseName,
        [ENV.lifecycleHookName]: base.lifecycleHook?.name ?? DEFAULT_LIFECYCLE_HOOK_NAME,
        [ENV.setup]: setup,
        [ENV.groupRole]: "base",
        [ENV.heartbeatSeconds]: String(heartbeatIntervalSeconds(base.lifecycleHook?.timeoutSeconds)),
      },
    });
    this.baseGroup = new FleetGroup(this, "BaseGroup", {
      ...groupDefaults,
      groupName: baseName,
      launchTemplate: baseTemplate,
      minSize: base.minSize,
      maxSize: base.maxSize,
      desiredCapacity: base.desiredCapacity,
      targetGroups: [this.targetGroup],
    });
    this.baseGroup.addLaunchLifecycleHook(base.lifecycleHook);
    if (associatePublicIp) allowPublicIp(this.baseGroup);
    if (base.warmPool !== false) this.baseGroup.addWarmPool(base.warmPool ?? {});
    this.baseGroup.scaleOnRequestCount({ loadBalancerArnSuffix: this.loadBalancer.arnSuffix, targetGroup: this.targetGroup, targetRequestsPerInstance: targetRequests });

    if (spot) {
      const spotTemplate = this.launchTemplate("SpotLaunchTemplate", {
        image, rootVolumeGiB, associatePublicIp, sessionManager, instanceRole: false,
        variables: { [ENV.appPort]: String(appPort), [ENV.asgName]: "", [ENV.lifecycleHookName]: "", [ENV.setup]: setup, [ENV.groupRole]: "spot" },
      });
      this.spotGroup = new FleetGroup(this, "SpotGroup", {
        ...groupDefaults,
        groupName: `${props.name}-spot`,
        launchTemplate: spotTemplate,
        minSize: spot.minSize ?? DEFAULT_SPOT_MIN_SIZE,
        maxSize: spot.maxSize,
        desiredCapacity: spot.desiredCapacity ?? DEFAULT_SPOT_DESIRED_CAPACITY,
        targetGroups: [this.targetGroup],
        mixedInstances: spot,
      });
      if (associatePublicIp) allowPublicIp(this.spotGroup);
      this.spotGroup.scaleOnRequestCount({ loadBalancerArnSuffix: this.loadBalancer.arnSuffix, targetGroup: this.targetGroup, targetRequestsPerInstance: targetRequests });
      // Only the Spot group gets interruption warnings: the handler may detach from it and nothing else.
      if (props.spotInterruption !== false && this.spotGroup.requestsSpot) {
        this.spotInterruptionHandler = new SpotInterruptionHandler(this, "SpotInterruptionHandler", {
          groups: [this.spotGroup],
          decrementDesiredCapacity: props.spotInterruption?.decrementDesiredCapacity,
          rebalanceRecommendations: props.spotInterruption?.rebalanceRecommendations,
        });
      }
    }
  }

  /** `http://<load balancer DNS name>` (https with a certificate). */
  get url(): string {
    return this.loadBalancer.url;
  }

  private launchTemplate(
    id: string,
    o: {
      image: IMachineImage;
      rootVolumeGiB: number;
      associatePublicIp: boolean;
      instanceType?: string;
      sessionManager: boolean;
      instanceRole: boolean;
      variables: Record<string, string>;
    },
  ): SecureLaunchTemplate {
    const template = new SecureLaunchTemplate(this, id, {
      machineImage: o.image,
      instanceType: o.instanceType,
      rootVolumeGiB: o.rootVolumeGiB,
      securityGroups: [this.instanceSecurityGroup],
      associatePublicIp: o.associatePublicIp,
      sessionManager: o.sessionManager,
      instanceRole: o.instanceRole,
      userData: UserData.fromFile(WEB_FLEET_USER_DATA, o.variables),
    });
    return template;
  }
}

function allowPublicIp(group: FleetGroup): void {
  suppress(
    group.resource,
    "ASG-NO-PUBLIC-IP",
    "public subnets without a NAT gateway: the public IP is the instances' only egress (dnf, SSM, the lifecycle hook call); ingress stays ALB-only",
  );
}
