import type { PolicyRule } from "../rule";
import { address } from "../helpers";

const BUCKET_PARTS = [
  "aws_s3_bucket_policy",
  "aws_s3_bucket_public_access_block",
  "aws_s3_bucket_server_side_encryption_configuration",
  "aws_s3_bucket_versioning",
  "aws_s3_bucket_lifecycle_configuration",
  "aws_s3_bucket_logging",
  "aws_s3_bucket_ownership_controls",
];

/**
 * Cross-resource: a bucket's policy, encryption, public access block...
 * refers to a bucket of this stack (`${aws_s3_bucket.x.id}`). One written
 * with a literal name configures a bucket the stack does not manage, and
 * the bucket it was meant for is left without it - which the S3 rules
 * would then report on the wrong resource.
 */
export const S3ConfigAttached: PolicyRule = {
  id: "S3-CONFIG-ATTACHED",
  description: "Bucket policies, encryption, public access blocks, versioning, lifecycle and logging reference a bucket of the stack",
  level: "error",
  equivalents: { checkov: "(none)", trivy: "(none)", cdkNag: "(none)" },
  moduleDefault: "the modules pass the bucket construct, never a name",
  resourceTypes: BUCKET_PARTS,
  check(part, stack) {
    const target = stack.resolveReference(part.config.bucket);
    if (target?.type === "aws_s3_bucket") return undefined;
    const byName = stack.byType("aws_s3_bucket").find((b) => b.config.bucket === part.config.bucket);
    if (byName) return `names ${address(byName)} by its literal name (${part.config.bucket}): reference it (\${${address(byName)}.id}) so the two move together`;
    return `configures ${String(part.config.bucket)}, which is not a bucket of this stack`;
  },
};
