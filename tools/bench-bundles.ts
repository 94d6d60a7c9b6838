/**
 * `npm run bench:bundles [-- --runs N] [--check]`: for every Lambda entry
 * (lambdas/<name>/index.ts), the bundle NodeFunction deploys (esbuild,
 * minified, node22, cjs) with the AWS SDK v3 external (as deployed: the
 * nodejs22.x runtime provides it) and with the SDK bundled (for comparison):
 * raw and gzip size, zip size, and cold `require` time - a fresh node
 * process per run, median of N (default 7). External bundles resolve the SDK
 * from this project's node_modules, as the runtime resolves its own copy.
 *
 * "handler alone" loads the SDK modules the bundle requires first, untimed:
 * the cost of our code, which is what bundling choices change.
 *
 * Targets (issue #3): <= 20 KB minified with the SDK external; cold require
 * <= 30 ms (checked on "handler alone": the runtime's SDK load is paid by
 * every Node function, bundled or not). `--check` exits 1 when a deployed
 * (SDK-external) bundle misses one.
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
 * Milliseconds to require `file` in a fresh node process (median of `runs`),
 * after requiring `preload` untimed (to separate the handler's own cost from the SDK's).
 */
function coldRequireMs(file: string, preload: readonly string[] = []): number {
  const pre = preload.map((m) => `require(${JSON.stringify(m)});`).join("");
  const script = `${pre}const t=process.hrtime.bigint();require(${JSON.stringify(file)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const out = execFileSync(process.execPath, ["-e", script], {
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
      const ms = coldRequireMs(file);
      // The runtime-provided modules the bundle requires, loaded first: what is left is the handler's own cost.
      const sdk = [...new Set([...b.code.toString().matchAll(/require\("((?:@aws-sdk|@smithy|@aws-crypto)\/[^"]+)"\)/g)].map((m) => m[1]))];
      const own = bundled || sdk.length === 0 ? ms : coldRequireMs(file, sdk);
      const ok = bundled || (b.code.length <= SIZE_TARGET && own <= REQUIRE_TARGET_MS);
      if (!ok) missed++;
      rows.push([
        entry,
        bundled ? "bundled" : "external (deployed)",
        kb(b.code.length),
        kb(gzipSync(b.code, { level: 9 }).length),
        kb(b.zip.length),
        `${ms.toFixed(1)} ms`,
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
  `cold require (median of ${runs})`,
  "handler alone (SDK preloaded)",
  `<= ${SIZE_TARGET / 1024} KB, <= ${REQUIRE_TARGET_MS} ms`,
];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
console.log(`Lambda bundles (esbuild, minified, node22, cjs; node ${process.version}, ${os.cpus().length} cpu(s), ${new Date().toISOString().slice(0, 10)})`);
console.log(line(header));
console.log(line(widths.map((w) => "-".repeat(w))));
for (const r of rows) console.log(line(r));
if (check && missed) {
  console.error(`${missed} deployed bundle(s) missed a target`);
  process.exit(1);
}
