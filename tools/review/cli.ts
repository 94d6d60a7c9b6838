/**
 * `npm run review`: what a change does to every stack, per resource, with
 * terraform's own decisions, and no AWS account.
 *
 *   npm run review                          base: merge base with origin/main (or main)
 *   npm run review -- --base HEAD~1         base: any git ref; head: the working tree
 *   npm run review -- --base-dir A --head-dir B   two synthesized cdktf.out folders
 *   npm run review -- --online              against the real state (your credentials)
 *   npm run review -- --json report.json    the machine-readable report too
 *   npm run review -- --stack first-ec2     only some stacks (repeatable)
 *
 * Writes cdktf.out/review.md (also printed on stdout) and cdktf.out/review.json;
 * progress goes to stderr. Exit 1 when a stack could not be planned.
 */
import * as fs from "fs";
import * as path from "path";
import { checkTerraform, runStack, terraformEnv } from "../terraform";
import { withHeartbeat } from "../process";
import { credentialsConfigured, isCredentialsError, noCredentialsLine } from "../credentials";
import type { Comparison, ComparisonResult } from "./engine";
import { reviewStacks } from "./review";
import { renderReview } from "./markdown";
import type { ReviewReport, StackReport } from "./report";
import { kindOf } from "./report";
import { cacheRoot } from "./install";
import { defaultBase, readOutdir, resolveRef, synthesize, synthesizeCommit } from "./sources";

const ROOT = path.resolve(__dirname, "..", "..");
const OUTDIR = path.join(ROOT, "cdktf.out");

export interface ReviewArgs {
  readonly base?: string;
  readonly baseDir?: string;
  readonly headDir?: string;
  readonly online: boolean;
  readonly json?: string;
  readonly stacks: readonly string[];
}

const USAGE = `usage: npm run review -- [--base <git ref> | --base-dir <cdktf.out> --head-dir <cdktf.out>] [--online] [--json <file>] [--stack <name> ...]`;

export function parseArgs(argv: readonly string[]): ReviewArgs {
  const out: { -readonly [K in keyof ReviewArgs]: ReviewArgs[K] } = { online: false, stacks: [] };
  const stacks: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith("--")) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === "--base") out.base = value();
    else if (a === "--base-dir") out.baseDir = value();
    else if (a === "--head-dir") out.headDir = value();
    else if (a === "--json") out.json = value();
    else if (a === "--stack") stacks.push(value());
    else if (a === "--online") out.online = true;
    else if (a === "--help" || a === "-h") throw new UsageError("", 0);
    else throw new UsageError(`unknown argument ${a}`);
  }
  if (!!out.baseDir !== !!out.headDir) throw new UsageError("--base-dir and --head-dir go together");
  if (out.baseDir && out.base) throw new UsageError("--base and --base-dir exclude each other");
  return { ...out, stacks };
}

class UsageError extends Error {
  constructor(
    message: string,
    readonly code = 2,
  ) {
    super(message);
  }
}

