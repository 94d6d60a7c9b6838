#!/usr/bin/env node
/**
 * `node tools/run-app.js <entry.ts> [args...]`: runs a TypeScript entry of
 * this project (main.ts, tools/plan.ts) without tsx, from one esbuild
 * bundle of the entry and the project's own sources it imports
 * (node_modules stay external, loaded by node as usual).
 *
 * The bundle is built on first use and kept in
 * `node_modules/.cache/aws-course-app/`, named by a SHA-256 of the entry's
 * inputs (every project source esbuild read, tsconfig.json, package.json,
 * esbuild's and node's versions, the project's folder and this file): a
 * run that finds the bundle of the sources as
 * they are now just loads it (a few ms of hashing); any change rebuilds
 * it. Nothing of it is committed, and a fresh clone builds it on its first
 * `npm run synth` (AWS_COURSE_APP_CACHE moves the folder: benchmarks time
 * a first run with an empty one).
 *
 * Each bundled file keeps its own `__dirname` / `__filename` (the folder
 * and file in this project, as under tsx), so code that finds project
 * files from its own location works unchanged; the project root is given
 * at run time, and packages resolve from its node_modules. As under node,
 * `require.main === module` holds in the entry only. `DEBUG=1` turns
 * on source maps, so stack traces point at the .ts files and lines.
 *
 * The bundle and the packages it loads are compiled through V8's code
 * cache, kept beside the bundles (tools/compile-cache.js).
 */
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");
const url = require("url");

const ROOT = path.resolve(__dirname, "..");
const CACHE = process.env.AWS_COURSE_APP_CACHE || path.join(ROOT, "node_modules", ".cache", "aws-course-app");
/** Bump to invalidate every cached bundle when the build settings below change. */
const FORMAT = 1;
/** Bundles kept per entry. */
const KEEP = 6;
const LOADERS = { ".ts": "ts", ".mts": "ts", ".cts": "ts", ".tsx": "tsx", ".js": "js", ".mjs": "js", ".cjs": "js", ".json": "json" };

function sha256(data) {
  return crypto.createHash("sha256").update(data).digest("hex");
}

/** Hash of the bundle's inputs: `read(rel)` gives a file's bytes, or undefined when it is gone. */
function inputsHash(inputs, esbuildVersion, read = (rel) => readOrUndefined(path.join(ROOT, rel))) {
  const h = crypto.createHash("sha256");
  // The root too: the source map names this copy's files.
  h.update(`${FORMAT}\0${esbuildVersion}\0${process.version.split(".")[0]}\0${ROOT}\0`);
  h.update(fs.readFileSync(__filename));
  for (const rel of inputs) {
    const data = read(rel);
    if (data === undefined) return undefined;
    h.update(`\0${rel}\0${data.length}\0`).update(data);
  }
  return h.digest("hex");
}

