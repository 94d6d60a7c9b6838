import type { PolicyRule } from "../rule";
import { address, asList } from "../helpers";

/** CloudFront's managed SecurityHeadersPolicy (HSTS, nosniff, frame options, referrer policy, XSS protection). */
export const MANAGED_SECURITY_HEADERS_POLICY_ID = "67f7725c-6f97-4210-82d7-5512b31e9d03";

const NEEDED = ["strict_transport_security", "content_type_options", "frame_options", "referrer_policy"] as const;

/**
 * Cross-resource (distribution <-> response headers policy): every cache
 * behavior answers with HSTS, X-Content-Type-Options nosniff,
 * X-Frame-Options and Referrer-Policy.
 */
export const CloudfrontSecurityHeaders: PolicyRule = {
  id: "CLOUDFRONT-SECURITY-HEADERS",
  description: "CloudFront cache behaviors use a response headers policy with HSTS, nosniff, frame options and referrer policy",
  level: "error",
  equivalents: { checkov: "CKV2_AWS_32", trivy: "(none)", cdkNag: "(none)" },
  moduleDefault: "StaticSite: its own aws_cloudfront_response_headers_policy (free) on every behavior",
  resourceTypes: ["aws_cloudfront_distribution"],
  check(d, stack) {
    const behaviors = [...asList(d.config.default_cache_behavior), ...asList(d.config.ordered_cache_behavior)];
    for (const b of behaviors) {
      const id = b.response_headers_policy_id;
      if (id === MANAGED_SECURITY_HEADERS_POLICY_ID) continue;
      if (!id) return `a cache behavior (${b.path_pattern ?? "default"}) has no response_headers_policy_id`;
      const policy = stack.resolveReference(id);
      if (!policy || policy.type !== "aws_cloudfront_response_headers_policy") continue; // an existing policy id: cannot be read here
      const cfg = asList(policy.config.security_headers_config)[0] ?? {};
      const missing = NEEDED.filter((k) => asList((cfg as any)[k]).length === 0);
      if (missing.length) return `its ${address(policy)} sets no ${missing.join(", ")}`;
    }
    return undefined;
  },
};
