/**
 * `npm run bench:review`: wall time of `npm run review -- --base HEAD~1`
 * (both synths from git, the offline baselines, terraform's plans, the
 * report) on a copy of the project, for a commit that changes one stack
 * (simple-lambda's memory) and one that changes every stack (a tag on
 * everything). Each three ways: on a machine that never reviewed (empty
 * cache: provider install and schemas made first), for a base reviewed for
 * the first time (schemas cached, baselines built), and for the same base
 * again (baselines cached). Targets: one stack <= 30 s, all nine <= 120 s.
 *
 *   npm run bench:review [-- --runs 3]
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { commitConfigChange, copyProjectToRepo } from "./project-copy";

const runs = Number(process.argv[process.argv.indexOf("--runs") + 1]) || 1;

function review(project: string, cache: string): { seconds: number; stacks: string } {
  const started = Date.now();
  // As package.json's `review` script runs it: the precompiled runner.
  const r = spawnSync(process.execPath, ["tools/run-app.js", "tools/review/cli.ts", "--base", "HEAD~1", "--json", "bench.json"], {
    cwd: project,
    env: { ...process.env, CHECKPOINT_DISABLE: "1", AWS_COURSE_REVIEW_CACHE: cache },
    encoding: "utf8",
  });
  const seconds = (Date.now() - started) / 1000;
  if (r.status !== 0) throw new Error(`review failed:\n${r.stderr}`);
  const report = JSON.parse(fs.readFileSync(path.join(project, "bench.json"), "utf8"));
  const changed = Object.entries<{ status: string }>(report.stacks).filter(([, s]) => s.status !== "unchanged").map(([n]) => n);
  return { seconds, stacks: `${changed.length} changed` };
}

function main(): void {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "aws-course-bench-review-"));
  try {
    const cases: [string, (c: Record<string, any>) => void][] = [
      ["one stack (simple-lambda memory 128 -> 256)", (c) => (c.stacks = { ...c.stacks, simpleLambda: { memorySize: 256 } })],
      ["every stack (a tag on every resource)", (c) => (c.tags = { ...c.tags, CostCenter: "bench" })],
    ];
    console.log(`npm run review -- --base HEAD~1, ${os.cpus().length} cores, ${runs} run(s) each`);
    console.log("| change | cache | stacks | wall s |");
    console.log("|---|---|---|---:|");
    for (const [i, [label, edit]] of cases.entries()) {
      const project = copyProjectToRepo(path.join(tmp, `p${i}`));
      commitConfigChange(project, label, edit);
      for (let run = 0; run < runs; run++) {
        const cache = path.join(tmp, `cache-${i}-${run}`);
        const empty = review(project, cache);
        console.log(`| ${label} | empty (first review on the machine) | ${empty.stacks} | ${empty.seconds.toFixed(1)} |`);
        fs.rmSync(path.join(cache, "baselines"), { recursive: true, force: true });
        const fresh = review(project, cache);
        console.log(`| ${label} | schemas only (a base never reviewed) | ${fresh.stacks} | ${fresh.seconds.toFixed(1)} |`);
        const warm = review(project, cache);
        console.log(`| ${label} | baselines too (the same base again) | ${warm.stacks} | ${warm.seconds.toFixed(1)} |`);
      }
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main();
