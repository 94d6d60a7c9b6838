import type { PolicyRule } from "../rule";
import { address, asList, statementsOf } from "../helpers";

/**
 * Cross-resource (distribution <-> origin bucket <-> its policy): an S3
 * origin behind origin access control is readable by CloudFront, and only
 * by this distribution (AWS:SourceArn), not by any distribution of any account.
 */
export const CloudfrontOacBucketPolicy: PolicyRule = {
  id: "CLOUDFRONT-OAC-BUCKET-POLICY",
  description: "S3 origins with origin access control have a bucket policy granting cloudfront.amazonaws.com s3:GetObject only for this distribution (AWS:SourceArn)",
  level: "error",
  equivalents: { checkov: "(none)", trivy: "(none)", cdkNag: "(none; aws-cdk S3BucketOrigin.withOriginAccessControl)" },
  moduleDefault: "StaticSite (mode cloudfront) writes that policy",
  resourceTypes: ["aws_cloudfront_distribution"],
  check(d, stack) {
    for (const origin of asList(d.config.origin)) {
      if (!origin.origin_access_control_id) continue;
      const bucket = stack.referencesIn(origin.domain_name).find((r) => r.type === "aws_s3_bucket");
      if (!bucket) continue;
      const ok = stack.referencing("aws_s3_bucket_policy", bucket, "bucket").some((p) =>
        statementsOf(p.config.policy, stack).some(
          (s) =>
            s.effect === "Allow" &&
            s.actions.includes("s3:GetObject") &&
            s.principals.some((pr) => pr.identifiers.includes("cloudfront.amazonaws.com")) &&
            s.conditions.some((c) => /SourceArn/i.test(c.variable) && c.values.some((v) => stack.referencesIn(v).includes(d))),
        ),
      );
      if (!ok) return `origin ${address(bucket)} uses origin access control but no bucket policy lets this distribution (AWS:SourceArn) s3:GetObject`;
    }
    return undefined;
  },
};
