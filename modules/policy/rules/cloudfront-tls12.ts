import type { PolicyRule } from "../rule";
import { asList, isTrue } from "../helpers";

/**
 * Viewers negotiate TLS 1.2 or newer. The default `*.cloudfront.net`
 * certificate fixes the minimum at TLSv1 (AWS ignores
 * minimum_protocol_version with it), so it fails too: use an ACM
 * certificate (us-east-1) with TLSv1.2_2021, or suppress with the reason.
 */
export const CloudfrontTls12: PolicyRule = {
  id: "CLOUDFRONT-TLS12",
  description: "CloudFront uses its own certificate with minimum_protocol_version TLSv1.2_*",
  level: "error",
  equivalents: { checkov: "CKV_AWS_174", cdkNag: "AwsSolutions-CFR4" },
  resourceTypes: ["aws_cloudfront_distribution"],
  check(distribution) {
    const cert = asList(distribution.config.viewer_certificate)[0] as any;
    if (!cert || isTrue(cert.cloudfront_default_certificate)) {
      return "uses the default *.cloudfront.net certificate, which accepts TLSv1; use an ACM certificate with minimum_protocol_version TLSv1.2_2021";
    }
    const v = String(cert.minimum_protocol_version ?? "TLSv1");
    return v.startsWith("TLSv1.2_") || v.startsWith("TLSv1.3") ? undefined : `minimum_protocol_version is ${v}; use TLSv1.2_2021`;
  },
};
