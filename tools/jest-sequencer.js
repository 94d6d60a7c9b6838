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
  "tools/review/scenarios.test.ts": 32,
  "tools/review/cli.test.ts": 24,
  "site/haiku-gui.browser.test.ts": 16,
  "tools/plan.test.ts": 13,
  "tools/review/engine.test.ts": 8,
  "docs/commands.test.ts": 7,
  "lambdas/haiku/api.test.ts": 4,
  "docker/qa-bot/worker.test.ts": 3,
  "modules/core/cdktf-internals.test.ts": 2,
  "tools/diagram.browser.test.ts": 2,
  "tools/review/schema.test.ts": 2,
  "cli/haiku.test.ts": 2,
  "tools/review/cache-lock.test.ts": 2,
  "stacks/synth.test.ts": 2,
  "tools/terraform.test.ts": 2,
  "tools/compile-cache.test.ts": 2,
  "tools/jest-runtime.test.ts": 2,
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
