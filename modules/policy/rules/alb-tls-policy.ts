import type { PolicyRule } from "../rule";
import { address } from "../helpers";

/** ELB security policies that refuse TLS 1.0 and 1.1. */
export const TLS12_POLICY = /^ELBSecurityPolicy-(TLS13-|TLS-1-2-|FS-1-2-)/;

/**
 * Cross-resource (load balancer <-> listener <-> certificate): an HTTPS
 * listener has a certificate and a policy that refuses TLS < 1.2.
 */
export const AlbTlsPolicy: PolicyRule = {
  id: "ALB-TLS-POLICY",
  description: "HTTPS listeners have a certificate_arn and an ssl_policy refusing TLS below 1.2 (ELBSecurityPolicy-TLS13-*, -TLS-1-2-*, -FS-1-2-*)",
  level: "error",
  equivalents: { checkov: "CKV_AWS_103", trivy: "AVD-AWS-0047", cdkNag: "NIST.800.53.R5-ELBTlsHttpsListenersOnly" },
  moduleDefault: "ApplicationLoadBalancer with certificateArn: HTTPS on 443 with ELBSecurityPolicy-TLS13-1-2-2021-06, port 80 redirects",
  resourceTypes: ["aws_lb_listener", "aws_alb_listener"],
  check(listener, stack) {
    if (!["HTTPS", "TLS"].includes(String(listener.config.protocol))) return undefined;
    const lb = stack.resolveReference(listener.config.load_balancer_arn);
    const where = lb ? ` on ${address(lb)}` : "";
    if (!listener.config.certificate_arn) return `${listener.config.protocol} listener${where} has no certificate_arn`;
    const policy = String(listener.config.ssl_policy ?? "ELBSecurityPolicy-2016-08");
    return TLS12_POLICY.test(policy) ? undefined : `${listener.config.protocol} listener${where} uses ${policy}, which accepts TLS 1.0/1.1`;
  },
};
