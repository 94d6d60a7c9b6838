import type { PolicyRule } from "../rule";
import { asList } from "../helpers";

const OK = ["https-only", "redirect-to-https"];

/** Viewers reach CloudFront over HTTPS only (plain HTTP is redirected). */
export const CloudfrontHttps: PolicyRule = {
  id: "CLOUDFRONT-HTTPS",
  description: "CloudFront cache behaviors use viewer_protocol_policy https-only or redirect-to-https",
  level: "error",
  equivalents: { checkov: "CKV_AWS_34", trivy: "AVD-AWS-0012", cdkNag: "(none; AWS Security Hub CloudFront.3)" },
  resourceTypes: ["aws_cloudfront_distribution"],
  check(distribution) {
    const behaviors = [
      ...asList(distribution.config.default_cache_behavior).map((b: any) => ({ where: "default_cache_behavior", b })),
      ...asList(distribution.config.ordered_cache_behavior).map((b: any) => ({ where: `ordered_cache_behavior ${b.path_pattern}`, b })),
    ];
    const bad = behaviors.find(({ b }) => !OK.includes(b.viewer_protocol_policy));
    return bad ? `${bad.where} has viewer_protocol_policy ${JSON.stringify(bad.b.viewer_protocol_policy)}` : undefined;
  },
};
