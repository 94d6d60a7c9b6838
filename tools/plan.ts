/**
 * `npm run plan`: synthesizes the app, then validates and plans every stack
 * with terraform and writes `cdktf.out/plan-summary.md`. Offline, all
 * stacks are modules of one terraform root (the review engine's), linked to
 * a provider install shared by every run (no init), and terraform runs
 * once in all: `plan` (which validates first; its diagnostics are the
 * validate results), whose plan file is read in Node
 * (tools/review/plan-file.ts) - each step printed with its time. Online,
 * each stack has its own real backend.
 *
 *   npm run plan                      offline: no AWS account, no network
 *   npm run plan -- first-ec2 state   only these stacks (the others keep their last result)
 *   npm run plan -- --online          real credentials and the S3 backend
 *
 * Each stack's result is kept in `cdktf.out/plan[-online]/<stack>/run.json`;
 * the summary is made from every stack's latest result, so planning one
 * stack never overwrites what the others said. Stacks from an earlier run
 * are marked with the time they were planned.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { checkTerraform, listStacks, runStacks, PlanMode, StackRun, terraformEnv, TerraformPlanJson } from "./terraform";
import { planFromEmpty } from "./review/engine";
import { cacheRoot } from "./review/install";
import { readOutdir } from "./review/sources";
import { oneLine, renderMarkdown } from "./plan-summary";
import { credentialsConfigured, isCredentialsError, noCredentialsLine } from "./credentials";
import { heartbeat } from "./process";

const ROOT = path.resolve(__dirname, "..");
/** cdktf's own variable moves the output folder (tests plan into their own). */
const OUTDIR = path.resolve(process.env.CDKTF_OUTDIR ?? path.join(ROOT, "cdktf.out"));

interface SavedRun {
  readonly plannedAt: string;
  readonly run: StackRun;
}

