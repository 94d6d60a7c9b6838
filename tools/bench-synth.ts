/**
 * `npm run bench:synth [-- --runs N]`: wall time and peak memory of a cold
 * `npm run synth` - a fresh node process running the command of
 * package.json's `synth` script (today the precompiled app,
 * `node tools/run-app.js main.ts`), N times, then min / median / max. One
 * more run first, with an empty app cache, shows what a first synth after
 * a source change costs (the app bundle is built); it is not in the
 * figures. `npm` itself (~0.2 s) is left out: the numbers are the app's.
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

// What `npm run synth` runs, from package.json, with `node` as this node.
const script: string = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts.synth;
const [bin, ...args] = script.trim().split(/\s+/);
const command = bin === "node" ? process.execPath : bin;

interface Run {
  readonly ms: number;
  readonly peakMb: number;
  readonly stacks: number;
}

function synthOnce(extraEnv: NodeJS.ProcessEnv = {}): Run {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-synth-"));
  // /usr/bin/time -f %M reports the child's peak RSS in KiB.
  const started = process.hrtime.bigint();
  const r = spawnSync("/usr/bin/time", ["-f", "%M", command, ...args], {
    cwd: ROOT,
    env: { ...process.env, CDKTF_OUTDIR: outdir, INFRA_QUIET_PLACEHOLDERS: "1", ...extraEnv },
    encoding: "utf8",
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  try {
    if (r.status !== 0) {
      console.error(r.stderr);
      process.exit(1);
    }
    const manifest = path.join(outdir, "manifest.json");
    const stacks = Object.keys(JSON.parse(fs.readFileSync(manifest, "utf8")).stacks).length;
    return { ms, peakMb: Number(r.stderr.trim().split("\n").pop()) / 1024, stacks };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

const emptyCache = fs.mkdtempSync(path.join(os.tmpdir(), "bench-synth-cache-"));
const first = synthOnce({ AWS_COURSE_APP_CACHE: emptyCache });
fs.rmSync(emptyCache, { recursive: true, force: true });
const measured = Array.from({ length: runs }, () => synthOnce());

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const median = (xs: number[]) => {
  const s = sorted(xs);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const times = measured.map((r) => r.ms);
const peaks = measured.map((r) => r.peakMb);
console.log(`cold synth of the whole app (${measured[0].stacks} stacks): \`${script}\`, ${runs} runs, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(2)}`);
console.log(`  wall time  min ${sorted(times)[0].toFixed(0)} ms  median ${median(times).toFixed(0)} ms  max ${sorted(times)[runs - 1].toFixed(0)} ms`);
console.log(`  peak RSS   min ${sorted(peaks)[0].toFixed(0)} MB  median ${median(peaks).toFixed(0)} MB  max ${sorted(peaks)[runs - 1].toFixed(0)} MB`);
console.log(`  first run with an empty app cache (bundle built): ${first.ms.toFixed(0)} ms, ${first.peakMb.toFixed(0)} MB`);
