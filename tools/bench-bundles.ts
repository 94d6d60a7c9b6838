/**
 * `npm run bench:bundles [-- --runs N] [--check]`: for every Lambda entry
 * (lambdas/<name>/index.ts), the bundle NodeFunction deploys (esbuild,
 * minified, node22, cjs) with the AWS SDK v3 external (as deployed: the
 * nodejs22.x runtime provides it) and with the SDK bundled (for comparison):
 * raw and gzip size, zip size, and cold `require` time - a fresh node
 * process per run, median of N (default 7).
 *
 * "cold require" is what Lambda loads at init: the bundle and every SDK
 * module it requires, resolved from this project's node_modules through
 * NODE_PATH, as the runtime resolves its own copy. Two columns split it:
 * "SDK alone" (only the SDK packages the bundle requires, in a fresh
 * process) and "handler alone" (the bundle with those preloaded, untimed) -
 * our code's part, which is what our import shape and init work change.
 *
 * Targets (issue 14.4): <= 20 KB minified with the SDK external; cold
 * require of the whole <= 30 ms. `--check` exits 1 when a deployed
 * (SDK-external) bundle misses one. The machine's load is printed: on 2
 * shared cores the times scale with it, so compare rows of one run.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { gzipSync } from "zlib";
import { bundleEntry, LAMBDAS_DIR } from "../modules/serverless/bundle";

const ROOT = path.resolve(__dirname, "..");
const SIZE_TARGET = 20 * 1024;
const REQUIRE_TARGET_MS = 30;

const runsArg = process.argv.indexOf("--runs");
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 7;
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`--runs (${process.argv[runsArg + 1]}) must be a whole number >= 1`);
  process.exit(2);
}
const check = process.argv.includes("--check");

/**
 * Milliseconds to require `modules` (in order) in a fresh node process,
 * median of `runs`, after requiring `preload` untimed.
 */
function coldRequireMs(modules: readonly string[], preload: readonly string[] = []): number {
  const req = (ms: readonly string[]) => ms.map((m) => `require(${JSON.stringify(m)});`).join("");
  const script = `${req(preload)}const t=process.hrtime.bigint();${req(modules)}process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const out = execFileSync(process.execPath, ["-e", script], {
      // A folder outside the project, as /var/task is: packages resolve through NODE_PATH only.
      cwd: os.tmpdir(),
      env: { ...process.env, NODE_PATH: path.join(ROOT, "node_modules"), NODE_OPTIONS: "", NODE_NO_WARNINGS: "1" },
      encoding: "utf8",
    });
    times.push(Number(out));
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const entries = fs
  .readdirSync(LAMBDAS_DIR)
  .filter((e) => fs.existsSync(path.join(LAMBDAS_DIR, e, "index.ts")))
  .sort();
const work = fs.mkdtempSync(path.join(os.tmpdir(), "bench-bundles-"));
const rows: string[][] = [];
let missed = 0;
try {
  for (const entry of entries) {
    for (const bundled of [false, true]) {
      const b = bundleEntry(entry, { bundleAwsSdk: bundled });
      const file = path.join(work, `${entry}-${bundled ? "sdk" : "ext"}.js`);
      fs.writeFileSync(file, b.code);
      const ms = coldRequireMs([file]);
      // The runtime-provided packages the bundle requires: loaded alone, and preloaded to leave the handler's own cost.
      const sdk = [...new Set([...b.code.toString().matchAll(/require\("((?:@aws-sdk|@smithy|@aws-crypto)\/[^"]+)"\)/g)].map((m) => m[1]))];
      const sdkMs = bundled || sdk.length === 0 ? 0 : coldRequireMs(sdk);
      const own = bundled || sdk.length === 0 ? ms : coldRequireMs([file], sdk);
      const ok = bundled || (b.code.length <= SIZE_TARGET && ms <= REQUIRE_TARGET_MS);
      if (!ok) missed++;
      rows.push([
        entry,
        bundled ? "bundled" : "external (deployed)",
        kb(b.code.length),
        kb(gzipSync(b.code, { level: 9 }).length),
        kb(b.zip.length),
        bundled ? "" : sdk.map((m) => m.replace("@aws-sdk/", "")).join(" ") || "-",
        `${ms.toFixed(1)} ms`,
        bundled ? "" : `${sdkMs.toFixed(1)} ms`,
        bundled ? "" : `${own.toFixed(1)} ms`,
        bundled ? "" : ok ? "ok" : "MISSED",
      ]);
    }
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}

const header = [
  "entry",
  "AWS SDK",
  "minified",
  "gzip",
  "zip",
  "SDK packages required",
  `cold require, all (median of ${runs})`,
  "SDK alone",
  "handler alone (SDK preloaded)",
  `<= ${SIZE_TARGET / 1024} KB, <= ${REQUIRE_TARGET_MS} ms`,
];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
console.log(`Lambda bundles (esbuild, minified, node22, cjs; node ${process.version}, ${os.cpus().length} cpu(s), load ${os.loadavg()[0].toFixed(2)}, ${new Date().toISOString().slice(0, 10)})`);
console.log(line(header));
console.log(line(widths.map((w) => "-".repeat(w))));
for (const r of rows) console.log(line(r));
if (check && missed) {
  console.error(`${missed} deployed bundle(s) missed a target`);
  process.exit(1);
}
