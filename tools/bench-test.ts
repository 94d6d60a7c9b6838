/**
 * `npm run bench:test`: the wall time of a cold `npm test` - the type check
 * and jest, as package.json's `test` script runs them - with every cache
 * this project keeps pointed at empty temporary folders (jest's transform
 * cache, the app bundle, the Lambda/site build cache, the review's provider
 * installs and baselines), as on a fresh clone. Prints the total, each
 * step, and the five slowest test files. Target (issue 14): <= 60 s on the
 * 2-core machine. Extra arguments go to jest (e.g. a path filter).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "bench-test-"));
const env = {
  ...process.env,
  CHECKPOINT_DISABLE: "1",
  AWS_COURSE_APP_CACHE: path.join(scratch, "app"),
  AWS_COURSE_BUILD_CACHE: path.join(scratch, "build"),
  AWS_COURSE_REVIEW_CACHE: path.join(scratch, "review"),
};
const bin = (name: string) => path.join(ROOT, "node_modules", ".bin", name);

function step(label: string, command: string, args: string[]): number {
  const started = performance.now();
  const r = spawnSync(command, args, { cwd: ROOT, env, stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
  const secs = (performance.now() - started) / 1000;
  console.log(`${label.padEnd(10)} ${secs.toFixed(1).padStart(6)} s${r.status === 0 ? "" : `  (exit ${r.status})`}`);
  if (r.status !== 0 && label === "typecheck") process.stderr.write(r.stderr);
  return secs;
}

const results = path.join(scratch, "jest.json");
const typecheck = step("typecheck", bin("tsc"), ["-p", "."]);
const jest = step("jest", bin("jest"), ["--json", `--outputFile=${results}`, `--cacheDirectory=${path.join(scratch, "jest")}`, ...process.argv.slice(2)]);
console.log(`${"total".padEnd(10)} ${(typecheck + jest).toFixed(1).padStart(6)} s  (target <= 60 s; ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(2)})`);

if (fs.existsSync(results)) {
  const report = JSON.parse(fs.readFileSync(results, "utf8")) as {
    numTotalTests: number;
    numFailedTests: number;
    testResults: Array<{ name: string; startTime: number; endTime: number; message: string; assertionResults: Array<{ status: string; fullName: string }> }>;
  };
  for (const t of report.testResults) {
    const failed = t.assertionResults.filter((a) => a.status === "failed").map((a) => a.fullName);
    if (failed.length === 0 && !t.message) continue;
    console.log(`FAILED ${path.relative(ROOT, t.name)}: ${failed.slice(0, 3).join("; ") || t.message.split("\n").find((l) => l.trim()) || ""}${failed.length > 3 ? ` (+${failed.length - 3})` : ""}`);
  }
  console.log(`${report.numTotalTests} tests, ${report.numFailedTests} failed; slowest files:`);
  const files = report.testResults.map((t) => ({ file: path.relative(ROOT, t.name), secs: (t.endTime - t.startTime) / 1000 })).sort((a, b) => b.secs - a.secs);
  for (const f of files.slice(0, 5)) console.log(`  ${f.secs.toFixed(1).padStart(6)} s  ${f.file}`);
}
fs.rmSync(scratch, { recursive: true, force: true });
