/**
 * `npm run diagram`: one SVG per stack in docs/diagrams/<stack>.svg, drawn
 * from the synthesized JSON by tools/diagram-model.ts and rendered with
 * Graphviz `dot` (Debian: `apt-get install graphviz`; DOT_BIN overrides).
 *
 *   npm run diagram                 synthesize, then draw every stack
 *   npm run diagram -- first-ec2    only these stacks
 *   npm run diagram -- --no-synth   use the existing cdktf.out
 *   npm run diagram -- --dot        write the .dot files next to the SVGs too
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { buildDiagram, toDot } from "./diagram-model";
import { synthKeepingErrors } from "./policy";

const ROOT = path.resolve(__dirname, "..");
const OUTDIR = path.join(ROOT, "cdktf.out");
export const DIAGRAM_DIR = path.join(ROOT, "docs/diagrams");
const DOT_BIN = process.env.DOT_BIN ?? "dot";

/** Renders DOT to SVG with Graphviz, or says how to install it. */
export function renderSvg(dot: string): string {
  try {
    return execFileSync(DOT_BIN, ["-Tsvg"], { input: dot, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  } catch (e: any) {
    if (e.code === "ENOENT") throw new Error(`Graphviz "${DOT_BIN}" not found: apt-get install graphviz (or set DOT_BIN)`);
    throw new Error(`dot failed: ${e.stderr ?? e.message}`);
  }
}

function main(): void {
  const args = process.argv.slice(2);
  if (!args.includes("--no-synth")) synthKeepingErrors(OUTDIR);
  const manifest = JSON.parse(fs.readFileSync(path.join(OUTDIR, "manifest.json"), "utf8"));
  const all = Object.keys(manifest.stacks).sort();
  const wanted = args.filter((a) => !a.startsWith("--"));
  const unknown = wanted.filter((s) => !all.includes(s));
  if (unknown.length) throw new Error(`unknown stack(s): ${unknown.join(", ")}; stacks are ${all.join(", ")}`);
  fs.mkdirSync(DIAGRAM_DIR, { recursive: true });
  for (const stack of wanted.length ? wanted : all) {
    const tf = JSON.parse(fs.readFileSync(path.join(OUTDIR, manifest.stacks[stack].synthesizedStackPath), "utf8"));
    const diagram = buildDiagram(stack, tf);
    const dot = toDot(diagram);
    if (args.includes("--dot")) fs.writeFileSync(path.join(DIAGRAM_DIR, `${stack}.dot`), dot);
    fs.writeFileSync(path.join(DIAGRAM_DIR, `${stack}.svg`), renderSvg(dot));
    console.log(`${stack}: ${diagram.nodes.length} nodes, ${diagram.edges.length} edges -> ${path.relative(process.cwd(), path.join(DIAGRAM_DIR, `${stack}.svg`))}`);
  }
}

if (require.main === module) {
  try {
    main();
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  }
}
