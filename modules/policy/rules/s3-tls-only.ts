import type { PolicyRule } from "../rule";
import { policyStatements } from "../helpers";

/** Buckets refuse plain-HTTP requests through a Deny on aws:SecureTransport = false. */
export const S3TlsOnly: PolicyRule = {
  id: "S3-TLS-ONLY",
  description: "S3 buckets have a bucket policy denying requests with aws:SecureTransport = false",
  level: "error",
  equivalents: { checkov: "(no Terraform check; AWS Security Hub S3.5)", trivy: "(none)", cdkNag: "AwsSolutions-S10" },
  resourceTypes: ["aws_s3_bucket"],
  check(bucket, stack) {
    const policies = stack.referencing("aws_s3_bucket_policy", bucket, "bucket");
    if (policies.length === 0) return "has no aws_s3_bucket_policy denying insecure transport";
    for (const p of policies) {
      const read = policyStatements(p.config.policy, stack);
      if (!read) return undefined; // not literal JSON or a policy document: cannot be read here
      const denies = read.statements.some(
        (s) =>
          s.effect === "Deny" &&
          s.actions.some((a) => a === "*" || a === "s3:*") &&
          s.conditions.some((c) => c.test === "Bool" && c.variable === "aws:SecureTransport" && c.values.includes("false")),
      );
      if (denies) return undefined;
    }
    return "its bucket policy has no Deny of s3:* when aws:SecureTransport is false";
  },
};
