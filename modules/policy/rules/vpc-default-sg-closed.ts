import type { PolicyRule } from "../rule";
import { asList } from "../helpers";

/**
 * Every VPC takes over its default security group with no rules, so
 * nothing launched without a group gets the default's allow-all-within.
 */
export const VpcDefaultSgClosed: PolicyRule = {
  id: "VPC-DEFAULT-SG-CLOSED",
  description: "Every aws_vpc has an aws_default_security_group with no ingress and no egress",
  level: "error",
  equivalents: { checkov: "CKV2_AWS_12", trivy: "AVD-AWS-0173", cdkNag: "NIST.800.53.R5-VPCDefaultSecurityGroupClosed" },
  resourceTypes: ["aws_vpc"],
  check(vpc, stack) {
    const defaults = stack.referencing("aws_default_security_group", vpc, "vpc_id");
    if (defaults.length === 0) return "has no aws_default_security_group: the default group keeps its allow-all rules";
    const open = defaults.find((d) => asList(d.config.ingress).length > 0 || asList(d.config.egress).length > 0);
    return open ? `its default security group (${open.path}) still has rules; remove them` : undefined;
  },
};
