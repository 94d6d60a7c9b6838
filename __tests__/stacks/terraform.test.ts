/**
 * Every stack of the app, synthesized from the shipped configuration as
 * `npm run synth` does, validated and planned by terraform from an empty
 * state, offline: all stacks in one terraform root (the review engine's),
 * so the provider starts once for the nine.
 */
import * as fs from "fs";
import * as path from "path";
import { loadConfig } from "../../config/load";
import { listStacks, terraformEnv } from "../../tools/terraform";
import type { EmptyPlan } from "../../tools/review/engine";
import { planFromEmpty } from "../../tools/review/engine";
import { kindOf } from "../../tools/review/report";
import { cacheRoot } from "../../tools/review/schema";
import { readOutdir } from "../../tools/review/sources";
import { synthApp, tempDir } from "../helpers/synth";

const ROOT = path.resolve(__dirname, "..", "..");
const outdir = synthApp(loadConfig({ dir: ROOT, env: {} }));
const stacks = listStacks(outdir);
let runs: Map<string, EmptyPlan>;

beforeAll(async () => {
  const workDir = tempDir("terraform");
  const sources = readOutdir(outdir);
  const results = await planFromEmpty(
    stacks.map((id) => ({ id, source: sources.get(id)! })),
    { workDir, env: terraformEnv(workDir, "offline"), cacheDir: cacheRoot(ROOT) },
  );
  runs = new Map(results.map((r) => [r.id, r]));
}, 600_000);

describe("every stack, offline", () => {
  test("the app has the foundation stacks", () => {
    expect(stacks).toEqual(expect.arrayContaining(["state", "first-ec2"]));
  });

  test.each(stacks)("%s passes terraform validate and plans only creations", (stack) => {
    const run = runs.get(stack)!;
    if (!run.ok) throw new Error(`${stack} failed in terraform:\n${run.error}`);
    expect(run.validateDiagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const kinds = run.changes.filter((c) => c.mode === "managed").map((c) => kindOf(c.change.actions));
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
});
