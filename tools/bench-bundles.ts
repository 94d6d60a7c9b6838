/**
 * `npm run bench:bundles [-- --runs N] [--check]`: for every Lambda entry
 * (lambdas/<name>/index.ts), the bundle NodeFunction deploys (esbuild,
 * minified, node22, cjs; modules/serverless/bundle.ts): minified, gzip and
 * zip size, and the cold `require` of the whole bundle - a fresh node
 * process per run, median of N (default 7), wall and CPU time.
 *
 * "cold require" is what Lambda loads at init: the bundle and everything it
 * requires. The handlers carry their own AWS client (lambdas/lib/aws), so a
 * bundle requires only node built-ins; should one require a package again
 * (the runtime-provided AWS SDK), it is listed and resolved from this
 * project's node_modules through NODE_PATH, as the runtime resolves its own
 * copy, and its load time is part of the figure.
 *
 * Targets (issue 14.4): <= 20 KB minified; cold require of the whole
 * <= 30 ms (wall, median). `--check` exits 1 when a bundle misses one. CPU
 * time is printed beside wall time: on 2 shared cores wall time scales with
 * the load (printed too), CPU time much less.
 */
import { execFileSync } from "child_process";
import { builtinModules } from "module";
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

/** Median wall and CPU (user + system) milliseconds of requiring `file` in a fresh node process. */
function coldRequire(file: string): { wallMs: number; cpuMs: number } {
  const script =
    `const c=process.cpuUsage(),t=process.hrtime.bigint();require(${JSON.stringify(file)});` +
    `const w=Number(process.hrtime.bigint()-t)/1e6,u=process.cpuUsage(c);process.stdout.write(JSON.stringify([w,(u.user+u.system)/1e3]))`;
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const out = execFileSync(process.execPath, ["-e", script], {
      // A folder outside the project, as /var/task is: packages resolve through NODE_PATH only.
      cwd: os.tmpdir(),
      env: { ...process.env, NODE_PATH: path.join(ROOT, "node_modules"), NODE_OPTIONS: "", NODE_NO_WARNINGS: "1" },
      encoding: "utf8",
    });
    const [w, c] = JSON.parse(out) as [number, number];
    wall.push(w);
    cpu.push(c);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return { wallMs: median(wall), cpuMs: median(cpu) };
}

/** What the bundle requires besides node built-ins (`require("x")` left by esbuild). */
function packagesRequired(code: string): string[] {
  const builtins = new Set(builtinModules);
  const names = [...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
  return [...new Set(names.filter((n) => !n.startsWith("node:") && !builtins.has(n)))].sort();
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
    const b = bundleEntry(entry);
    const file = path.join(work, `${entry}.js`);
    fs.writeFileSync(file, b.code);
    const { wallMs, cpuMs } = coldRequire(file);
    const ok = b.code.length <= SIZE_TARGET && wallMs <= REQUIRE_TARGET_MS;
    if (!ok) missed++;
    rows.push([
      entry,
      kb(b.code.length),
      kb(gzipSync(b.code, { level: 9 }).length),
      kb(b.zip.length),
      packagesRequired(b.code.toString()).join(" ") || "-",
      `${wallMs.toFixed(1)} ms`,
      `${cpuMs.toFixed(1)} ms`,
      ok ? "ok" : "MISSED",
    ]);
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}

const header = [
  "entry",
  "minified",
  "gzip",
  "zip",
  "packages required",
  `cold require, wall (median of ${runs})`,
  "CPU",
  `<= ${SIZE_TARGET / 1024} KB, <= ${REQUIRE_TARGET_MS} ms`,
];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
console.log(`Lambda bundles as deployed (esbuild, minified, node22, cjs; node ${process.version}, ${os.cpus().length} cpu(s), load ${os.loadavg()[0].toFixed(2)}, ${new Date().toISOString().slice(0, 10)})`);
console.log(line(header));
console.log(line(widths.map((w) => "-".repeat(w))));
for (const r of rows) console.log(line(r));
if (check && missed) {
  console.error(`${missed} bundle(s) missed a target`);
  process.exit(1);
}
