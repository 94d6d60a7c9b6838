import type { PolicyRule } from "../rule";
import { isWorldOpen } from "../../network/cidr";

const allPorts = (protocol: unknown, from: unknown, to: unknown) =>
  String(protocol) === "-1" || String(protocol) === "all" || (Number(from) === 0 && (Number(to) === 65535 || Number(to) === 0));

/**
 * Egress to any address on every port lets a compromised host reach
 * anything (exfiltration, command and control). Info: instances need dnf,
 * SSM and AWS APIs, which a NAT-less course VPC reaches only over the
 * internet; the modules' security groups are egress-scoped where they can be.
 */
export const SgEgressUnrestricted: PolicyRule = {
  id: "SG-EGRESS-UNRESTRICTED",
  description: "Security group egress is not open to a world-open range on every port and protocol",
  level: "info",
  equivalents: { checkov: "CKV_AWS_382", trivy: "AVD-AWS-0104", cdkNag: "(none)" },
  moduleDefault: "SecurityGroup allows all outbound by default (allowAllOutbound); the load balancer's group only reaches its targets",
  resourceTypes: ["aws_vpc_security_group_egress_rule", "aws_security_group_rule", "aws_security_group"],
  check(r) {
    const c = r.config;
    const open = (cidrs: unknown[], protocol: unknown, from: unknown, to: unknown) => {
      const world = cidrs.filter((x) => typeof x === "string" && isWorldOpen(x));
      return world.length && allPorts(protocol, from, to) ? `egress to ${world.join(", ")} on every port (protocol ${protocol})` : undefined;
    };
    if (r.type === "aws_vpc_security_group_egress_rule") return open([c.cidr_ipv4, c.cidr_ipv6], c.ip_protocol, c.from_port, c.to_port);
    if (r.type === "aws_security_group_rule") {
      return c.type === "egress" ? open([...(c.cidr_blocks ?? []), ...(c.ipv6_cidr_blocks ?? [])], c.protocol, c.from_port, c.to_port) : undefined;
    }
    for (const e of c.egress ?? []) {
      const why = open([...(e.cidr_blocks ?? []), ...(e.ipv6_cidr_blocks ?? [])], e.protocol, e.from_port, e.to_port);
      if (why) return why;
    }
    return undefined;
  },
};
