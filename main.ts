import { synthesizeApp } from "./stacks/synthesize";

// Configuration -> stacks (stacks/app.ts), synthesized into cdktf.out only when all of it works; nothing else belongs here.
if (!synthesizeApp().ok) process.exitCode = 1;
