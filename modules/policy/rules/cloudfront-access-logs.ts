import type { PolicyRule } from "../rule";
import { asList } from "../helpers";

/** Who fetched what from the distribution. Warning: legacy logging needs an ACL-enabled bucket. */
export const CloudfrontAccessLogs: PolicyRule = {
  id: "CLOUDFRONT-ACCESS-LOGS",
  description: "CloudFront distributions set logging_config (standard logs to S3; cost: the log storage, ~0.025 USD per GB-month)",
  level: "warning",
  equivalents: { checkov: "CKV_AWS_86", trivy: "AVD-AWS-0010", cdkNag: "AwsSolutions-CFR3" },
  moduleDefault: "StaticSite: off, suppressed with the reason (standard logs need a bucket with ACLs enabled, which the pack's bucket-owner-enforced buckets refuse)",
  resourceTypes: ["aws_cloudfront_distribution"],
  check(d) {
    return asList(d.config.logging_config).some((l: any) => l.bucket) ? undefined : "has no logging_config (no access logs)";
  },
};
