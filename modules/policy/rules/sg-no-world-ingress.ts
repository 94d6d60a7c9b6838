import type { PolicyRule, ResourceView, StackIndex } from "../rule";
import { WORLD_OPEN_PORTS, WORLD_OPEN_PREFIX, isWorldOpen } from "../../network/cidr";

function webOnly(from: unknown, to: unknown, protocol: unknown): boolean {
  return String(protocol) === "tcp" && from === to && WORLD_OPEN_PORTS.includes(Number(from));
}

/** Whether a load balancer of the stack uses this security group. */
function onLoadBalancer(group: ResourceView | undefined, stack: StackIndex): boolean {
  if (!group) return false;
  return [...stack.byType("aws_lb"), ...stack.byType("aws_alb")].some((lb) => stack.referencesIn(lb.config.security_groups).includes(group));
}

/**
 * Nothing faces the internet but HTTP/HTTPS on a load balancer's security
 * group. "The internet" is any public range wider than a /16 (IPv6: /48),
 * the definition the configuration and the security group helper share
 * (modules/network/cidr.ts `worldOpenProblem`), so `0.0.0.0/1` counts.
 */
export const SgNoWorldIngress: PolicyRule = {
  id: "SG-NO-WORLD-INGRESS",
  description: `No ingress from a public range wider than /${WORLD_OPEN_PREFIX.ipv4} (IPv6 /${WORLD_OPEN_PREFIX.ipv6}; 0.0.0.0/0, 0.0.0.0/1, ::/0...) except TCP 80/443 on a security group used by a load balancer`,
  level: "error",
  equivalents: { checkov: "CKV_AWS_24 / CKV_AWS_260", trivy: "AVD-AWS-0107", cdkNag: "AwsSolutions-EC23" },
  resourceTypes: ["aws_vpc_security_group_ingress_rule", "aws_security_group_rule", "aws_security_group"],
  check(resource, stack) {
    const c = resource.config;
    const group = resource.type === "aws_security_group" ? resource : stack.resolveReference(c.security_group_id);
    const open = (cidrs: unknown[], from: unknown, to: unknown, protocol: unknown) => {
      const world = cidrs.filter((x) => typeof x === "string" && isWorldOpen(x));
      if (world.length === 0) return undefined;
      const what = `ingress from ${world.join(", ")} on ${protocol}/${from ?? "all"}-${to ?? "all"}`;
      if (!webOnly(from, to, protocol)) return what;
      return onLoadBalancer(group, stack) ? undefined : `${what} on a security group no load balancer uses; put a load balancer in front`;
    };
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
