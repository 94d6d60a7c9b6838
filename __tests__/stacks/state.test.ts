import { StateStack } from "../../stacks/state";
import { onlyResource, synthStack } from "../helpers/synth";
import { testConfig } from "../helpers/config";

describe("state stack", () => {
  const { json } = synthStack((app) => new StateStack(app, "state", testConfig()));

  test("keeps its own state in a local file (it creates the bucket the others use)", () => {
    expect(json.terraform?.backend).toEqual({ local: { path: "../../../terraform.state.tfstate" } });
  });

  test("creates the configured bucket, protected from destroy", () => {
    const bucket = onlyResource(json, "aws_s3_bucket");
    expect(bucket.bucket).toBe("aws-course-tfstate-test");
    expect(bucket.lifecycle).toEqual({ prevent_destroy: true });
    expect(bucket.force_destroy).toBe(false);
  });

  test("versioned, encrypted, private, owner-enforced", () => {
    expect(onlyResource(json, "aws_s3_bucket_versioning").versioning_configuration).toEqual({ status: "Enabled" });
    expect(onlyResource(json, "aws_s3_bucket_server_side_encryption_configuration").rule[0]).toMatchObject({
      apply_server_side_encryption_by_default: { sse_algorithm: "AES256" },
    });
    expect(onlyResource(json, "aws_s3_bucket_public_access_block")).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(onlyResource(json, "aws_s3_bucket_ownership_controls").rule).toEqual({ object_ownership: "BucketOwnerEnforced" });
  });

  test("denies every request that does not use TLS", () => {
    const doc = Object.values(json.data?.aws_iam_policy_document ?? {})[0] as any;
    expect(doc.statement[0]).toMatchObject({
      effect: "Deny",
      actions: ["s3:*"],
      condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
    });
  });

  test("expires old state versions after the configured window", () => {
    const { json: j } = synthStack((app) => new StateStack(app, "state", testConfig({ stacks: { state: { noncurrentVersionDays: 30 } } })));
    expect(onlyResource(j, "aws_s3_bucket_lifecycle_configuration").rule[0].noncurrent_version_expiration).toEqual([{ noncurrent_days: 30 }]);
  });

  test("allowDestroy lifts prevent_destroy and empties the bucket on destroy", () => {
    const { json: j } = synthStack((app) => new StateStack(app, "state", testConfig({ stacks: { state: { allowDestroy: true } } })));
    const bucket = onlyResource(j, "aws_s3_bucket");
    expect(bucket.lifecycle).toEqual({ prevent_destroy: false });
    expect(bucket.force_destroy).toBe(true);
  });

  test("outputs the backend settings the other stacks use", () => {
    expect(json.output?.BackendSettings.value).toMatchObject({
      bucket: expect.stringContaining("aws_s3_bucket"),
      key: "test/<stack>.tfstate",
      region: "ap-northeast-1",
      encrypt: true,
      use_lockfile: true,
    });
  });
});
