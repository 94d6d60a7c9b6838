/**
 * The review engine on hard cases: a stack that terraform refuses does not
 * take the others down (its report says why, in terraform's words), and a
 * stack with a second, aliased provider is planned with it.
 */
import * as path from "path";
import { App } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { suppress } from "../../../modules/policy/suppress";
import type { StackReport } from "../../../tools/review/report";
import { reviewStacks } from "../../../tools/review/review";
import { cacheRoot } from "../../../tools/review/install";
import { readOutdir } from "../../../tools/review/sources";
import { terraformEnv } from "../../../tools/terraform";
import { tempDir } from "../../helpers/synth";
import { LabStack, synthLab } from "./lab-stack";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const lab = (props: Parameters<typeof synthLab>[0]["lab"]) => readOutdir(synthLab({ lab: props })).get("lab")!;
let reports: Record<string, StackReport>;

/** The lab stack with a queue in us-east-1 through an aliased provider. */
function withAlias(delaySeconds: number) {
  const outdir = tempDir("alias");
  const app = new App({ outdir, stackTraces: false });
  const stack = new LabStack(app, "lab", {});
  const east = new AwsProvider(stack, "east", { region: "us-east-1", alias: "east" });
  const jobs = new SqsQueue(stack, "EastJobs", { provider: east, name: "aws-course-lab-east-jobs", sqsManagedSseEnabled: true, delaySeconds });
  suppress(jobs, "SQS-TLS-ONLY", "fixture of the aliased-provider plan: never deployed, holds no messages");
  app.synth();
  return readOutdir(outdir).get("lab")!;
}

beforeAll(async () => {
  const workDir = tempDir("review-failures");
  reports = await reviewStacks(
    [
      { id: "good", base: lab({}), head: lab({ queue: false }) },
      { id: "broken-head", base: lab({}), head: lab({ queueDelaySeconds: 99999 }) },
      { id: "broken-base", base: lab({ queueDelaySeconds: 99999 }), head: lab({}) },
      { id: "alias", base: withAlias(0), head: withAlias(5) },
    ],
    { workDir, env: terraformEnv(workDir, "offline"), cacheDir: cacheRoot(ROOT), reuseBaselines: false },
  );
}, 300_000);

describe("a second, aliased provider", () => {
  test("the resource it manages is planned through it, against the baseline", () => {
    expect(reports.alias.status).toBe("changed");
    expect(reports.alias.changes).toEqual([expect.objectContaining({ address: "aws_sqs_queue.EastJobs", actions: ["update"], attributes: { delay_seconds: { before: 0, after: 5 } } })]);
  });
});

describe("stacks terraform refuses", () => {
  test("a head that does not plan: an error with terraform's message", () => {
    expect(reports["broken-head"].status).toBe("error");
    expect(reports["broken-head"].error).toMatch(/^terraform plan failed:\nError: .*delay_seconds/s);
  });

  test("a base whose baseline cannot be built: an error that says so, with terraform's message", () => {
    expect(reports["broken-base"].status).toBe("error");
    expect(reports["broken-base"].error).toMatch(/^the baseline could not be built: terraform plan failed:\nError: .*delay_seconds/s);
  });

  test("the other stack still gets its report", () => {
    expect(reports.good.status).toBe("changed");
    expect(reports.good.changes.map((c) => `${c.address} ${c.actions}`).sort()).toEqual(["aws_sqs_queue.Jobs delete", "aws_sqs_queue_policy.JobsPolicy delete"]);
  });
});
