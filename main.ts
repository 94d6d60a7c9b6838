import * as fs from "fs";
import * as path from "path";
import { synthesizeApp } from "./stacks/synthesize";

// Configuration -> stacks (stacks/app.ts), synthesized into cdktf.out only when all of it works; nothing else belongs here.
const result = synthesizeApp();
if (!result.ok) process.exitCode = 1;
else {
  // One line on success, so `npm run synth` does not end in silence (problems and warnings went to stderr).
  const manifest = JSON.parse(fs.readFileSync(path.join(result.outdir, "manifest.json"), "utf8")) as { stacks: Record<string, unknown> };
  const shown = path.relative(process.cwd(), result.outdir);
  console.log(`synthesized ${Object.keys(manifest.stacks).length} stacks into ${shown && !shown.startsWith("..") ? shown : result.outdir}`);
}
