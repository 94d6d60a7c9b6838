/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.(t|j)s$": "<rootDir>/tools/jest-esbuild.js",
  },
  setupFilesAfterEnv: ["<rootDir>/__tests__/helpers/setup.ts"],
  globalSetup: "<rootDir>/__tests__/helpers/global-setup.ts",
  globalTeardown: "<rootDir>/__tests__/helpers/teardown.ts",
  testTimeout: 30000,
  slowTestThreshold: 20,
};
