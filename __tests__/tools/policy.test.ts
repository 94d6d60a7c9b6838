import { Aspects, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { synthKeepingErrors } from "../../tools/policy";
import { blockingFindings, checkOutdir, renderReport } from "../../modules/policy/report";
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
    expect(blockingFindings(reports).map((f) => `${f.rule.id} ${f.resource.path}`)).toEqual(["SQS-ENCRYPTION queues/Plain"]);
    const text = renderReport(reports);
    expect(text).toMatch(/ERROR {3}\[SQS-ENCRYPTION\] queues\/Plain: neither sqs_managed_sse_enabled nor kms_master_key_id is set/);
    expect(text).toMatch(/Suppressions \(rule, resource, reason\):\n {2}\[SQS-ENCRYPTION\] queues\/Scratch: scratch queue for a demo, holds nothing/);
    expect(text).toMatch(/FAILED: 1 unsuppressed error finding\(s\)$/);
  });
});
