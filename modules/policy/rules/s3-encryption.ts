import type { PolicyRule } from "../rule";

/** Every bucket declares its default encryption (so a reviewer sees which key). */
export const S3Encryption: PolicyRule = {
  id: "S3-ENCRYPTION",
  description: "S3 buckets have an aws_s3_bucket_server_side_encryption_configuration",
  level: "error",
  equivalents: { checkov: "CKV_AWS_19 / CKV_AWS_145", trivy: "AVD-AWS-0088", cdkNag: "AwsSolutions-S10 / NIST.800.53.R5-S3BucketServerSideEncryptionEnabled" },
  resourceTypes: ["aws_s3_bucket"],
  check(bucket, stack) {
    const configs = stack.referencing("aws_s3_bucket_server_side_encryption_configuration", bucket, "bucket");
    if (configs.length === 0) return "has no aws_s3_bucket_server_side_encryption_configuration";
    const algorithm = configs[0].config.rule?.[0]?.apply_server_side_encryption_by_default?.sse_algorithm;
    return algorithm ? undefined : "its encryption configuration names no sse_algorithm";
  },
};
