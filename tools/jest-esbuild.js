/**
 * Jest transform: TypeScript -> CommonJS with esbuild (already a dependency
 * for Lambda bundles; its platform binaries ship as npm packages, so no
 * install script and no native build). Type checking is `npm run typecheck`.
 */
const { createHash } = require("crypto");
const { transformSync, version } = require("esbuild");

module.exports = {
  process(source, filename) {
    const result = transformSync(source, {
      loader: filename.endsWith(".ts") ? "ts" : "js",
      format: "cjs",
      target: "node20",
      sourcemap: "inline",
      sourcefile: filename,
    });
    return { code: result.code };
  },
  getCacheKey(source, filename) {
    return createHash("sha1").update(version).update("\0").update(filename).update("\0").update(source).digest("hex");
  },
};
