/**
 * `npm test` (tools/test.js): the type check beside jest. Run here in a
 * scratch project whose `tsc` (TypeScript 7's, node_modules/typescript-7)
 * and `jest` are shell scripts, so each case controls what they print, how
 * they end and when: a script that must wait for the other, or for what the
 * runner printed, waits for that event (a file), never for a fixed time. The runner's stderr goes to a file the
 * scripts can read (RUNNER_STDERR), and what ignores SIGTERM is killed
 * 0.2 s after it instead of 3 s (AWS_COURSE_TEST_KILL_AFTER_MS).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { tempDir } from "../helpers/synth";

const RUNNER = path.resolve(__dirname, "..", "..", "tools", "test.js");

/** A scratch project with tools/test.js and the given tsc / jest scripts (sh). */
function project(tsc: string, jest: string): string {
  const dir = tempDir("test-runner");
  fs.mkdirSync(path.join(dir, "tools"));
  fs.copyFileSync(RUNNER, path.join(dir, "tools", "test.js"));
  const bin = path.join(dir, "node_modules", ".bin");
  const tscBin = path.join(dir, "node_modules", "typescript-7", "bin");
  fs.mkdirSync(bin, { recursive: true });
  fs.mkdirSync(tscBin, { recursive: true });
  fs.writeFileSync(path.join(tscBin, "tsc"), `#!/bin/sh\n${tsc}\n`, { mode: 0o755 });
  fs.writeFileSync(path.join(bin, "jest"), `#!/bin/sh\n${jest}\n`, { mode: 0o755 });
  return dir;
}

/** Runs the runner in `dir` to its end; its stderr through a file that the scripts can read as it grows. */
function run(dir: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const stderrFile = path.join(dir, "runner.stderr");
  const fd = fs.openSync(stderrFile, "w");
  try {
    const r = spawnSync(process.execPath, [path.join(dir, "tools", "test.js"), ...args], {
      cwd: dir,
      encoding: "utf8",
      timeout: 30_000,
      stdio: ["ignore", "pipe", fd],
      env: { ...process.env, RUNNER_STDERR: stderrFile, AWS_COURSE_TEST_KILL_AFTER_MS: "200" },
    });
    return { status: r.status, stdout: r.stdout, stderr: fs.readFileSync(stderrFile, "utf8") };
  } finally {
    fs.closeSync(fd);
  }
}
/** A sh loop that returns once `condition` holds (the spawnSync timeout bounds it). */
const until = (condition: string) => `until ${condition}; do sleep 0.02; done`;
/** Running (a zombie, killed but not yet reaped by its reparented parent, is not). */
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = fs.existsSync(`/proc/${pid}/stat`) ? fs.readFileSync(`/proc/${pid}/stat`, "utf8") : "";
  return !/^\d+ \(.*\) Z/.test(stat);
};

test("both pass: exit 0, jest got the arguments, the type check's line at the end", () => {
  const dir = project("exit 0", 'echo "jest $*"; exit 0');
  const r = run(dir, "__tests__/tools", "--json");
  expect(r.status).toBe(0);
  expect(r.stdout).toContain("jest __tests__/tools --json");
  expect(r.stderr.trim().split("\n").pop()).toMatch(/^typecheck: tsc -p \. passed \(\d+\.\d s, beside jest\)$/);
});

test("jest fails, the type check passes: jest's exit code", () => {
  const r = run(project("exit 0", "exit 1"));
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(/typecheck: tsc -p \. passed/);
});

test("a type error: its output at once, exit 2, and jest stopped with what it started (even what ignores SIGTERM)", () => {
  const dir = project(
    // the type error once jest and its child are running
    `${until("[ -s jest.pid ] && [ -s child.pid ]")}; echo "a.ts(1,7): error TS2322: Type 'string' is not assignable to type 'number'."; exit 2`,
    // jest, and a child of it that ignores SIGTERM (as terraform's provider plugins do), both record their pid
    `sh -c 'trap "" TERM; echo $$ > "${"$"}0/child.pid"; while :; do sleep 0.2; done' "$PWD" & echo $$ > jest.pid; wait`,
  );
  const started = Date.now();
  const r = run(dir);
  expect(r.status).toBe(2);
  expect(r.stderr).toContain("typecheck: tsc -p . failed (exit 2); stopping jest");
  expect(r.stderr).toContain("error TS2322");
  expect(Date.now() - started).toBeLessThan(15_000);
  for (const f of ["jest.pid", "child.pid"]) expect({ [f]: alive(Number(fs.readFileSync(path.join(dir, f), "utf8"))) }).toEqual({ [f]: false });
});

test("--watch: jest keeps the terminal (same process group) and a type error only prints", () => {
  // jest ends only after the runner has printed the type error: had the runner stopped it then, there would be no `done`
  const dir = project("echo 'a.ts(1,1): error TS1005'; exit 2", `${until('grep -q "typecheck: tsc" "$RUNNER_STDERR"')}; echo "$*" > done; exit 0`);
  const r = run(dir, "--watch");
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/typecheck: tsc -p \. failed \(exit 2\)\n/);
  expect(r.stderr).not.toContain("stopping jest");
  expect(fs.readFileSync(path.join(dir, "done"), "utf8").trim()).toBe("--watch");
});
