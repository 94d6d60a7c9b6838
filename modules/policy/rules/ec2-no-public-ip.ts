import type { PolicyRule } from "../rule";
import { asList, isTrue } from "../helpers";

/**
 * Launch templates and instances do not ask for a public IPv4 address
 * (0.005 USD/h each, reachable from the internet if a security group
 * slips). Templates of Auto Scaling groups are checked on the group
 * (ASG-NO-PUBLIC-IP). Warning: a NAT-less course VPC needs one for egress.
 */
export const Ec2NoPublicIp: PolicyRule = {
  id: "EC2-NO-PUBLIC-IP",
  description: "Launch templates (not used by an Auto Scaling group) and instances do not request a public IP",
  level: "warning",
  equivalents: { checkov: "CKV_AWS_88", trivy: "AVD-AWS-0009", cdkNag: "NIST.800.53.R5-EC2InstanceNoPublicIp" },
  moduleDefault: "LaunchTemplate: associatePublicIp false unless asked; first-ec2 and gpu-jupyter ask (SSH/Jupyter from your IP, no NAT) and say so in a suppression",
  resourceTypes: ["aws_launch_template", "aws_instance"],
  check(r, stack) {
    if (r.type === "aws_instance") return isTrue(r.config.associate_public_ip_address) ? "sets associate_public_ip_address (0.005 USD/h)" : undefined;
    const usedByGroup = stack.byType("aws_autoscaling_group").some((g) => stack.referencesIn(g.config).includes(r));
    if (usedByGroup) return undefined;
    const pub = asList(r.config.network_interfaces).some((n: any) => isTrue(n.associate_public_ip_address));
    return pub ? "gives its instances a public IP (0.005 USD/h each)" : undefined;
  },
};
