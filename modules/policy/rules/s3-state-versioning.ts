import type { PolicyRule, ResourceView, StackIndex } from "../rule";
import { tagsOf } from "../helpers";

/** The tag that marks a bucket as holding Terraform state (set by modules/state StateBucket). */
export const STATE_BUCKET_TAG = { key: "Purpose", value: "terraform-state" } as const;

/**
 * A bucket the rule treats as precious: tagged `Purpose=terraform-state`,
 * or kept on destroy (`lifecycle.prevent_destroy`): data worth keeping is
 * worth its old versions.
 */
export function isStateBucket(bucket: ResourceView, stack: StackIndex): boolean {
  return tagsOf(bucket, stack)[STATE_BUCKET_TAG.key] === STATE_BUCKET_TAG.value || bucket.config.lifecycle?.prevent_destroy === true;
}

/** State buckets keep old versions: a bad apply or a deleted key is recoverable. */
export const S3StateVersioning: PolicyRule = {
  id: "S3-STATE-VERSIONING",
  description: "Buckets tagged Purpose=terraform-state or with prevent_destroy have versioning Enabled",
  level: "error",
  equivalents: { checkov: "CKV_AWS_21", trivy: "AVD-AWS-0090", cdkNag: "NIST.800.53.R5-S3BucketVersioningEnabled" },
  resourceTypes: ["aws_s3_bucket"],
  check(bucket, stack) {
    if (!isStateBucket(bucket, stack)) return undefined;
    const versioning = stack.referencing("aws_s3_bucket_versioning", bucket, "bucket");
    if (versioning.some((v) => v.config.versioning_configuration?.status === "Enabled")) return undefined;
    if (bucket.config.versioning?.enabled === true) return undefined;
    return "holds state (Purpose=terraform-state or prevent_destroy) but has no aws_s3_bucket_versioning with status Enabled";
  },
};
