import { describeRule, res } from "../rule-cases";
import { synthJson, TfJson } from "../../../helpers/synth";
import { S3PublicAccessBlock } from "../../../../modules/policy/rules/s3-public-access-block";
import { S3Encryption } from "../../../../modules/policy/rules/s3-encryption";
import { S3StateVersioning } from "../../../../modules/policy/rules/s3-state-versioning";
import { S3TlsOnly } from "../../../../modules/policy/rules/s3-tls-only";
import { StateBucket } from "../../../../modules/state/state-bucket";

const stateBucket = (retain = true) => () => synthJson((scope) => void new StateBucket(scope, "State", { bucketName: "b", retain }));
const bucket = (config: Record<string, unknown> = {}, more: TfJson = {}) => res("aws_s3_bucket", "b", { bucket: "b", ...config }, more);

describeRule(S3PublicAccessBlock, {
  compliant: [{ name: "StateBucket", tf: stateBucket() }],
  noncompliant: [
    { name: "bucket alone", tf: bucket(), message: /no aws_s3_bucket_public_access_block/ },
    {
      name: "block with public policies allowed (website)",
      tf: bucket({}, res("aws_s3_bucket_public_access_block", "p", { bucket: "${aws_s3_bucket.b.id}", block_public_acls: true, ignore_public_acls: true, block_public_policy: false, restrict_public_buckets: false })),
      message: /block_public_policy, restrict_public_buckets/,
    },
  ],
});

describeRule(S3Encryption, {
  compliant: [{ name: "StateBucket (SSE-S3)", tf: stateBucket() }],
  noncompliant: [{ name: "bucket alone", tf: bucket(), message: /no aws_s3_bucket_server_side_encryption_configuration/ }],
});

describeRule(S3StateVersioning, {
  compliant: [
    { name: "StateBucket (retained)", tf: stateBucket(true) },
    { name: "StateBucket that may be destroyed still versions (tag marker)", tf: stateBucket(false) },
    { name: "ordinary bucket without versioning is not a state bucket", tf: bucket() },
  ],
  noncompliant: [
    { name: "bucket tagged Purpose=terraform-state without versioning", tf: bucket({ tags: { Purpose: "terraform-state" } }), message: /Purpose=terraform-state/ },
    {
      name: "prevent_destroy bucket with versioning Suspended",
      tf: bucket({ lifecycle: { prevent_destroy: true } }, res("aws_s3_bucket_versioning", "v", { bucket: "${aws_s3_bucket.b.id}", versioning_configuration: { status: "Suspended" } })),
      message: /status Enabled/,
    },
  ],
});

const jsonPolicy = (statement: object) => bucket({}, res("aws_s3_bucket_policy", "p", { bucket: "${aws_s3_bucket.b.id}", policy: JSON.stringify({ Version: "2012-10-17", Statement: [statement] }) }));

describeRule(S3TlsOnly, {
  compliant: [
    { name: "StateBucket (policy document data source)", tf: stateBucket() },
    {
      name: "literal JSON deny",
      tf: jsonPolicy({ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: ["arn:aws:s3:::b/*"], Condition: { Bool: { "aws:SecureTransport": "false" } } }),
    },
  ],
  noncompliant: [
    { name: "bucket without policy", tf: bucket(), message: /no aws_s3_bucket_policy/ },
    { name: "public-read policy without the deny", tf: jsonPolicy({ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }), message: /SecureTransport/ },
  ],
});
