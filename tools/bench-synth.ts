/**
 * `npm run bench:synth [-- --runs N]`: wall time and peak memory of a cold
 * `npm run synth` (a fresh node process running main.ts through tsx, as the
 * npm script does), N times, then min / median / max.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");
const runsArg = process.argv.indexOf("--runs");
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 7;
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`--runs (${process.argv[runsArg + 1]}) must be a whole number >= 1`);
  process.exit(2);
}

const times: number[] = [];
const peaks: number[] = [];
for (let i = 0; i < runs; i++) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-synth-"));
  // /usr/bin/time -f %M reports the child's peak RSS in KiB.
  const started = process.hrtime.bigint();
  const r = spawnSync("/usr/bin/time", ["-f", "%M", process.execPath, "--import", "tsx", "main.ts"], {
    cwd: ROOT,
    env: { ...process.env, CDKTF_OUTDIR: outdir, INFRA_QUIET_PLACEHOLDERS: "1" },
    encoding: "utf8",
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  fs.rmSync(outdir, { recursive: true, force: true });
  if (r.status !== 0) {
    console.error(r.stderr);
    process.exit(1);
  }
  times.push(ms);
  peaks.push(Number(r.stderr.trim().split("\n").pop()) / 1024);
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const median = (xs: number[]) => {
  const s = sorted(xs);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const stacks = fs.existsSync(path.join(ROOT, "cdktf.out", "manifest.json"))
  ? Object.keys(JSON.parse(fs.readFileSync(path.join(ROOT, "cdktf.out", "manifest.json"), "utf8")).stacks).length
  : "?";
console.log(`cold synth of the whole app (${stacks} stacks), ${runs} runs, ${os.cpus().length} cores`);
console.log(`  wall time  min ${sorted(times)[0].toFixed(0)} ms  median ${median(times).toFixed(0)} ms  max ${sorted(times)[runs - 1].toFixed(0)} ms`);
console.log(`  peak RSS   min ${sorted(peaks)[0].toFixed(0)} MB  median ${median(peaks).toFixed(0)} MB  max ${sorted(peaks)[runs - 1].toFixed(0)} MB`);
