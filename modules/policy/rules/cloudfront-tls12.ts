import type { PolicyRule } from "../rule";
import { asList, isTrue } from "../helpers";

/** Security policies at least as strict as TLSv1.2_2021, oldest first. */
const STRICT_ENOUGH = /^TLSv1\.2_(202[1-9]|20[3-9]\d)$|^TLSv1\.3_\d{4}$/;

/**
 * Viewers negotiate TLS 1.2 or newer. The default `*.cloudfront.net`
 * certificate fixes the minimum at TLSv1 (AWS ignores
 * minimum_protocol_version with it, and setting it there only makes a
 * perpetual diff), so it fails too: use an ACM certificate (us-east-1) with
 * TLSv1.2_2021 or newer, or suppress with the reason.
 */
export const CloudfrontTls12: PolicyRule = {
  id: "CLOUDFRONT-TLS12",
  description: "CloudFront uses its own certificate with minimum_protocol_version TLSv1.2_*",
  level: "error",
  equivalents: { checkov: "CKV_AWS_174", trivy: "AVD-AWS-0013", cdkNag: "AwsSolutions-CFR4" },
  resourceTypes: ["aws_cloudfront_distribution"],
  check(distribution) {
    const cert = asList(distribution.config.viewer_certificate)[0] as any;
    if (!cert || isTrue(cert.cloudfront_default_certificate)) {
      const ignored = cert?.minimum_protocol_version
        ? ` (its minimum_protocol_version ${cert.minimum_protocol_version} is ignored by AWS and shows as a change on every plan: remove it)`
        : "";
      return `uses the default *.cloudfront.net certificate, which accepts TLSv1${ignored}; use an ACM certificate with minimum_protocol_version TLSv1.2_2021`;
    }
    const v = String(cert.minimum_protocol_version ?? "TLSv1");
    return STRICT_ENOUGH.test(v) ? undefined : `minimum_protocol_version is ${v}; use TLSv1.2_2021 or newer`;
  },
};
