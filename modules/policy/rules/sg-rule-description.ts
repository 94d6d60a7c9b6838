import type { PolicyRule } from "../rule";
import { asList } from "../helpers";

const TERRAFORM_DEFAULT = "Managed by Terraform";

/** Every security group and rule says why it exists, so a reviewer can judge it. */
export const SgRuleDescription: PolicyRule = {
  id: "SG-RULE-DESCRIPTION",
  description: "Security groups and every rule (separate or inline) carry a description",
  level: "error",
  equivalents: { checkov: "CKV_AWS_23", trivy: "AVD-AWS-0099 / AVD-AWS-0124", cdkNag: "(none; AWS Config security-group-rule-description)" },
  resourceTypes: ["aws_security_group", "aws_security_group_rule", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"],
  check(resource) {
    const c = resource.config;
    const blank = (d: unknown) => typeof d !== "string" || d.trim() === "";
    if (resource.type !== "aws_security_group") return blank(c.description) ? "rule has no description" : undefined;
    if (blank(c.description) || c.description === TERRAFORM_DEFAULT) return `group description is ${JSON.stringify(c.description ?? TERRAFORM_DEFAULT)}; say what the group is for`;
    for (const direction of ["ingress", "egress"] as const) {
      const missing = asList(c[direction]).filter((r: any) => blank(r.description));
      if (missing.length) return `${missing.length} inline ${direction} rule(s) have no description`;
    }
    return undefined;
  },
};
