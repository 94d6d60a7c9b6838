import { Construct } from "constructs";
import { Network, SubnetType } from "../../../modules/network/network";
import { SecureLaunchTemplate } from "../../../modules/compute/launch-template";
import { MachineImage } from "../../../modules/compute/machine-image";

/** Two zones, public + private tiers, one NAT gateway: enough for every fleet layout. */
export function testNetwork(scope: Construct, availabilityZones = 2): Network {
  return new Network(scope, "Network", {
    cidr: "10.40.0.0/20",
    availabilityZones,
    subnets: [
      { name: "public", type: SubnetType.PUBLIC },
      { name: "private", type: SubnetType.PRIVATE_WITH_EGRESS },
    ],
    natGateways: 1,
  });
}

/** A Session Manager launch template, on-demand unless `spot`. */
export function testTemplate(scope: Construct, options: { instanceType?: string; spot?: boolean; id?: string } = {}): SecureLaunchTemplate {
  return new SecureLaunchTemplate(scope, options.id ?? "Template", {
    machineImage: MachineImage.latestAmazonLinux2023(),
    instanceType: "instanceType" in options ? options.instanceType : "t3.micro",
    sessionManager: true,
    spot: options.spot ? {} : undefined,
  });
}

/** The only value of a resource type map (fails when there are several). */
export function only<T = any>(map: Record<string, T> | undefined): T {
  const values = Object.values(map ?? {});
  if (values.length !== 1) throw new Error(`expected one, found ${values.length}`);
  return values[0];
}
