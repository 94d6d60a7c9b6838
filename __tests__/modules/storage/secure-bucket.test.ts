import { Testing } from "cdktf";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { SecureBucket } from "../../../modules/storage/secure-bucket";
import { synthJson, resourcesOf } from "../../helpers/synth";

const statements = (json: any) => JSON.parse(JSON.stringify(Object.values<any>(json.data.aws_iam_policy_document)[0].statement));

describe("SecureBucket", () => {
  test("is private, owner-enforced, SSE-S3 and TLS-only by default", () => {
    const out = Testing.synthScope((s) => new SecureBucket(s, "Logs", { bucketPrefix: "logs-" }));
    expect(out).toHaveResourceWithProperties(S3Bucket, { bucket_prefix: "logs-", force_destroy: false });
    expect(out).toHaveResourceWithProperties(S3BucketOwnershipControls, { rule: { object_ownership: "BucketOwnerEnforced" } });
    expect(out).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true,
    });
    expect(out).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" }, bucket_key_enabled: true }],
    });
    expect(out).toHaveResource(S3BucketPolicy);
    expect(out).not.toHaveResource(S3BucketVersioningA);
    expect(out).not.toHaveResource(S3BucketLifecycleConfiguration);
    expect(statements(JSON.parse(out)).map((st: any) => st.sid)).toEqual(["DenyInsecureTransport"]);
  });

  test("adds statements before the TLS-only Deny; versioning and lifecycle on request", () => {
    const json = synthJson((s) => {
      const b = new SecureBucket(s, "State", { bucketName: "my-state", versioned: true, lifecycleRules: [{ id: "r", status: "Enabled" }] });
      b.addToResourcePolicy({ sid: "ReadForSomeone", effect: "Allow", actions: ["s3:GetObject"], resources: [`${b.bucketArn}/*`] });
    });
    expect(Object.values<any>(resourcesOf(json, "aws_s3_bucket"))[0].bucket).toBe("my-state");
    expect(Object.keys(resourcesOf(json, "aws_s3_bucket_versioning"))).toHaveLength(1);
    expect(Object.keys(resourcesOf(json, "aws_s3_bucket_lifecycle_configuration"))).toHaveLength(1);
    expect(statements(json).map((st: any) => st.sid)).toEqual(["ReadForSomeone", "DenyInsecureTransport"]);
  });

  test("a public website bucket allows a public policy, without the TLS-only Deny, after the public access block", () => {
    const json = synthJson((s) => {
      const b = new SecureBucket(s, "Site", { bucketPrefix: "site-", publicWebsite: true });
      b.addToResourcePolicy({ sid: "PublicRead", effect: "Allow", actions: ["s3:GetObject"], resources: [`${b.bucketArn}/*`] });
    });
    const pab = Object.values<any>(resourcesOf(json, "aws_s3_bucket_public_access_block"))[0];
    expect([pab.block_public_policy, pab.restrict_public_buckets]).toEqual([false, false]);
    expect(statements(json).map((st: any) => st.sid)).toEqual(["PublicRead"]);
    expect(Object.values<any>(resourcesOf(json, "aws_s3_bucket_policy"))[0].depends_on).toEqual([
      expect.stringMatching(/^aws_s3_bucket_public_access_block\./),
    ]);
  });

  test("with the id Default its parts have the caller's addresses", () => {
    const json = synthJson((s) => new SecureBucket(new (require("constructs").Construct)(s, "Site"), "Default", { bucketPrefix: "x-" }));
    expect(Object.keys(resourcesOf(json, "aws_s3_bucket"))).toEqual([expect.stringMatching(/^Site_Bucket_/)]);
    expect(Object.keys(resourcesOf(json, "aws_s3_bucket_policy"))).toEqual([expect.stringMatching(/^Site_Policy_/)]);
  });
});
