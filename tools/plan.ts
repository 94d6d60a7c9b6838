/**
 * `npm run plan`: synthesizes the app, then inits, validates, plans and
 * shows every stack with terraform, in parallel, and writes
 * `cdktf.out/plan-summary.md`.
 *
 *   npm run plan                      offline: no AWS account, no network
 *   npm run plan -- first-ec2 state   only these stacks
 *   npm run plan -- --online          real credentials and the S3 backend
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { checkTerraform, listStacks, runStacks, PlanMode } from "./terraform";
import { oneLine, renderMarkdown } from "./plan-summary";

const ROOT = path.resolve(__dirname, "..");
const OUTDIR = path.join(ROOT, "cdktf.out");

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const mode: PlanMode = args.includes("--online") || process.env.INFRA_PLAN_ONLINE === "1" ? "online" : "offline";
  const wanted = args.filter((a) => !a.startsWith("--"));
  checkTerraform();

  if (!args.includes("--no-synth")) {
    execFileSync(process.execPath, ["--import", "tsx", "main.ts"], { cwd: ROOT, stdio: "inherit" });
  }
  const all = listStacks(OUTDIR);
  const unknown = wanted.filter((s) => !all.includes(s));
  if (unknown.length) throw new Error(`unknown stack(s): ${unknown.join(", ")}; stacks are ${all.join(", ")}`);
  const stacks = wanted.length ? wanted : all;

  console.log(`Planning ${stacks.length} stack(s) ${mode === "offline" ? "offline (dummy credentials, local backend)" : "against AWS"}...`);
  const runs = await runStacks(OUTDIR, stacks, {
    mode,
    workRoot: path.join(OUTDIR, mode === "offline" ? "plan" : "plan-online"),
    onDone: (r) => console.log(`  ${oneLine(r)}`),
  });
  const summaryFile = path.join(OUTDIR, "plan-summary.md");
  const markdown = renderMarkdown(runs, mode === "offline" ? "Terraform plan summary (offline)" : "Terraform plan summary");
  fs.writeFileSync(summaryFile, markdown);
  console.log(`\n${markdown}`);
  console.log(`Wrote ${path.relative(process.cwd(), summaryFile)}`);
  const failed = runs.filter((r) => !r.ok);
  for (const f of failed) console.error(`\n${f.stack} failed at terraform ${f.failedStep}:\n${f.error}`);
  process.exitCode = failed.length ? 1 : 0;
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
