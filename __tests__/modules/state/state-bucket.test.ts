import { StateBucket } from "../../../modules/state/state-bucket";
import { onlyResource, synthJson } from "../../helpers/synth";

describe("StateBucket", () => {
  test("retains the bucket by default and keeps old versions 90 days", () => {
    const json = synthJson((s) => new StateBucket(s, "State", { bucketName: "my-state" }));
    expect(onlyResource(json, "aws_s3_bucket")).toMatchObject({ bucket: "my-state", force_destroy: false, lifecycle: { prevent_destroy: true } });
    const rule = onlyResource(json, "aws_s3_bucket_lifecycle_configuration").rule[0];
    expect(rule.noncurrent_version_expiration).toEqual([{ noncurrent_days: 90 }]);
    expect(rule.abort_incomplete_multipart_upload).toEqual([{ days_after_initiation: 7 }]);
  });

  test("the bucket policy applies to the bucket and its objects", () => {
    const json = synthJson((s) => new StateBucket(s, "State", { bucketName: "my-state" }));
    const doc = Object.values(json.data!.aws_iam_policy_document)[0] as any;
    expect(doc.statement[0].resources).toEqual([expect.stringMatching(/\.arn\}$/), expect.stringMatching(/\.arn\}\/\*$/)]);
    expect(onlyResource(json, "aws_s3_bucket_policy").policy).toMatch(/aws_iam_policy_document/);
  });

  test("noncurrentVersionDays must be a whole number >= 1", () => {
    expect(() => synthJson((s) => new StateBucket(s, "State", { bucketName: "b-1", noncurrentVersionDays: 0 }))).toThrow(/noncurrentVersionDays \(0\)/);
  });
});
