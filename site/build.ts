/**
 * `npm run build:site`: site/src -> site/dist with content-hashed asset
 * names (same sources -> same names and bytes), an index.html pointing at
 * them, and nothing else: dist is emptied first so removed files do not
 * linger (and disappear from the bucket on the next deploy). config.json is
 * not built: the stack (or the dev server) generates it from the API URL.
 */
import * as fs from "fs";
import * as path from "path";
import { buildSync } from "esbuild";

export const SITE_SRC = path.join(__dirname, "src");
export const SITE_DIST = path.join(__dirname, "dist");

/** Builds the site into `outDir` and returns the written file names (relative, sorted). */
export function buildSite(outDir: string = SITE_DIST): string[] {
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  const result = buildSync({
    entryPoints: [path.join(SITE_SRC, "app.ts"), path.join(SITE_SRC, "style.css")],
    outdir: outDir,
    entryNames: "[name].[hash]",
    bundle: true,
    minify: true,
    format: "iife",
    target: ["es2020"],
    platform: "browser",
    legalComments: "none",
    metafile: true,
    write: true,
    logLevel: "silent",
  });
  const outputs = Object.keys(result.metafile!.outputs).map((f) => path.basename(f));
  const js = outputs.find((f) => f.endsWith(".js"));
  const css = outputs.find((f) => f.endsWith(".css"));
  if (!js || !css) throw new Error(`site build produced ${outputs.join(", ")}: expected one .js and one .css`);
  const html = fs.readFileSync(path.join(SITE_SRC, "index.html"), "utf8").replace("%JS%", js).replace("%CSS%", css);
  fs.writeFileSync(path.join(outDir, "index.html"), html);
  return fs.readdirSync(outDir).sort();
}

if (require.main === module) {
  const files = buildSite();
  console.log(`site/dist: ${files.join(", ")}`);
}
