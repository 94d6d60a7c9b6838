import type { PolicyRule } from "../rule";

const WORLD = ["0.0.0.0/0", "::/0"];
const WEB_PORTS = [80, 443];

function webOnly(from: unknown, to: unknown, protocol: unknown): boolean {
  return String(protocol) === "tcp" && from === to && WEB_PORTS.includes(Number(from));
}

/** Nothing but HTTP/HTTPS faces the whole internet. */
export const SgNoWorldIngress: PolicyRule = {
  id: "SG-NO-WORLD-INGRESS",
  description: "No ingress from 0.0.0.0/0 or ::/0 except TCP 80/443 (load balancers)",
  level: "error",
  equivalents: { checkov: "CKV_AWS_24 / CKV_AWS_260", cdkNag: "AwsSolutions-EC23" },
  resourceTypes: ["aws_vpc_security_group_ingress_rule", "aws_security_group_rule", "aws_security_group"],
  check(resource) {
    const c = resource.config;
    const open = (cidrs: unknown[], from: unknown, to: unknown, protocol: unknown) =>
      cidrs.some((x) => WORLD.includes(String(x))) && !webOnly(from, to, protocol)
        ? `ingress from ${cidrs.filter((x) => WORLD.includes(String(x))).join(", ")} on ${protocol}/${from ?? "all"}-${to ?? "all"}`
        : undefined;
    if (resource.type === "aws_vpc_security_group_ingress_rule") {
      return open([c.cidr_ipv4, c.cidr_ipv6], c.from_port, c.to_port, c.ip_protocol);
    }
    if (resource.type === "aws_security_group_rule") {
      return c.type === "ingress"
        ? open([...(c.cidr_blocks ?? []), ...(c.ipv6_cidr_blocks ?? [])], c.from_port, c.to_port, c.protocol)
        : undefined;
    }
    for (const rule of c.ingress ?? []) {
      const why = open([...(rule.cidr_blocks ?? []), ...(rule.ipv6_cidr_blocks ?? [])], rule.from_port, rule.to_port, rule.protocol);
      if (why) return why;
    }
    return undefined;
  },
};
