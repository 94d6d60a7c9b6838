/**
 * The test order's estimates (tools/jest-sequencer.js) name test files that
 * exist, and order a run without timings longest first.
 */
import * as fs from "fs";
import * as path from "path";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const LongestFirst = require("../../tools/jest-sequencer.js");
const TESTS = path.resolve(__dirname, "..");

test("every estimated file exists", () => {
  const missing = Object.keys(LongestFirst.ESTIMATES_S).filter((f) => !fs.existsSync(path.join(TESTS, f)));
  expect(missing).toEqual([]);
});

test("without recorded durations, estimated files run first, longest first, then the rest", () => {
  const context = { config: { cache: false, rootDir: path.resolve(TESTS, "..") }, hasteFS: { getSize: () => 1 } };
  const test = (f: string) => ({ path: path.join(TESTS, f), context });
  const sorted = new LongestFirst().sort([test("modules/core/validate.test.ts"), test("tools/plan.test.ts"), test("tools/review/scenarios.test.ts")]);
  expect(sorted.map((t: { path: string }) => path.relative(TESTS, t.path))).toEqual(["tools/review/scenarios.test.ts", "tools/plan.test.ts", "modules/core/validate.test.ts"]);
});
