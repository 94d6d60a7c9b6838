import { Construct } from "constructs";
import type { InfraConfig } from "../config";
import { INetwork, SubnetType } from "../modules/network/network";
import { SecurityGroup } from "../modules/network/security-group";
import { Peer, Port } from "../modules/network/peer";

/**
 * The course network shared by the instance hands-ons (first-ec2,
 * gpu-jupyter): 10.10.0.0/23, one AZ, one public /24, no NAT gateway (a NAT
 * gateway bills ~0.06 USD/h; the course insists on 0).
 */
export const COURSE_NETWORK = {
  cidr: "10.10.0.0/23",
  availabilityZones: 1,
  subnets: [{ name: "public", type: SubnetType.PUBLIC, cidrMask: 24 }],
  natGateways: 0,
} as const;

/**
 * The course's SSH-only security group: TCP 22 from `ssh.ingressCidr` and
 * nothing else in (world-open only with `ssh.allowWorldOpen`); all out.
 */
export function sshOnlySecurityGroup(scope: Construct, network: INetwork, config: InfraConfig, purpose: { description: string; ruleDescription: string }): SecurityGroup {
  const ssh = new SecurityGroup(scope, "SshSecurityGroup", {
    network,
    description: purpose.description,
    allowWorldOpenIngress: config.ssh.allowWorldOpen,
  });
  ssh.allowFrom(Peer.ipv4(config.ssh.ingressCidr), Port.tcp(22), purpose.ruleDescription);
  return ssh;
}
