import { synthesizeApp } from "./stacks/synthesize";

// Configuration -> stacks (stacks/app.ts), synthesized into cdktf.out only when all of it works; nothing else belongs here.
const result = synthesizeApp();
if (result.ok) console.log(result.summary);
else process.exitCode = 1;
