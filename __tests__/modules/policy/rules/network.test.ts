import { describeRule, res } from "../rule-cases";
import { synthJson, TfJson } from "../../../helpers/synth";
import { SgNoWorldIngress } from "../../../../modules/policy/rules/sg-no-world-ingress";
import { SgRuleDescription } from "../../../../modules/policy/rules/sg-rule-description";
import { VpcDefaultSgClosed } from "../../../../modules/policy/rules/vpc-default-sg-closed";
import { Network } from "../../../../modules/network/network";
import { SecurityGroup } from "../../../../modules/network/security-group";
import { Peer, Port } from "../../../../modules/network/peer";

const sshFromOneAddress = () =>
  synthJson((scope) => {
    const network = new Network(scope, "Net");
    new SecurityGroup(scope, "Ssh", { network, description: "SSH" }).allowFrom(Peer.ipv4("198.51.100.7/32"), Port.tcp(22), "SSH from one address");
  });

/** A load balancer whose group is open on `port` to `cidr` (the world by default). */
const lbOpenOn = (port: number, onLb = true, cidr = "0.0.0.0/0"): TfJson => ({
  resource: {
    aws_security_group: { lb: { description: "LB", vpc_id: "vpc-1" } },
    aws_vpc_security_group_ingress_rule: {
      web: { security_group_id: "${aws_security_group.lb.id}", cidr_ipv4: cidr, ip_protocol: "tcp", from_port: port, to_port: port, description: "web" },
    },
    ...(onLb ? { aws_lb: { lb: { security_groups: ["${aws_security_group.lb.id}"], drop_invalid_header_fields: true } } } : {}),
  },
});

describeRule(SgNoWorldIngress, {
  compliant: [
    { name: "SSH from one address (real SecurityGroup)", tf: sshFromOneAddress },
    { name: "HTTPS from anywhere on a load balancer's group", tf: lbOpenOn(443) },
    { name: "SSH from an office /24", tf: lbOpenOn(22, false, "198.51.100.0/24") },
    { name: "SSH from a private /8", tf: lbOpenOn(22, false, "10.0.0.0/8") },
    {
      name: "inline ingress from one IPv6 site",
      tf: res("aws_security_group", "g", { description: "x", ingress: [{ ipv6_cidr_blocks: ["2001:db8:1234::/48"], protocol: "tcp", from_port: 22, to_port: 22, description: "ssh" }] }),
    },
  ],
  noncompliant: [
    { name: "SSH from anywhere", tf: lbOpenOn(22), message: /0\.0\.0\.0\/0 on tcp\/22-22/ },
    { name: "SSH from half the internet (0.0.0.0/1)", tf: lbOpenOn(22, false, "0.0.0.0/1"), message: /0\.0\.0\.0\/1 on tcp\/22-22/ },
    { name: "SSH from 128.0.0.0/1", tf: lbOpenOn(22, false, "128.0.0.0/1"), message: /128\.0\.0\.0\/1/ },
    { name: "SSH from a public /8", tf: lbOpenOn(22, false, "1.0.0.0/8"), message: /1\.0\.0\.0\/8/ },
    {
      name: "inline ingress from 2000::/3 on SSH",
      tf: res("aws_security_group", "g", { description: "x", ingress: [{ ipv6_cidr_blocks: ["2000::/3"], protocol: "tcp", from_port: 22, to_port: 22, description: "ssh" }] }),
      message: /2000::\/3/,
    },
    { name: "HTTP from anywhere on a group no load balancer uses", tf: lbOpenOn(80, false), message: /no load balancer uses/ },
    {
      name: "inline ingress from ::/0 on all ports",
      tf: res("aws_security_group", "g", { description: "x", ingress: [{ ipv6_cidr_blocks: ["::/0"], protocol: "-1", from_port: 0, to_port: 0, description: "all" }] }),
      message: /::\/0/,
    },
    {
      name: "aws_security_group_rule ingress on 3389",
      tf: res("aws_security_group_rule", "r", { type: "ingress", cidr_blocks: ["0.0.0.0/0"], protocol: "tcp", from_port: 3389, to_port: 3389 }),
      message: /3389/,
    },
  ],
});

describeRule(SgRuleDescription, {
  compliant: [
    { name: "SecurityGroup helper rules", tf: sshFromOneAddress },
    { name: "inline rules with descriptions", tf: res("aws_security_group", "g", { description: "web", ingress: [{ description: "https", from_port: 443 }], egress: [{ description: "all" }] }) },
  ],
  noncompliant: [
    { name: "separate rule without description", tf: res("aws_vpc_security_group_egress_rule", "r", { security_group_id: "sg-1", cidr_ipv4: "0.0.0.0/0", ip_protocol: "-1" }), message: /no description/ },
    { name: "group with Terraform's default description", tf: res("aws_security_group", "g", { description: "Managed by Terraform" }), message: /Managed by Terraform/ },
    { name: "inline ingress without description", tf: res("aws_security_group", "g", { description: "web", ingress: [{ from_port: 443 }] }), message: /inline ingress/ },
    { name: "aws_security_group_rule without description", tf: res("aws_security_group_rule", "r", { type: "egress" }), message: /no description/ },
  ],
});

describeRule(VpcDefaultSgClosed, {
  compliant: [{ name: "Network takes over the default group with no rules", tf: () => synthJson((scope) => void new Network(scope, "Net")) }],
  noncompliant: [
    { name: "VPC without aws_default_security_group", tf: res("aws_vpc", "v", { cidr_block: "10.0.0.0/16" }), message: /has no aws_default_security_group/ },
    {
      name: "default group that keeps an egress rule",
      tf: res("aws_vpc", "v", { cidr_block: "10.0.0.0/16" }, res("aws_default_security_group", "d", { vpc_id: "${aws_vpc.v.id}", egress: [{ protocol: "-1", cidr_blocks: ["0.0.0.0/0"] }] })),
      message: /still has rules/,
    },
  ],
});