async function main(): Promise<void> {
  const started = Date.now();
  const stamp = () => `[${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s]`;
  const args = process.argv.slice(2);
  const mode: PlanMode = args.includes("--online") || process.env.INFRA_PLAN_ONLINE === "1" ? "online" : "offline";
  const wanted = args.filter((a) => !a.startsWith("--"));
  checkTerraform();

  let synthSeconds = 0;
  if (!args.includes("--no-synth")) {
    console.log(`${stamp()} synthesizing`);
    const synthStarted = Date.now();
    // As `npm run synth` runs it (the precompiled app, tools/run-app.js).
    execFileSync(process.execPath, [path.join(ROOT, "tools", "run-app.js"), "main.ts"], { cwd: ROOT, stdio: "inherit", env: { ...process.env, CDKTF_OUTDIR: OUTDIR } });
    synthSeconds = (Date.now() - synthStarted) / 1000;
  }
  const planStarted = Date.now();
  const all = listStacks(OUTDIR);
  const unknown = wanted.filter((s) => !all.includes(s));
  if (unknown.length) throw new Error(`unknown stack(s): ${unknown.join(", ")}; stacks are ${all.join(", ")}`);
  const stacks = wanted.length ? wanted : all;
  const workRoot = path.join(OUTDIR, mode === "offline" ? "plan" : "plan-online");
  if (mode === "online" && !credentialsConfigured()) console.error(noCredentialsLine("npm run plan -- --online", "npm run plan (offline)"));

  console.log(`${stamp()} planning ${stacks.length} stack(s) ${mode === "offline" ? "offline (dummy credentials, local backend)" : "against AWS"}`);
  const running = new Map<string, number>();
  // Offline, the engine says itself what terraform is doing and for how long.
  const stopHeartbeat = mode === "offline" ? () => undefined : heartbeat(console.log, () => {
    const list = [...running];
    if (!list.length) return undefined;
    const what = list.length > 3 ? `${list.length} stacks` : list.map(([s]) => s).join(", ");
    return `${stamp()} still planning ${what} (${Math.round((Date.now() - Math.min(...list.map(([, t]) => t))) / 1000)} s)`;
  });
  let runs: StackRun[];
  try {
    if (mode === "offline") {
      for (const st of stacks) {
        running.set(st, Date.now());
        console.log(`${stamp()} ${st}: started`);
      }
      runs = await planOffline(stacks, workRoot, (line) => console.log(`${stamp()} ${line}`));
      for (const r of runs) {
        running.delete(r.stack);
        console.log(`${stamp()} ${oneLine(r)}`);
      }
    } else {
      runs = await runStacks(OUTDIR, stacks, {
        mode,
        workRoot,
        onStart: (st) => {
          running.set(st, Date.now());
          console.log(`${stamp()} ${st}: started`);
        },
        onDone: (r) => {
          running.delete(r.stack);
          console.log(`${stamp()} ${oneLine(r)}`);
        },
      });
    }
  } finally {
    stopHeartbeat();
  }
  const now = new Date().toISOString();
  for (const r of runs) {
    fs.mkdirSync(path.join(workRoot, r.stack), { recursive: true });
    fs.writeFileSync(path.join(workRoot, r.stack, "run.json"), JSON.stringify({ plannedAt: now, run: r } satisfies SavedRun));
    if (r.plan) fs.writeFileSync(path.join(workRoot, r.stack, "plan.json"), JSON.stringify(r.plan));
  }

  // Every stack's latest result: this run's, else an earlier one's.
  const latest: StackRun[] = [];
  const notes = new Map<string, string>();
  for (const s of all) {
    const file = path.join(workRoot, s, "run.json");
    if (!fs.existsSync(file)) continue;
    const saved = JSON.parse(fs.readFileSync(file, "utf8")) as SavedRun;
    latest.push(saved.run);
    if (!stacks.includes(s)) notes.set(s, `from an earlier run (${saved.plannedAt}); \`npm run plan -- ${s}\` plans it again`);
  }
  const summaryFile = path.join(OUTDIR, "plan-summary.md");
  const markdown = renderMarkdown(latest, mode === "offline" ? "Terraform plan summary (offline)" : "Terraform plan summary", notes);
  fs.writeFileSync(summaryFile, markdown);
  console.log(`\n${markdown}`);
  console.log(`Wrote ${path.relative(process.cwd(), summaryFile)}`);
  const total = (Date.now() - started) / 1000;
  console.log(`${stamp()} planned ${stacks.length} stack(s) in ${total.toFixed(1)} s: synth ${synthSeconds.toFixed(1)} s, terraform ${((Date.now() - planStarted) / 1000).toFixed(1)} s`);
  const failed = runs.filter((r) => !r.ok);
  for (const f of failed) {
    const hint = mode === "online" && isCredentialsError(f.error ?? "") ? `${noCredentialsLine("npm run plan -- --online", "npm run plan (offline)")}\n` : "";
    console.error(`\n${f.stack} failed at terraform ${f.failedStep}:\n${hint}${f.error}`);
  }
  process.exitCode = failed.length ? 1 : 0;
}

/** Every stack validated and planned from an empty state in one terraform root, offline. */
async function planOffline(stacks: readonly string[], workRoot: string, log: (line: string) => void): Promise<StackRun[]> {
  const started = Date.now();
  const sources = readOutdir(OUTDIR);
  const workDir = path.join(workRoot, ".root");
  const results = await planFromEmpty(
    stacks.map((id) => ({ id, source: sources.get(id)! })),
    { workDir, env: terraformEnv(workRoot, "offline"), cacheDir: cacheRoot(ROOT), log },
  );
  const seconds = (Date.now() - started) / 1000;
  return results.map((r): StackRun => {
    const plan = { resource_changes: r.changes, output_changes: r.outputChanges } as unknown as TerraformPlanJson;
    return r.ok
      ? { stack: r.id, ok: true, plan, validateDiagnostics: r.validateDiagnostics, seconds }
      : { stack: r.id, ok: false, failedStep: "plan", error: r.error, validateDiagnostics: r.validateDiagnostics, seconds };
  });
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
