// cdktf's jest matchers (toHaveResource, toBeValidTerraform, ...), loaded on first use: requiring
// cdktf costs ~85 ms, and most test files never call them (the declarations come from the type import).
import type {} from "cdktf/lib/testing/adapters/jest";

const CDKTF_MATCHERS = [
  "toHaveResource",
  "toHaveResourceWithProperties",
  "toHaveDataSource",
  "toHaveDataSourceWithProperties",
  "toHaveProvider",
  "toHaveProviderWithProperties",
  "toBeValidTerraform",
  "toPlanSuccessfully",
] as const;
type Matcher = (this: jest.MatcherContext, ...args: unknown[]) => jest.CustomMatcherResult;
let cdktfMatchers: Record<string, Matcher> | undefined;
function cdktfMatcher(name: string): Matcher {
  if (!cdktfMatchers) {
    // cdktf registers its matchers through the global expect.extend: catch them instead.
    const global = globalThis as unknown as { expect: unknown };
    const real = global.expect;
    global.expect = { extend: (m: Record<string, Matcher>) => (cdktfMatchers = m) };
    try {
      (require("cdktf") as typeof import("cdktf")).Testing.setupJest();
    } finally {
      global.expect = real;
    }
  }
  const matcher = cdktfMatchers?.[name];
  if (!matcher) throw new Error(`cdktf has no jest matcher ${name}`);
  return matcher;
}
expect.extend(
  Object.fromEntries(
    CDKTF_MATCHERS.map((name) => [
      name,
      function (this: jest.MatcherContext, ...args: unknown[]) {
        return cdktfMatcher(name).apply(this, args);
      },
    ]),
  ),
);

// Tokens are made as the app makes them (CourseStack turns the trace off: skipTokenStackTraces in
// modules/core/cdktf-internals.ts): without the creation stack cdktf captures for each one. Under jest
// every captured frame goes through jest's source maps: ~25 ms of each file that loads cdktf (whose
// first token is made while it loads) and a sixth of the construct tests' CPU. The same internal is
// stubbed here, before cdktf loads; DEBUG=1 keeps the traces, as it does for the app.
if (process.env.DEBUG !== "1") jest.mock("cdktf/lib/tokens/private/stack-trace", () => ({ captureStackTrace: () => [] }));

// This machine runs Node 20; the pinned AWS SDK works on it but warns once per
// worker that later SDK releases will need Node 22. Keep test output readable.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

// Handlers write one JSON line per event (`{"level":"info",...}`), which CloudWatch keeps;
// in tests they drown the report. Tests that assert on them spy on console.log themselves.
// TEST_LOGS=1 shows them.
if (process.env.TEST_LOGS !== "1") {
  const log = console.log.bind(console);
  console.log = (...args: unknown[]) => {
    if (args.length === 1 && typeof args[0] === "string" && /^\{"level":"(debug|info|warn|error)"/.test(args[0])) return;
    log(...args);
  };
}