function readOrUndefined(file) {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

function esbuildVersion() {
  return JSON.parse(fs.readFileSync(require.resolve("esbuild/package.json", { paths: [ROOT] }), "utf8")).version;
}

/** Builds the bundle of `entry` (relative to the root) and returns its file. */
async function build(entry, manifestFile, version) {
  const esbuild = require(require.resolve("esbuild", { paths: [ROOT] }));
  const ownFile = (file) => !path.relative(ROOT, file).startsWith("..") && !file.split(path.sep).includes("node_modules");
  // The bytes esbuild bundled, by path relative to the root: the bundle is named by these, not by a later read.
  const loaded = new Map();
  const ownSources = {
    name: "own-sources",
    setup(b) {
      b.onLoad({ filter: /.*/ }, (args) => {
        if (!ownFile(args.path)) return undefined;
        const rel = path.relative(ROOT, args.path).split(path.sep).join("/");
        const data = fs.readFileSync(args.path);
        loaded.set(rel, data);
        const loader = LOADERS[path.extname(args.path)];
        if (!loader) return { contents: data };
        let contents = data.toString("utf8");
        // Each project file keeps its own __dirname/__filename, made from the root given at run time.
        if (loader !== "json" && /\b__(dirname|filename)\b/.test(contents)) {
          // On the file's first line (after a #! line), so the lines of stack traces stay the file's own.
          const declare = `const __dirname = __appPath(${JSON.stringify(path.posix.dirname(rel))}), __filename = __appPath(${JSON.stringify(rel)}); `;
          const at = contents.startsWith("#!") ? contents.indexOf("\n") + 1 : 0;
          contents = `${contents.slice(0, at)}${declare}${contents.slice(at)}`;
        }
        // `if (require.main === module) main()`: every bundled file shares one `module`, so the test is
        // made here, as node would answer it - true in the entry, false in the files it imports.
        if (loader !== "json") contents = contents.replace(/\brequire\.main\s*===\s*module\b/g, String(rel === entry));
        return { contents, loader };
      });
    },
  };
  const hashless = path.join(CACHE, `${slugOf(entry)}.${process.pid}.tmp.js`);
  fs.mkdirSync(CACHE, { recursive: true });
  const result = await esbuild.build({
    entryPoints: [path.join(ROOT, entry)],
    absWorkingDir: ROOT,
    outfile: hashless,
    bundle: true,
    platform: "node",
    target: `node${process.versions.node.split(".")[0]}`,
    format: "cjs",
    packages: "external",
    sourcemap: "linked",
    sourcesContent: false,
    metafile: true,
    write: false,
    logLevel: "silent",
    plugins: [ownSources],
    // The whole app runs inside a function of the project root (no machine path in the bundle).
    // Packages resolve from the root's node_modules, wherever the bundle is kept.
    banner: {
      js: [
        '"use strict";',
        "module.exports = function (__appRoot) {",
        'const require = module.constructor.createRequire(module.require("path").join(__appRoot, "package.json"));',
        'const __appPath = (p) => require("path").join(__appRoot, p);',
      ].join("\n"),
    },
    footer: { js: "};" },
  });
  const inputs = [...new Set([...Object.keys(result.metafile.inputs), "tsconfig.json", "package.json"])].sort();
  const hash = inputsHash(inputs, version, (rel) => loaded.get(rel) ?? readOrUndefined(path.join(ROOT, rel)));
  const file = path.join(CACHE, `${slugOf(entry)}-${hash.slice(0, 16)}.js`);
  for (const out of result.outputFiles) {
    const isMap = out.path.endsWith(".map");
    const target = isMap ? `${file}.map` : file;
    let text = out.text;
    if (isMap) {
      // Sources as absolute file URLs of this copy of the project (DEBUG=1 traces name the .ts files here).
      const map = JSON.parse(text);
      map.sources = map.sources.map((s) => url.pathToFileURL(path.resolve(path.dirname(out.path), s)).href);
      text = JSON.stringify(map);
    } else {
      text = text.replace(/\/\/# sourceMappingURL=.*\s*$/, `//# sourceMappingURL=${path.basename(file)}.map\n`);
    }
    const tmp = `${target}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, target); // atomic: a concurrent run sees all of it or none
  }
  const tmp = `${manifestFile}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify({ entry, inputs, hash }));
  fs.renameSync(tmp, manifestFile);
  prune(slugOf(entry), file);
  return file;
}

/** Keeps the newest few bundles of an entry (older sources, other copies of the project), deletes the rest. */
function prune(slug, keep) {
  const pattern = new RegExp(`^${slug}-[0-9a-f]{16}\\.js$`);
  const bundles = fs
    .readdirSync(CACHE)
    .filter((f) => pattern.test(f))
    .map((f) => ({ file: path.join(CACHE, f), mtime: fs.statSync(path.join(CACHE, f)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const { file } of bundles.slice(KEEP)) {
    if (file === keep) continue;
    fs.rmSync(file, { force: true });
    fs.rmSync(`${file}.map`, { force: true });
    require("./compile-cache").forgetCompiled(CACHE, file);
  }
}

function slugOf(entry) {
  return entry.replace(/\W+/g, "-");
}

/** The bundle of `entry` for the sources as they are now, built when missing. */
async function bundleFor(entry) {
  const manifestFile = path.join(CACHE, `${slugOf(entry)}-${sha256(`${ROOT}\0${entry}`).slice(0, 12)}.json`);
  const version = esbuildVersion();
  try {
    const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8"));
    const hash = manifest.entry === entry ? inputsHash(manifest.inputs, version) : undefined;
    const file = hash && path.join(CACHE, `${slugOf(entry)}-${hash.slice(0, 16)}.js`);
    if (file && hash === manifest.hash && fs.existsSync(file)) return file;
  } catch {
    // no manifest yet, or a broken one: build
  }
  return build(entry, manifestFile, version);
}

async function main() {
  const entry = process.argv[2];
  if (!entry || !fs.existsSync(path.join(ROOT, entry))) {
    console.error(`usage: node tools/run-app.js <entry.ts> [args...]${entry ? ` (${entry} not found under ${ROOT})` : ""}`);
    process.exit(2);
  }
  const rel = path.relative(ROOT, path.resolve(ROOT, entry)).split(path.sep).join("/");
  const file = await bundleFor(rel);
  if (process.env.DEBUG === "1") process.setSourceMapsEnabled(true);
  // As `node entry.ts args...` would see them.
  process.argv.splice(1, 2, path.join(ROOT, rel));
  require("./compile-cache").installCompileCache(CACHE);
  require(file)(ROOT);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
