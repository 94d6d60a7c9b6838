import { Construct } from "constructs";
import { limitName } from "../modules/core/names";
import { TerraformOutput } from "cdktf";
import type { InfraConfig } from "../config";
import { CourseStack } from "./course-stack";
import { Network, SubnetTier, SubnetType } from "../modules/network/network";
import { WebFleet } from "../modules/fleet/web-fleet";

/** The fleet's VPC block: /24 subnets per tier and zone. */
export const WEB_FLEET_CIDR = "10.40.0.0/20";

/**
 * `web-fleet` (SPEC sections 6, 7, 9): an internet-facing ALB and one target
 * group in front of two Auto Scaling groups - on-demand `base` with a
 * Stopped warm pool and a launch lifecycle hook, and `spot` with a
 * mixed-instances policy - plus the Spot interruption handler. Outputs the URL.
 */
export class WebFleetStack extends CourseStack {
  readonly network: Network;
  readonly fleet: WebFleet;

  constructor(scope: Construct, id: string, config: InfraConfig) {
    super(scope, id, config);
    const s = config.stacks.webFleet;
    const name = this.resourceName(id);
    const isPrivate = s.instanceSubnets === "private";

    const tiers: SubnetTier[] = [{ name: "public", type: SubnetType.PUBLIC, cidrMask: 24 }];
    if (isPrivate) tiers.push({ name: "private", type: SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 24 });
    this.network = new Network(this, "Network", {
      name,
      cidr: WEB_FLEET_CIDR,
      availabilityZones: s.availabilityZones,
      subnets: tiers,
      natGateways: isPrivate ? s.natGateways : 0,
    });

    this.fleet = new WebFleet(this, "Fleet", {
      network: this.network,
      name: limitName(name, 32),
      instanceSubnets: { subnetType: isPrivate ? SubnetType.PRIVATE_WITH_EGRESS : SubnetType.PUBLIC },
      appPort: s.appPort,
      certificateArn: s.certificateArn,
      deletionProtection: s.deletionProtection,
      setup: s.setup,
      rootVolumeGiB: s.rootVolumeGiB,
      deregistrationDelaySeconds: s.deregistrationDelaySeconds,
      healthCheck: s.healthCheck,
      targetRequestsPerInstance: s.targetRequestsPerInstance,
      healthCheckGracePeriodSeconds: s.healthCheckGracePeriodSeconds,
      defaultInstanceWarmupSeconds: s.defaultInstanceWarmupSeconds,
      base: {
        instanceType: s.base.instanceType,
        minSize: s.base.minSize,
        maxSize: s.base.maxSize,
        desiredCapacity: s.base.desiredCapacity,
        warmPool: s.base.warmPoolEnabled ? s.base.warmPool : false,
        lifecycleHook: { timeoutSeconds: s.base.lifecycleHookTimeoutSeconds },
      },
      spot: s.spot.enabled
        ? {
            minSize: s.spot.minSize,
            maxSize: s.spot.maxSize,
            desiredCapacity: s.spot.desiredCapacity,
            instanceTypes: s.spot.instanceTypes,
            spotAllocationStrategy: s.spot.allocationStrategy,
            spotInstancePools: s.spot.spotInstancePools,
            onDemandBaseCapacity: s.spot.onDemandBaseCapacity,
            onDemandPercentageAboveBaseCapacity: s.spot.onDemandPercentageAboveBaseCapacity,
            warmPool: s.spot.warmPool,
          }
        : false,
      spotInterruption: s.spotInterruption.enabled
        ? { decrementDesiredCapacity: s.spotInterruption.decrementDesiredCapacity, rebalanceRecommendations: s.spotInterruption.rebalanceRecommendations }
        : false,
    });

    new TerraformOutput(this, "Url", { value: this.fleet.url, description: "The fleet behind its load balancer" });
    new TerraformOutput(this, "BaseGroupName", { value: this.fleet.baseGroup.groupName });
    if (this.fleet.spotGroup) new TerraformOutput(this, "SpotGroupName", { value: this.fleet.spotGroup.groupName });
    if (this.fleet.spotInterruptionHandler) {
      new TerraformOutput(this, "SpotInterruptionFunctionName", { value: this.fleet.spotInterruptionHandler.function.functionName });
    }
    new TerraformOutput(this, "LoadTestCommand", {
      description: "Load test (hey); watch the groups scale in the EC2 console",
      value: `hey -z 5m -c 50 ${this.fleet.url}/`,
    });
  }
}
