import type { PolicyRule, ResourceView, StackIndex } from "../rule";
import { address, asList, isTrue } from "../helpers";

/** An enabled lifecycle rule for every object that expires current versions: the bucket holds short-lived data by design (logs). */
function expiresEverything(bucket: ResourceView, stack: StackIndex): boolean {
  return stack.referencing("aws_s3_bucket_lifecycle_configuration", bucket, "bucket").some((lc) =>
    asList(lc.config.rule).some((r: any) => {
      if (r.status !== "Enabled") return false;
      const filter = asList(r.filter)[0] as any;
      const everything = !filter || Object.keys(filter).length === 0 || filter.prefix === "";
      return everything && asList(r.expiration).some((e: any) => Number(e.days) > 0);
    }),
  );
}

/** Whether the stack itself uploads the bucket's content (aws_s3_object) and empties it on destroy: rebuilt by the next apply. */
function rebuiltByStack(bucket: ResourceView, stack: StackIndex): boolean {
  return isTrue(bucket.config.force_destroy) && stack.referencing("aws_s3_object", bucket, "bucket").length > 0;
}

/**
 * A bucket that holds data the stack cannot rebuild keeps old versions,
 * so an overwrite or delete can be undone. Buckets whose content the stack
 * uploads (a static site) or that expire everything (log buckets) are
 * exempt; state buckets are checked by S3-STATE-VERSIONING as well.
 */
export const S3Versioning: PolicyRule = {
  id: "S3-VERSIONING",
  description: "S3 buckets have versioning Enabled unless the stack uploads their content (aws_s3_object + force_destroy) or a lifecycle rule expires every object",
  level: "error",
  equivalents: { checkov: "CKV_AWS_21", trivy: "AVD-AWS-0090", cdkNag: "NIST.800.53.R5-S3BucketVersioningEnabled" },
  moduleDefault: "StateBucket versions (old versions expire after 90 days); StaticSite content is rebuilt from site/; ALB log buckets expire objects",
  resourceTypes: ["aws_s3_bucket"],
  check(bucket, stack) {
    if (expiresEverything(bucket, stack) || rebuiltByStack(bucket, stack)) return undefined;
    const v = stack.referencing("aws_s3_bucket_versioning", bucket, "bucket");
    if (v.some((x) => asList(x.config.versioning_configuration).some((c: any) => c.status === "Enabled"))) return undefined;
    return v.length
      ? `its ${address(v[0])} is not Enabled, and the stack does not rebuild its content`
      : "has no aws_s3_bucket_versioning with status Enabled, holds data the stack does not upload, and expires nothing";
  },
};
