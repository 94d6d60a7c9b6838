#!/usr/bin/env node
// Package bin: runs the TypeScript CLI through tsx (no build step).
require("tsx/cjs");
require("./index.ts").run();