/** Prints `line` with the seconds since start, to stderr. */
function logger(started: number): (line: string) => void {
  return (line) => process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${line}\n`);
}

export async function review(args: ReviewArgs, log: (line: string) => void): Promise<{ report: ReviewReport; markdown: string }> {
  checkTerraform();
  const reviewDir = path.join(OUTDIR, "review");
  const cacheDir = cacheRoot(ROOT);
  let baseLabel: string;
  let headLabel: string;
  let baseDir: string;
  let headDir: string;
  if (args.baseDir && args.headDir) {
    baseDir = path.resolve(args.baseDir);
    headDir = path.resolve(args.headDir);
    baseLabel = path.relative(process.cwd(), baseDir) || baseDir;
    headLabel = path.relative(process.cwd(), headDir) || headDir;
  } else {
    const commit = args.base ? resolveRef(ROOT, args.base) : defaultBase(ROOT);
    baseLabel = `${args.base ?? "merge base"} (${commit.slice(0, 12)})`;
    headLabel = "working tree";
    baseDir = path.join(reviewDir, "base");
    headDir = path.join(reviewDir, "head");
    log(`synthesizing the head (working tree) and the base ${baseLabel}, in parallel`);
    const timed = async (label: string, p: Promise<void>) => {
      const t = Date.now();
      await p;
      log(`${label}: synthesized (${((Date.now() - t) / 1000).toFixed(1)} s)`);
    };
    await withHeartbeat(
      log,
      "synth",
      Promise.all([
        timed("head", synthesize(ROOT, headDir)),
        timed("base", synthesizeCommit({ root: ROOT, commit, outdir: baseDir, cacheDir, log })),
      ]),
    );
  }
  const base = readOutdir(baseDir);
  const head = readOutdir(headDir);
  const names = [...new Set([...base.keys(), ...head.keys()])].sort();
  const unknown = args.stacks.filter((s) => !names.includes(s));
  if (unknown.length) throw new UsageError(`unknown stack(s): ${unknown.join(", ")}; stacks are ${names.join(", ")}`);
  const selected = args.stacks.length ? names.filter((n) => args.stacks.includes(n)) : names;

  // Only stacks whose synthesized JSON (or assets) changed are planned.
  const workDir = path.join(reviewDir, "work");
  const stacks = await reviewStacks(
    selected.map((name) => ({ id: name, base: base.get(name), head: head.get(name) })),
    {
      workDir,
      env: terraformEnv(workDir, "offline"),
      cacheDir,
      log,
      ...(args.online ? { planner: (c: readonly Comparison[]) => planOnline(c, baseDir, headDir, reviewDir, log) } : {}),
    },
  );
  for (const [name, s] of Object.entries(stacks)) if (s.seconds !== undefined) log(`${name}: ${oneLine(s)} (${s.seconds.toFixed(1)} s)`);
  const report: ReviewReport = { mode: args.online ? "online" : "offline", base: baseLabel, head: headLabel, stacks };
  return { report, markdown: renderReview(report) };
}

function oneLine(s: StackReport): string {
  if (s.status === "error") return `ERROR: ${(s.error ?? "").split("\n")[0]}`;
  const c = s.counts;
  const parts = (["replace", "delete", "create", "update", "move"] as const).filter((k) => c[k]).map((k) => `${c[k]} to ${k}`);
  return `${s.status}${parts.length ? `: ${parts.join(", ")}` : ""}`;
}

/** `--online`: each changed stack planned against its real backend and state, with the user's credentials. */
async function planOnline(comparisons: readonly Comparison[], baseDir: string, headDir: string, reviewDir: string, log: (l: string) => void): Promise<ComparisonResult[]> {
  const workRoot = path.join(reviewDir, "online");
  const env = terraformEnv(workRoot, "online");
  if (!credentialsConfigured(env)) log(noCredentialsLine("npm run review -- --online", "npm run review"));
  const started = Date.now();
  return Promise.all(
    comparisons.map(async (c): Promise<ComparisonResult> => {
      const removed = !c.head;
      const run = await withHeartbeat(log, c.id, runStack(removed ? baseDir : headDir, c.id, workRoot, "online", env, { destroy: removed }));
      const seconds = (Date.now() - started) / 1000;
      if (!run.ok) {
        const hint = isCredentialsError(run.error ?? "") ? `${noCredentialsLine("npm run review -- --online", "npm run review")}\n` : "";
        return { id: c.id, ok: false, error: `${hint}terraform ${run.failedStep} failed:\n${run.error}`, changes: [], outputChanges: {}, baselineRounds: 0, seconds };
      }
      const plan = run.plan as unknown as { resource_changes?: ComparisonResult["changes"]; output_changes?: ComparisonResult["outputChanges"] };
      return { id: c.id, ok: true, changes: plan.resource_changes ?? [], outputChanges: plan.output_changes ?? {}, baselineRounds: 0, seconds };
    }),
  );
}

async function main(): Promise<void> {
  const started = Date.now();
  const log = logger(started);
  let args: ReviewArgs;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    if (e instanceof UsageError) {
      if (e.message) process.stderr.write(`${e.message}\n`);
      process.stderr.write(`${USAGE}\n`);
      process.exit(e.code);
    }
    throw e;
  }
  const { report, markdown } = await review(args, log);
  fs.mkdirSync(OUTDIR, { recursive: true });
  const json = `${JSON.stringify(report, null, 2)}\n`;
  fs.writeFileSync(path.join(OUTDIR, "review.md"), markdown);
  fs.writeFileSync(path.join(OUTDIR, "review.json"), json);
  if (args.json) fs.writeFileSync(path.resolve(args.json), json);
  process.stdout.write(`${markdown}\n`);
  const errors = Object.entries(report.stacks).filter(([, s]) => s.status === "error");
  const destructive = Object.values(report.stacks).flatMap((s) => s.changes.filter((c) => ["replace", "delete"].includes(kindOf(c.actions))));
  log(
    `done in ${((Date.now() - started) / 1000).toFixed(1)} s: wrote ${path.relative(process.cwd(), path.join(OUTDIR, "review.md"))} and review.json${args.json ? ` and ${args.json}` : ""}` +
      (destructive.length ? `; ${destructive.length} resource(s) to replace or delete` : "") +
      (errors.length ? `; ${errors.length} stack(s) could not be planned: ${errors.map(([n]) => n).join(", ")}` : ""),
  );
  for (const [name, s] of errors) {
    // The credentials line first, terraform's own error below it.
    process.stderr.write(`\n${name}: ${s.error}\n`);
  }
  process.exitCode = errors.length ? 1 : 0;
}

if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(`${e instanceof Error ? (process.env.DEBUG ? e.stack : e.message) : e}\n`);
    process.exit(1);
  });
}
