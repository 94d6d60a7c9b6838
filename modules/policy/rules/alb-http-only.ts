import type { PolicyRule } from "../rule";
import { address } from "../helpers";

/**
 * A load balancer without an HTTPS listener sends everything (cookies,
 * form posts) in clear text. Warning: a workshop target without a domain
 * name has no certificate to serve.
 */
export const AlbHttpOnly: PolicyRule = {
  id: "ALB-HTTP-ONLY",
  description: "Internet-facing load balancers have an HTTPS listener (give the module a certificateArn)",
  level: "warning",
  equivalents: { checkov: "CKV_AWS_2", trivy: "AVD-AWS-0054", cdkNag: "NIST.800.53.R5-ALBHttpToHttpsRedirection" },
  moduleDefault: "ApplicationLoadBalancer: HTTP only until certificateArn is given (course stacks have no domain); it suppresses this rule with that reason",
  resourceTypes: ["aws_lb", "aws_alb"],
  check(lb, stack) {
    if (lb.config.internal === true || lb.config.load_balancer_type === "network") return undefined;
    const listeners = [...stack.byType("aws_lb_listener"), ...stack.byType("aws_alb_listener")].filter((l) => stack.resolveReference(l.config.load_balancer_arn) === lb);
    if (listeners.length === 0) return undefined;
    return listeners.some((l) => l.config.protocol === "HTTPS")
      ? undefined
      : `has only plain-HTTP listeners (${listeners.map(address).join(", ")}): traffic travels unencrypted`;
  },
};
