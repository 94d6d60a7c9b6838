/**
 * `npm run plan` as a user runs it, offline: every stack of the app,
 * synthesized from the shipped configuration as `npm run synth` does,
 * validated and planned by terraform from an empty state (all stacks in one
 * terraform root, so the provider starts once per stack configuration, not
 * per run); a line when each stack starts and ends, with its time; and a
 * second run of one stack that keeps the other stacks' part of the summary.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { loadConfig } from "../../config/load";
import type { StackRun } from "../../tools/terraform";
import { listStacks } from "../../tools/terraform";
import { kindOf } from "../../tools/review/report";
import { synthApp } from "../helpers/app";
import { tempDir } from "../helpers/synth";

const ROOT = path.resolve(__dirname, "..", "..");
const plan = (outdir: string, ...args: string[]) =>
  spawnSync(process.execPath, ["tools/run-app.js", "tools/plan.ts", "--no-synth", ...args], { cwd: ROOT, env: { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: "1" }, encoding: "utf8" });

const outdir = synthApp(loadConfig({ dir: ROOT, env: {} }), tempDir("plan-app"));
const stacks = listStacks(outdir);
const runOf = (stack: string) => (JSON.parse(fs.readFileSync(path.join(outdir, "plan", stack, "run.json"), "utf8")) as { run: StackRun }).run;
let first: ReturnType<typeof plan>;

beforeAll(() => {
  first = plan(outdir);
}, 600_000);

describe("npm run plan: every stack, offline", () => {
  test("the app has the foundation stacks, and the run succeeds", () => {
    expect(stacks).toEqual(expect.arrayContaining(["state", "first-ec2"]));
    expect({ status: first.status, stderr: first.stderr }).toEqual({ status: 0, stderr: "" });
  });

  test.each(stacks)("%s passes terraform validate and plans only creations", (stack) => {
    const run = runOf(stack);
    if (!run.ok) throw new Error(`${stack} failed in terraform ${run.failedStep}:\n${run.error}`);
    expect(run.validateDiagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const kinds = (run.plan?.resource_changes ?? []).filter((c) => c.mode === "managed").map((c) => kindOf(c.change.actions));
    expect(kinds.filter((k) => k === "create").length).toBeGreaterThan(0);
    expect(kinds.filter((k) => k !== "create")).toEqual([]);
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

  test("says when each stack starts and ends, with its counts and time", () => {
    for (const stack of stacks) {
      expect(first.stdout).toMatch(new RegExp(`\\] ${stack}: started`));
      expect(first.stdout).toMatch(new RegExp(`\\] ${stack}: \\d+ to create \\(\\d+\\.\\d s\\)`));
    }
    expect(fs.readFileSync(path.join(outdir, "plan-summary.md"), "utf8")).not.toMatch(/from an earlier run/);
  });

  test("planning one stack again keeps the others' part of the summary, marked with when they were planned", () => {
    const again = plan(outdir, "simple-dynamodb");
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/\] simple-dynamodb: 1 to create \(\d+\.\d s\)/);
    expect(again.stdout).not.toMatch(/\] state: started/);
    const summary = fs.readFileSync(path.join(outdir, "plan-summary.md"), "utf8");
    for (const stack of stacks) expect(summary).toContain(`## ${stack}`);
    expect(summary).not.toMatch(/## simple-dynamodb\n\n_from an earlier run/);
    expect(summary).toMatch(/## state\n\n_from an earlier run \(20\d\d-[^)]+\); `npm run plan -- state` plans it again_/);
  }, 120_000);

  test("--online without credentials names the offline command, with terraform's error", () => {
    const home = tempDir("home");
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("AWS_")));
    const run = spawnSync(process.execPath, ["tools/run-app.js", "tools/plan.ts", "--no-synth", "--online", "simple-dynamodb"], {
      cwd: ROOT,
      env: { ...env, HOME: home, AWS_EC2_METADATA_DISABLED: "true", CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: "1" },
      encoding: "utf8",
    });
    expect(run.status).toBe(1);
    expect(run.stderr.split("\n")[0]).toMatch(/^No AWS credentials found: npm run plan -- --online needs an AWS account .* run npm run plan \(offline\)/);
    expect(run.stderr).toMatch(/No valid credential sources found/);
  }, 120_000);
});
