import { describeRule, merge, res } from "../rule-cases";
import { synthJson } from "../../../helpers/synth";
import { SgEgressUnrestricted } from "../../../../modules/policy/rules/sg-egress-unrestricted";
import { VpcFlowLogs } from "../../../../modules/policy/rules/vpc-flow-logs";
import { SubnetNoAutoPublicIp } from "../../../../modules/policy/rules/subnet-no-auto-public-ip";
import { Ec2NoPublicIp } from "../../../../modules/policy/rules/ec2-no-public-ip";
import { Ec2DetailedMonitoring } from "../../../../modules/policy/rules/ec2-detailed-monitoring";
import { Ec2TerminationProtection } from "../../../../modules/policy/rules/ec2-termination-protection";
import { AsgNoPublicIp } from "../../../../modules/policy/rules/asg-no-public-ip";
import { Network } from "../../../../modules/network/network";

const egress = (config: Record<string, unknown>) => res("aws_vpc_security_group_egress_rule", "e", { security_group_id: "${aws_security_group.g.id}", description: "out", ...config });

describeRule(SgEgressUnrestricted, {
  compliant: [
    { name: "HTTPS out to anywhere", tf: egress({ cidr_ipv4: "0.0.0.0/0", ip_protocol: "tcp", from_port: 443, to_port: 443 }) },
    { name: "everything out to the VPC", tf: egress({ cidr_ipv4: "10.0.0.0/16", ip_protocol: "-1" }) },
  ],
  noncompliant: [
    { name: "all protocols to 0.0.0.0/0", tf: egress({ cidr_ipv4: "0.0.0.0/0", ip_protocol: "-1" }), message: /egress to 0\.0\.0\.0\/0 on every port/ },
    { name: "inline egress to 0.0.0.0/1 (world-open, wider than /16)", tf: res("aws_security_group", "g", { description: "d", egress: [{ cidr_blocks: ["0.0.0.0/1"], protocol: "-1", from_port: 0, to_port: 0 }] }), message: /0\.0\.0\.0\/1/ },
  ],
});

describeRule(VpcFlowLogs, {
  compliant: [
    { name: "Network with flowLogs", tf: () => synthJson((s) => void new Network(s, "Network", { flowLogs: { trafficType: "REJECT" } })) },
  ],
  noncompliant: [{ name: "VPC alone", tf: res("aws_vpc", "v", { cidr_block: "10.0.0.0/16" }), message: /0\.76 USD per GB/ }],
});

describeRule(SubnetNoAutoPublicIp, {
  compliant: [{ name: "the Network construct's subnets", tf: () => synthJson((s) => void new Network(s, "Network")) }],
  noncompliant: [{ name: "map_public_ip_on_launch", tf: res("aws_subnet", "s", { vpc_id: "${aws_vpc.v.id}", cidr_block: "10.0.0.0/24", map_public_ip_on_launch: true }), message: /public IP/ }],
});

const template = (pub: boolean, more: Record<string, unknown> = {}) =>
  res("aws_launch_template", "lt", { network_interfaces: [{ associate_public_ip_address: String(pub), device_index: 0 }], ...more });
const group = (config: Record<string, unknown> = {}) =>
  res("aws_autoscaling_group", "asg", { min_size: 0, max_size: 1, launch_template: { id: "${aws_launch_template.lt.id}", version: "$Latest" }, ...config });

describeRule(Ec2NoPublicIp, {
  compliant: [
    { name: "template without a public IP", tf: template(false) },
    { name: "public template of an Auto Scaling group (ASG-NO-PUBLIC-IP's case)", tf: merge(template(true), group()) },
  ],
  noncompliant: [
    { name: "standalone template with a public IP", tf: template(true), message: /public IP/ },
    { name: "instance with associate_public_ip_address", tf: res("aws_instance", "i", { ami: "ami-1", associate_public_ip_address: true }), message: /associate_public_ip_address/ },
  ],
});

describe("ASG-NO-PUBLIC-IP checks every group", () => {
  describeRule(AsgNoPublicIp, {
    compliant: [{ name: "group whose template asks for no public IP", tf: merge(template(false), group()) }],
    noncompliant: [
      { name: "group without target groups (the ECS capacity group)", tf: merge(template(true), group()), message: /aws_launch_template\.lt.*public IP/ },
      { name: "load-balanced group", tf: merge(template(true), group({ target_group_arns: ["${aws_lb_target_group.t.arn}"] })), message: /although traffic comes through the load balancer/ },
    ],
  });
});

describeRule(Ec2DetailedMonitoring, {
  compliant: [
    { name: "template with monitoring", tf: res("aws_launch_template", "lt", { monitoring: { enabled: true } }) },
    { name: "instance from such a template", tf: merge(res("aws_launch_template", "lt", { monitoring: { enabled: true } }), res("aws_instance", "i", { launch_template: { id: "${aws_launch_template.lt.id}" } })) },
  ],
  noncompliant: [{ name: "template with basic monitoring", tf: res("aws_launch_template", "lt", { monitoring: { enabled: false } }), message: /5-minute/ }],
});

describeRule(Ec2TerminationProtection, {
  compliant: [{ name: "instance with disable_api_termination", tf: res("aws_instance", "i", { ami: "ami-1", disable_api_termination: true }) }],
  noncompliant: [{ name: "instance without it", tf: res("aws_instance", "i", { ami: "ami-1" }), message: /disable_api_termination/ }],
});
