/**
 * Jest test order: longest first, so the two workers of the 2-core machine
 * finish together instead of one waiting for a long file that started last.
 *
 * Jest orders by the durations of the previous run, which a clean clone
 * (CI) does not have: it then falls back to file size, and the terraform
 * and browser files - short files that take the longest - started after
 * 100 small ones (a cold run ended with plan.test alone for 13 s). Without a
 * recorded duration, a file takes its estimate below (worker-seconds of a
 * cold `npm test`, `npm run bench:test`), else SMALL_FILE_MS; a recorded
 * duration always wins, and failed files still run first.
 */
const path = require("path");
const Sequencer = require("@jest/test-sequencer").default;

/** Files of __tests__ that take seconds, with the worker-seconds a cold run measured. */
const ESTIMATES_S = {
  "tools/review/scenarios.test.ts": 45,
  "tools/review/cli.test.ts": 40,
  "tools/review/engine.test.ts": 24,
  "site/haiku-gui.browser.test.ts": 22,
  "tools/plan.test.ts": 20,
  "stacks/synth.test.ts": 12,
  "docs/commands.test.ts": 11,
  "lambdas/haiku/api.test.ts": 10,
  "stacks/names.test.ts": 7,
  "examples/function-and-table.test.ts": 7,
  "tools/diagram.test.ts": 7,
  "cli/startup.test.ts": 6,
  "userdata/web-fleet.test.ts": 5,
};
const SMALL_FILE_MS = 500;
const TESTS = path.resolve(__dirname, "..", "__tests__");

class LongestFirst extends Sequencer {
  time(test) {
    const recorded = super.time(test);
    if (recorded != null) return recorded;
    const estimate = ESTIMATES_S[path.relative(TESTS, test.path).split(path.sep).join("/")];
    return estimate != null ? estimate * 1000 : SMALL_FILE_MS;
  }
}

module.exports = LongestFirst;
module.exports.ESTIMATES_S = ESTIMATES_S;
