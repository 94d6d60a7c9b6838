import type { PolicyRule } from "../rule";
import { asList } from "../helpers";

const LISTENERS = ["aws_lb_listener", "aws_alb_listener"];

/**
 * When a load balancer serves HTTPS, its HTTP listeners only redirect to
 * HTTPS (nobody keeps using the clear-text port by accident). A load
 * balancer without a certificate is HTTP-only by design and passes.
 */
export const AlbHttpsRedirect: PolicyRule = {
  id: "ALB-HTTPS-REDIRECT",
  description: "HTTP listeners redirect to HTTPS when the load balancer has an HTTPS listener or a certificate",
  level: "error",
  equivalents: { checkov: "CKV2_AWS_20", trivy: "AVD-AWS-0054", cdkNag: "NIST.800.53.R5-ALBHttpToHttpsRedirection" },
  resourceTypes: LISTENERS,
  check(listener, stack) {
    if (String(listener.config.protocol ?? "HTTP") !== "HTTP") return undefined;
    const lb = stack.resolveReference(listener.config.load_balancer_arn);
    if (!lb) return undefined;
    const siblings = LISTENERS.flatMap((t) => stack.referencing(t, lb, "load_balancer_arn"));
    const hasTls = siblings.some((l) => l.config.protocol === "HTTPS" || l.config.certificate_arn);
    if (!hasTls) return undefined;
    const redirects = asList(listener.config.default_action).every(
      (a: any) => a.type === "redirect" && asList(a.redirect).some((r: any) => r.protocol === "HTTPS"),
    );
    return redirects ? undefined : "the load balancer serves HTTPS, but this HTTP listener does not redirect to HTTPS";
  },
};
