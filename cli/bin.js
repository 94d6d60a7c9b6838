#!/usr/bin/env node
// Package bin (`aws-course`): the TypeScript CLI run as `npm run cli` runs it, from its
// precompiled bundle (tools/run-app.js), without tsx's start-up.
process.argv.splice(2, 0, "cli/index.ts");
require("../tools/run-app.js");
