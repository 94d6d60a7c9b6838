import { Testing } from "cdktf";
import "cdktf/lib/testing/adapters/jest";

Testing.setupJest();

// This machine runs Node 20; the pinned AWS SDK works on it but warns once per
// worker that later SDK releases will need Node 22. Keep test output readable.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
