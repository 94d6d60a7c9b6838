/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.(t|j)s$": "<rootDir>/tools/jest-esbuild.js",
  },
  // cdktf, constructs and the generated AWS provider loaded once per worker, not once per file.
  runtime: "<rootDir>/tools/jest-runtime.js",
  setupFilesAfterEnv: ["<rootDir>/__tests__/helpers/setup.ts"],
  globalSetup: "<rootDir>/__tests__/helpers/global-setup.ts",
  globalTeardown: "<rootDir>/__tests__/helpers/teardown.ts",
  // Longest files first, also on a clean clone without jest's timing cache.
  testSequencer: "<rootDir>/tools/jest-sequencer.js",
  testTimeout: 30000,
  // jest's default is one worker less than the cores: a single worker on the 2-core machine,
  // while most of the time goes to terraform and Chromium child processes. Two workers there:
  // cold npm test 266 s -> 201 s (npm run bench:test).
  maxWorkers: "100%",
  slowTestThreshold: 20,
};
