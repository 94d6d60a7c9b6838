/**
 * Every stack of the app, synthesized from the shipped configuration as
 * `npm run synth` does, goes through the same offline loop as `npm run plan`:
 * terraform init (provider from the mirror), validate, plan, show -json.
 */
import * as fs from "fs";
import * as path from "path";
import { loadConfig } from "../../config/load";
import { listStacks, runStacks, StackRun } from "../../tools/terraform";
import { summarizePlan } from "../../tools/plan-summary";
import { synthApp, tempDir } from "../helpers/synth";

const ROOT = path.resolve(__dirname, "..", "..");
const outdir = synthApp(loadConfig({ dir: ROOT, env: {} }));
const stacks = listStacks(outdir);
let runs: Map<string, StackRun>;

beforeAll(async () => {
  const results = await runStacks(outdir, stacks, { workRoot: tempDir("terraform"), mode: "offline" });
  runs = new Map(results.map((r) => [r.stack, r]));
}, 600_000);

describe("every stack, offline", () => {
  test("the app has the foundation stacks", () => {
    expect(stacks).toEqual(expect.arrayContaining(["state", "first-ec2"]));
  });

  test.each(stacks)("%s passes terraform validate and plans only creations", (stack) => {
    const run = runs.get(stack)!;
    if (!run.ok) throw new Error(`${stack} failed at terraform ${run.failedStep}:\n${run.error}`);
    expect(run.validateDiagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const summary = summarizePlan(run.plan!);
    expect(summary.counts.create).toBeGreaterThan(0);
    expect(summary.counts.delete + summary.counts.replace + summary.counts.update).toBe(0);
  });

  test.each(stacks)("%s as deployed carries no dummy credentials or local backend override", (stack) => {
    const dir = path.join(outdir, "stacks", stack);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith("_override.tf.json"))).toEqual([]);
    const json = fs.readFileSync(path.join(dir, "cdk.tf.json"), "utf8");
    expect(json).not.toMatch(/skip_credentials_validation|access_key|secret_key/);
  });

  test.each(stacks)("%s reads no data source that needs AWS (so plans stay offline)", (stack) => {
    const json = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
    const offlineSafe = ["aws_region", "aws_partition", "aws_iam_policy_document", "aws_default_tags", "aws_arn", "aws_service_principal"];
    expect(Object.keys(json.data ?? {}).filter((t) => !offlineSafe.includes(t))).toEqual([]);
  });
});
