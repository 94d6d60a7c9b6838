import type { PolicyRule } from "../rule";
import { isTrue } from "../helpers";

/**
 * Subnets do not hand every instance a public IPv4 address (0.005 USD/h
 * each, and a path from the internet): instances that need one ask for it
 * in their launch template.
 */
export const SubnetNoAutoPublicIp: PolicyRule = {
  id: "SUBNET-NO-AUTO-PUBLIC-IP",
  description: "Subnets do not set map_public_ip_on_launch = true (public IPs are asked for per launch template)",
  level: "warning",
  equivalents: { checkov: "CKV_AWS_130", trivy: "AVD-AWS-0164", cdkNag: "NIST.800.53.R5-VPCSubnetAutoAssignPublicIpDisabled" },
  moduleDefault: "Network: map_public_ip_on_launch false on every subnet",
  resourceTypes: ["aws_subnet"],
  check(subnet) {
    return isTrue(subnet.config.map_public_ip_on_launch) ? "sets map_public_ip_on_launch: every instance launched here gets a public IP (0.005 USD/h each)" : undefined;
  },
};
