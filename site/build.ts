/**
 * `npm run build:site`: site/src -> site/dist with content-hashed asset
 * names (same sources -> same names and bytes), an index.html pointing at
 * them, and nothing else: dist is emptied first so removed files do not
 * linger (and disappear from the bucket on the next deploy). config.json is
 * not built: the stack (or the dev server) generates it from the API URL.
 */
import * as fs from "fs";
import * as path from "path";
import { buildSync, version as esbuildVersion } from "esbuild";
import { cachedBuild } from "../modules/core/build-cache";

export const SITE_SRC = path.join(__dirname, "src");
export const SITE_DIST = path.join(__dirname, "dist");

/** Builds the site into `outDir` and returns the written file names (relative, sorted). */
export function buildSite(outDir: string = SITE_DIST): string[] {
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  const entryPoints = [path.join(SITE_SRC, "app.ts"), path.join(SITE_SRC, "style.css")];
  // Unchanged sources -> the files of the last build (modules/core/build-cache.ts), the same bytes esbuild would write.
  const files = cachedBuild(entryPoints[0], { esbuild: esbuildVersion, entryPoints: entryPoints.map((e) => path.basename(e)) }, () => {
    const result = buildSync({
      entryPoints,
      outdir: outDir,
      entryNames: "[name].[hash]",
      bundle: true,
      minify: true,
      format: "iife",
      target: ["es2020"],
      platform: "browser",
      legalComments: "none",
      metafile: true,
      write: false,
      logLevel: "silent",
    });
    const inputs = Object.keys(result.metafile!.inputs).map((f) => path.resolve(f));
    return { files: Object.fromEntries(result.outputFiles.map((o) => [path.basename(o.path), Buffer.from(o.contents)])), inputs };
  });
  const outputs = Object.keys(files);
  const js = outputs.find((f) => f.endsWith(".js"));
  const css = outputs.find((f) => f.endsWith(".css"));
  if (!js || !css) throw new Error(`site build produced ${outputs.join(", ")}: expected one .js and one .css`);
  for (const [name, data] of Object.entries(files)) fs.writeFileSync(path.join(outDir, name), data);
  const html = fs.readFileSync(path.join(SITE_SRC, "index.html"), "utf8").replace("%JS%", js).replace("%CSS%", css);
  fs.writeFileSync(path.join(outDir, "index.html"), html);
  return fs.readdirSync(outDir).sort();
}

if (require.main === module) {
  const files = buildSite();
  console.log(`site/dist: ${files.join(", ")}`);
}
