import type { PolicyRule, ResourceView, StackIndex } from "../rule";
import { asList } from "../helpers";

/** Whether the bucket receives logs itself (an S3 server access log target, an ALB's or CloudFront's log bucket): logging it would loop. */
export function isLogBucket(bucket: ResourceView, stack: StackIndex): boolean {
  const refers = (v: unknown) => stack.resolveReference(v) === bucket || (typeof v === "string" && v === bucket.config.bucket);
  if (stack.byType("aws_s3_bucket_logging").some((l) => refers(l.config.target_bucket))) return true;
  if ([...stack.byType("aws_lb"), ...stack.byType("aws_alb")].some((lb) => asList(lb.config.access_logs).some((a: any) => refers(a.bucket)))) return true;
  return stack
    .byType("aws_cloudfront_distribution")
    .some((d) => asList(d.config.logging_config).some((l: any) => stack.referencesIn(l.bucket).includes(bucket)));
}

/** Who read or wrote which object (S3 server access logs). Warning: the logs need a second bucket. */
export const S3AccessLogging: PolicyRule = {
  id: "S3-ACCESS-LOGGING",
  description: "S3 buckets (other than log buckets) have an aws_s3_bucket_logging (cost: the log objects' storage, ~0.025 USD per GB-month)",
  level: "warning",
  equivalents: { checkov: "CKV_AWS_18", trivy: "AVD-AWS-0089", cdkNag: "AwsSolutions-S1" },
  moduleDefault: "off: StateBucket and StaticSite suppress it with their reason (CloudTrail records state access; CloudFront serves the site); log buckets are exempt",
  resourceTypes: ["aws_s3_bucket"],
  check(bucket, stack) {
    if (isLogBucket(bucket, stack)) return undefined;
    return stack.referencing("aws_s3_bucket_logging", bucket, "bucket").length ? undefined : "has no aws_s3_bucket_logging (server access logs)";
  },
};
