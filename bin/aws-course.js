#!/usr/bin/env node
// The package bin (`aws-course`): the TypeScript CLI (cli/index.ts) run as `npm run cli` runs it,
// from its precompiled bundle (tools/run-app.js), without tsx's start-up.
process.argv.splice(2, 0, "cli/index.ts");
require("../tools/run-app.js");
