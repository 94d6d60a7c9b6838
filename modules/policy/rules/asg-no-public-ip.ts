import type { PolicyRule } from "../rule";
import { asList, isTrue } from "../helpers";

/**
 * Instances of an Auto Scaling group behind a load balancer need no public
 * IPv4 address: each one bills 0.005 USD/h and opens a path around the
 * load balancer. Cost and exposure, but fleets in public subnets without a
 * NAT gateway need one for egress: warning.
 */
export const AsgNoPublicIp: PolicyRule = {
  id: "ASG-NO-PUBLIC-IP",
  description: "Launch templates used by load-balanced Auto Scaling groups do not request a public IP",
  level: "warning",
  equivalents: { checkov: "CKV_AWS_88", cdkNag: "AwsSolutions-EC28 area / NIST.800.53.R5-AutoScalingLaunchConfigPublicIpDisabled" },
  resourceTypes: ["aws_autoscaling_group"],
  check(asg, stack) {
    if (asList(asg.config.target_group_arns).length === 0 && asList(asg.config.load_balancers).length === 0) return undefined;
    const spec = asList(asg.config.launch_template)[0] ?? asList(asList(asg.config.mixed_instances_policy)[0]?.launch_template)[0]?.launch_template_specification;
    const lt = stack.resolveReference(asList(spec)[0]?.id ?? asList(spec)[0]?.launch_template_id);
    if (!lt) return undefined;
    const pub = asList(lt.config.network_interfaces).some((n: any) => isTrue(n.associate_public_ip_address));
    return pub ? `its launch template ${lt.path} gives every instance a public IP (0.005 USD/h each) although traffic comes through the load balancer` : undefined;
  },
};
