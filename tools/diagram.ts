/**
 * `npm run diagram`: one architecture SVG per stack in
 * docs/diagrams/<stack>.svg (VPC > AZ > subnet boxes, the request path solid,
 * management dashed, every resource drawn or folded into a node), built
 * from the synthesized JSON by tools/diagram-model.ts and rendered with
 * Graphviz `dot` (Debian: `apt-get install graphviz`; DOT_BIN overrides).
 * The same JSON gives byte-identical SVGs; keep them under
 * {@link MAX_WIDTH_PT} so they read at README width.
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

/** Widest SVG that reads at README width without scaling: 1,000 px at 96 dpi. */
export const MAX_WIDTH_PT = 750;

/** The `width="...pt"` of an SVG written by dot. */
export function svgWidthPt(svg: string): number {
  const m = /<svg width="([\d.]+)pt"/.exec(svg);
  if (!m) throw new Error("not a dot SVG: no width in pt");
  return Number(m[1]);
}

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
    const svg = renderSvg(dot);
    fs.writeFileSync(path.join(DIAGRAM_DIR, `${stack}.svg`), svg);
    const width = svgWidthPt(svg);
    const warning = width > MAX_WIDTH_PT ? ` (wider than ${MAX_WIDTH_PT} pt: hard to read at README width)` : "";
    console.log(`${stack}: ${diagram.nodes.length} nodes, ${diagram.edges.length} edges, ${width} pt wide${warning} -> ${path.relative(process.cwd(), path.join(DIAGRAM_DIR, `${stack}.svg`))}`);
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
