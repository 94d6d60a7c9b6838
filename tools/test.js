#!/usr/bin/env node
/**
 * `npm test`: the type check (`tsc -p .`) and jest at the same time, not one
 * after the other. The type check is TypeScript 7's native compiler (the
 * `typescript-7` package: ~5 CPU-s where TypeScript 5.9's took ~25; the
 * `typescript` package, 5.9, stays for its compiler API, which
 * tools/iam-calls.ts reads the code with). Both install a `tsc` into
 * node_modules/.bin, so this runs the package's own file. jest's output
 * streams as usual; tsc's is printed at the end, or at once when it fails:
 * a type error stops jest and fails the run.
 * Exit code: tsc's when it failed, else jest's. Arguments go to jest
 * (`npm test -- __tests__/tools`); with `--watch` jest keeps the terminal
 * and a type error is only printed.
 */
"use strict";
const { spawn } = require("child_process");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");
const bin = (name) => path.join(ROOT, "node_modules", ".bin", name);

const started = Date.now();
const tsc = spawn(path.join(ROOT, "node_modules", "typescript-7", "bin", "tsc"), ["-p", "."], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
const args = process.argv.slice(2);
// `npm test -- --watch`: jest stays in the terminal's foreground group (it reads keys), and a type error only prints.
const watching = args.some((a) => /^--watch(All)?(=|$)/.test(a));
// Otherwise its own process group, so stopping it stops its workers and what they started (terraform, servers) too.
const jest = spawn(bin("jest"), args, { cwd: ROOT, stdio: "inherit", detached: !watching });
const signalGroup = (signal) => {
  try {
    if (watching) jest.kill(signal);
    else process.kill(-jest.pid, signal);
  } catch {
    // the group is empty
  }
};
/** How long what ignores SIGTERM may run on: 3 s, or AWS_COURSE_TEST_KILL_AFTER_MS (this runner's own test waits less). */
const killAfterMs = Number(process.env.AWS_COURSE_TEST_KILL_AFTER_MS) || 3000;
/** Stops jest's group; what is still running 3 s later (terraform's provider plugins ignore SIGTERM) is killed. */
const stopJest = (signal) => {
  signalGroup(signal);
  setTimeout(() => signalGroup("SIGKILL"), killAfterMs);
};
let tscOut = "";
let tscLine = "";
tsc.stdout.on("data", (d) => (tscOut += d));
tsc.stderr.on("data", (d) => (tscOut += d));

const tscDone = new Promise((resolve) =>
  tsc.on("close", (code) => {
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (code === 0) {
      tscLine = `typecheck: tsc -p . passed (${seconds} s, beside jest)`;
    } else {
      process.stderr.write(`\ntypecheck: tsc -p . failed (exit ${code})${watching ? "" : "; stopping jest"}\n${tscOut}`);
      if (!watching) stopJest("SIGTERM");
    }
    resolve(code ?? 1);
  }),
);
const jestDone = new Promise((resolve) => jest.on("close", (code, signal) => resolve(code ?? (signal ? 1 : 0))));

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    tsc.kill(signal);
    stopJest(signal);
  });
}

Promise.all([tscDone, jestDone]).then(([tscCode, jestCode]) => {
  if (tscLine) process.stderr.write(`${tscLine}\n`);
  process.exitCode = tscCode !== 0 ? tscCode : jestCode;
});
