/**
 * Browser test: the committed diagrams (docs/diagrams/*.svg, what the README
 * and docs embed) rendered in headless Debian Chromium (/usr/bin/chromium,
 * or CHROMIUM_PATH) at 1,000 px width, one browser and one page for all of
 * them. Fails - never skips - when Chromium is missing. Screenshots go to
 * .tmp/diagrams/ (git-ignored).
 */
import * as fs from "fs";
import * as path from "path";
import { chromium, Browser, Page } from "playwright-core";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ROOT = path.resolve(__dirname, "..", "..");
const DIAGRAMS = path.join(ROOT, "docs", "diagrams");
const SHOTS = path.join(ROOT, ".tmp", "diagrams");
const VIEWPORT = { width: 1000, height: 800 };
const STACKS = fs.readdirSync(DIAGRAMS).filter((f) => f.endsWith(".svg")).map((f) => f.replace(/\.svg$/, "")).sort();

interface Box {
  readonly text: string;
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}
interface Layout {
  readonly svgWidth: number;
  readonly texts: Box[];
  /** For each node: its shape's box and the boxes of its label lines. */
  readonly nodes: { readonly id: string; readonly shape: Box; readonly texts: Box[] }[];
}

let browser: Browser;
let page: Page;

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
  }
  fs.mkdirSync(SHOTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
  page = await browser.newPage({ viewport: VIEWPORT });
}, 60000);

afterAll(async () => {
  await browser?.close();
});

/** Loads an SVG inline (at its own size, as a README shows it) and measures every label. */
async function layoutOf(svg: string): Promise<Layout> {
  await page.setContent(`<!doctype html><html><body style="margin:0">${svg.replace(/^[\s\S]*?(?=<svg)/, "")}</body></html>`);
  return page.evaluate(() => {
    const svgEl = document.querySelector("svg")!;
    const scale = svgEl.getBoundingClientRect().width / (svgEl.viewBox.baseVal.width || svgEl.getBoundingClientRect().width);
    const ctx = document.createElement("canvas").getContext("2d")!;
    const box = (e: Element): Box => {
      const r = e.getBoundingClientRect();
      return { text: "", left: r.left, top: r.top, right: r.right, bottom: r.bottom };
    };
    // A label's ink: its horizontal extent as laid out, its vertical extent from the glyphs (not the font's line box).
    const ink = (t: SVGTextElement): Box => {
      const r = t.getBoundingClientRect();
      const style = getComputedStyle(t);
      ctx.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      const m = ctx.measureText(t.textContent!);
      const baseline = r.top + m.fontBoundingBoxAscent * scale;
      return { text: t.textContent!, left: r.left, right: r.right, top: baseline - m.actualBoundingBoxAscent * scale, bottom: baseline + m.actualBoundingBoxDescent * scale };
    };
    const labelled = (root: ParentNode) => Array.from(root.querySelectorAll("text")).filter((t) => t.textContent!.trim());
    const texts = labelled(document).map(ink);
    const nodes = Array.from(document.querySelectorAll("g.node")).flatMap((g) => {
      const shape = g.querySelector("path, polygon, ellipse");
      const lines = labelled(g);
      return shape && lines.length ? [{ id: g.querySelector("title")?.textContent ?? "", shape: box(shape), texts: lines.map(ink) }] : [];
    });
    return { svgWidth: svgEl.getBoundingClientRect().width, texts, nodes };
  });
}

const overlap = (a: Box, b: Box) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5;

describe("diagrams in Chromium at 1,000 px width", () => {
  it("finds all nine stacks' diagrams", () => {
    expect(STACKS).toEqual(["bashoutter", "ecs-autoscaling", "first-ec2", "gpu-jupyter", "qa-bot", "simple-dynamodb", "simple-lambda", "state", "web-fleet"]);
  });

  it.each(STACKS)("%s: fits the width, no two labels overlap, every label stays inside its node", async (stack) => {
    // GIVEN the committed SVG, shown at its own size in a 1,000 px wide page
    const layout = await layoutOf(fs.readFileSync(path.join(DIAGRAMS, `${stack}.svg`), "utf8"));
    // (an artifact only: no caret-hiding style put in and taken out around it, there is no text caret in an SVG)
    await page.screenshot({ path: path.join(SHOTS, `${stack}.png`), fullPage: true, caret: "initial" });

    // THEN it fits without scaling
    expect(layout.svgWidth).toBeLessThanOrEqual(VIEWPORT.width);
    expect(layout.texts.length).toBeGreaterThan(2);
    for (const t of layout.texts) expect({ text: t.text, right: Math.min(t.right, VIEWPORT.width), left: Math.max(t.left, 0) }).toEqual({ text: t.text, right: t.right, left: t.left });
    // AND no two labels (node lines, edge labels, box titles) overlap
    const clashes: string[] = [];
    layout.texts.forEach((a, i) => layout.texts.slice(i + 1).forEach((b) => overlap(a, b) && clashes.push(`"${a.text}" / "${b.text}"`)));
    expect(clashes).toEqual([]);
    // AND Chromium's font does not push a node's label out of its box
    const outside = layout.nodes.flatMap((n) =>
      n.texts.filter((t) => t.left < n.shape.left - 1 || t.right > n.shape.right + 1 || t.top < n.shape.top - 1 || t.bottom > n.shape.bottom + 1).map((t) => `${n.id}: "${t.text}"`),
    );
    expect(outside).toEqual([]);
  });

  it("the overlap check catches overlapping labels (a diagram with two labels on the same spot fails it)", async () => {
    // GIVEN an SVG with two texts drawn at the same place
    const svg = `<svg width="200pt" height="50pt" viewBox="0 0 200 50" xmlns="http://www.w3.org/2000/svg"><text x="10" y="20" font-size="10">first label</text><text x="14" y="22" font-size="10">second label</text></svg>`;
    const layout = await layoutOf(svg);
    // THEN they are reported as overlapping
    expect(overlap(layout.texts[0], layout.texts[1])).toBe(true);
  });
});
