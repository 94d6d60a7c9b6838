import type { PolicyRule } from "../rule";
import { asList, isTrue } from "../helpers";

/**
 * Instances of an Auto Scaling group need no public IPv4 address: each one
 * bills 0.005 USD/h and, behind a load balancer, opens a path around it.
 * Every group is checked (the ECS capacity group too, which has no target
 * group), through its launch template or mixed instances policy. Cost and
 * exposure, but fleets in public subnets without a NAT gateway need one
 * for egress: warning.
 */
export const AsgNoPublicIp: PolicyRule = {
  id: "ASG-NO-PUBLIC-IP",
  description: "Launch templates used by Auto Scaling groups (every group, load-balanced or not) do not request a public IP",
  level: "warning",
  equivalents: { checkov: "CKV_AWS_88", trivy: "AVD-AWS-0009", cdkNag: "AwsSolutions-EC28 area / NIST.800.53.R5-AutoScalingLaunchConfigPublicIpDisabled" },
  moduleDefault: "LaunchTemplate: no public IP unless asked; the web fleet and the ECS capacity group ask (public subnets, no NAT gateway at 0.062 USD/h) and suppress with that reason",
  resourceTypes: ["aws_autoscaling_group"],
  check(asg, stack) {
    const balanced = asList(asg.config.target_group_arns).length > 0 || asList(asg.config.load_balancers).length > 0;
    const spec = asList(asg.config.launch_template)[0] ?? asList(asList(asg.config.mixed_instances_policy)[0]?.launch_template)[0]?.launch_template_specification;
    const lt = stack.resolveReference(asList(spec)[0]?.id ?? asList(spec)[0]?.launch_template_id);
    if (!lt) return undefined;
    const pub = asList(lt.config.network_interfaces).some((n: any) => isTrue(n.associate_public_ip_address));
    if (!pub) return undefined;
    return `its launch template ${lt.path} (aws_launch_template.${lt.name}) gives every instance a public IP (0.005 USD/h each)${balanced ? " although traffic comes through the load balancer" : ""}`;
  },
};
