import { Aspects, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { synthKeepingErrors } from "../../tools/policy";
import { blockingFindings, checkOutdir, renderReport, reportJson } from "../../modules/policy/report";
import { COURSE_PACK } from "../../modules/policy/pack";
import { PolicyAspect } from "../../modules/policy/aspect";
import { suppress } from "../../modules/policy/suppress";
import { tempDir } from "../helpers/synth";

describe("npm run policy", () => {
  it("writes a stack that has policy errors, then reports every finding and suppression, failing on the error", () => {
    // GIVEN an app with one unencrypted queue and one suppressed one
    const outdir = tempDir("policy");
    // WHEN synthesized the way the command does (errors kept, not thrown)
    synthKeepingErrors(outdir, (app) => {
      const stack = new TerraformStack(app, "queues");
      new AwsProvider(stack, "aws", { region: "ap-northeast-1", defaultTags: [{ tags: { Project: "p", Environment: "e", Stack: "queues", ManagedBy: "cdktf" } }] });
      new SqsQueue(stack, "Plain", {});
      suppress(new SqsQueue(stack, "Scratch", {}), "SQS-ENCRYPTION", "scratch queue for a demo, holds nothing");
      Aspects.of(stack).add(new PolicyAspect());
    });
    const reports = checkOutdir(outdir);
    // THEN the error is blocking, the suppression is listed with its reason
    const blocking = blockingFindings(reports).map((f) => `${f.rule.id} ${f.resource.path}`);
    expect(blocking.filter((b) => b.startsWith("SQS-ENCRYPTION"))).toEqual(["SQS-ENCRYPTION queues/Plain"]);
    // Neither queue has a TLS-only queue policy: a cross-resource error on both.
    expect(blocking.filter((b) => b.startsWith("SQS-TLS-ONLY")).sort()).toEqual(["SQS-TLS-ONLY queues/Plain", "SQS-TLS-ONLY queues/Scratch"]);
    const text = renderReport(reports);
    expect(text).toMatch(new RegExp(`queues: ${COURSE_PACK.length} rules run; 3 error\\(s\\), 0 warning\\(s\\), 0 info, 1 suppression\\(s\\)`));
    expect(text).toMatch(/ERROR {3}\[SQS-ENCRYPTION\] queues\/Plain \(aws_sqs_queue\.Plain\): neither sqs_managed_sse_enabled nor kms_master_key_id is set/);
    expect(text).toMatch(/ {2}suppressed \[SQS-ENCRYPTION\] queues\/Scratch: scratch queue for a demo, holds nothing/);
    expect(text).toMatch(/Suppressions \(rule, resource, reason\):\n {2}\[SQS-ENCRYPTION\] queues\/Scratch: scratch queue for a demo, holds nothing/);
    expect(text).toMatch(/FAILED: 3 unsuppressed error finding\(s\)$/);
    // AND --json carries the same, with Terraform addresses and counts for CI
    const json = reportJson(reports) as any;
    expect(json.unsuppressedErrors).toBe(3);
    expect(json.rules.total).toBe(COURSE_PACK.length);
    expect(json.stacks[0]).toMatchObject({ stack: "queues", rulesRun: COURSE_PACK.length, open: { error: 3, warning: 0, info: 0 } });
    expect(json.stacks[0].findings).toEqual(
      expect.arrayContaining([expect.objectContaining({ rule: "SQS-ENCRYPTION", address: "aws_sqs_queue.Scratch", suppressed: "scratch queue for a demo, holds nothing" })]),
    );
  });
});
