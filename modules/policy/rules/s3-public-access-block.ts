import type { PolicyRule } from "../rule";

const FLAGS = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"];

/** Every bucket has a public access block with all four settings on. */
export const S3PublicAccessBlock: PolicyRule = {
  id: "S3-PUBLIC-ACCESS-BLOCK",
  description: "S3 buckets have an aws_s3_bucket_public_access_block with all four flags true",
  level: "error",
  equivalents: { checkov: "CKV2_AWS_6", trivy: "AVD-AWS-0086 / 0087 / 0091 / 0093 / 0094", cdkNag: "NIST.800.53.R5-S3BucketLevelPublicAccessProhibited" },
  resourceTypes: ["aws_s3_bucket"],
  check(bucket, stack) {
    const blocks = stack.referencing("aws_s3_bucket_public_access_block", bucket, "bucket");
    if (blocks.length === 0) return "has no aws_s3_bucket_public_access_block";
    const off = FLAGS.filter((f) => !blocks.some((b) => b.config[f] === true));
    return off.length ? `public access block leaves ${off.join(", ")} off` : undefined;
  },
};
