// cdktf's jest matchers (toHaveResource, toBeValidTerraform, ...). cdktf is loaded once per worker
// (tools/jest-runtime.js), and its matchers register on the running file's expect.
import type {} from "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";

Testing.setupJest();

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
