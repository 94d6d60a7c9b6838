/**
 * `npm run plan` as a user sees it: a line when each stack starts and ends,
 * with its time, and a summary that keeps the other stacks' results when
 * one stack is planned again.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { testConfig } from "../helpers/config";
import { synthApp, tempDir } from "../helpers/synth";

const ROOT = path.resolve(__dirname, "..", "..");
const plan = (outdir: string, ...args: string[]) =>
  spawnSync(process.execPath, ["--import", "tsx", "tools/plan.ts", "--no-synth", ...args], { cwd: ROOT, env: { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: "1" }, encoding: "utf8" });

describe("npm run plan", () => {
  const outdir = synthApp(testConfig(), tempDir("plan-app"), ["state", "simple-dynamodb"]);

  test("says when each stack starts and ends, and planning one stack keeps the other's part of the summary", () => {
    const first = plan(outdir, "simple-dynamodb");
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/\] simple-dynamodb: started/);
    expect(first.stdout).toMatch(/\] simple-dynamodb: 1 to create \(\d+\.\d s\)/);

    const second = plan(outdir, "state");
    expect(second.status).toBe(0);
    const summary = fs.readFileSync(path.join(outdir, "plan-summary.md"), "utf8");
    expect(summary).toContain("## state");
    expect(summary).toContain("## simple-dynamodb");
    expect(summary).toMatch(/## simple-dynamodb\n\n_from an earlier run \(20\d\d-[^)]+\); `npm run plan -- simple-dynamodb` plans it again_/);
    expect(summary).not.toMatch(/## state\n\n_from an earlier run/);
  }, 120_000);

  test("--online without credentials names the offline command, with terraform's error", () => {
    const home = tempDir("home");
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("AWS_")));
    const run = spawnSync(process.execPath, ["--import", "tsx", "tools/plan.ts", "--no-synth", "--online", "simple-dynamodb"], {
      cwd: ROOT,
      env: { ...env, HOME: home, AWS_EC2_METADATA_DISABLED: "true", CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: "1" },
      encoding: "utf8",
    });
    expect(run.status).toBe(1);
    expect(run.stderr.split("\n")[0]).toMatch(/^No AWS credentials found: npm run plan -- --online needs an AWS account .* run npm run plan \(offline\)/);
    expect(run.stderr).toMatch(/No valid credential sources found/);
  }, 120_000);
});
