/**
 * Build outputs (Lambda bundles, the site) kept between synths, named by a
 * SHA-256 of what they were built from: the builder's settings and the
 * bytes of every file the last build read. A synth whose inputs are
 * unchanged reads the stored outputs instead of running esbuild again; a
 * changed, added or removed input builds afresh. The outputs are the
 * builder's own bytes, so a synth from the cache and one without it are
 * identical.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";

/** `node_modules/.cache/aws-course-build` of this project (never committed, made on first use); `AWS_COURSE_BUILD_CACHE` elsewhere. */
export const BUILD_CACHE_DIR = process.env.AWS_COURSE_BUILD_CACHE || path.resolve(__dirname, "..", "..", "node_modules", ".cache", "aws-course-build");

/** What a build made: output file name -> bytes, and the absolute paths of the files it read. */
export interface BuildOutput {
  readonly files: Readonly<Record<string, Buffer>>;
  readonly inputs: readonly string[];
}

interface Manifest {
  readonly inputs: readonly string[];
  readonly key: string;
  readonly files: readonly string[];
}

/**
 * The outputs of `build` for `id` (e.g. the entry file) under `settings`
 * (everything besides the inputs that changes the output: options, tool
 * version), from the cache when the inputs the last build read are
 * unchanged, else from `build`, then stored. Errors of `build` propagate and
 * nothing is stored.
 */
export function cachedBuild(id: string, settings: unknown, build: () => BuildOutput, cacheDir: string = BUILD_CACHE_DIR): Readonly<Record<string, Buffer>> {
  const settingsText = JSON.stringify(settings);
  const slug = path.basename(path.dirname(id)).replace(/[^\w.-]+/g, "_");
  const manifestFile = path.join(cacheDir, `${slug}-${sha256(`${id}\0${settingsText}`).slice(0, 16)}.json`);
  const manifest = readManifest(manifestFile);
  if (manifest && keyOf(settingsText, manifest.inputs) === manifest.key) {
    const files = readOutputs(path.join(cacheDir, manifest.key), manifest.files);
    if (files) return files;
  }
  const started = Date.now();
  const out = build();
  const inputs = [...new Set(out.inputs)].sort();
  const key = keyOf(settingsText, inputs);
  // An input written while the build ran may differ from what the build read: keep nothing then.
  if (key && !inputs.some((f) => changedSince(f, started - EDIT_SLACK_MS))) {
    try {
      const dir = path.join(cacheDir, key);
      fs.mkdirSync(dir, { recursive: true });
      for (const [name, data] of Object.entries(out.files)) writeAtomic(path.join(dir, name), data);
      writeAtomic(manifestFile, JSON.stringify({ inputs, key, files: Object.keys(out.files).sort() } satisfies Manifest));
      pruneOlderThan(cacheDir, Date.now() - PRUNE_AFTER_MS);
    } catch {
      // A read-only or full cache folder only costs the next synth a build.
    }
  }
  return out.files;
}

/** File times trail the clock a little (coarse kernel timestamps); an input this close to the build's start is treated as written during it. */
const EDIT_SLACK_MS = 1000;

function changedSince(file: string, since: number): boolean {
  try {
    return fs.statSync(file).mtimeMs >= since;
  } catch {
    return true;
  }
}

/** Entries not written for this long are deleted when a build stores a new one (copies of the project in temp folders leave theirs behind). */
const PRUNE_AFTER_MS = 14 * 24 * 3600 * 1000;

function pruneOlderThan(cacheDir: string, before: number): void {
  for (const name of fs.readdirSync(cacheDir)) {
    const file = path.join(cacheDir, name);
    try {
      if (fs.statSync(file).mtimeMs < before) fs.rmSync(file, { recursive: true, force: true });
    } catch {
      // removed meanwhile by another synth
    }
  }
}

function sha256(data: string | Buffer): string {
  return crypto.createHash("sha256").update(data).digest("hex");
}

/** Hash of the settings and the inputs as they are now; undefined when one is missing. */
function keyOf(settingsText: string, inputs: readonly string[]): string | undefined {
  const h = crypto.createHash("sha256").update(settingsText);
  for (const file of inputs) {
    let data: Buffer;
    try {
      data = fs.readFileSync(file);
    } catch {
      return undefined;
    }
    h.update(`\0${file}\0${data.length}\0`).update(data);
  }
  return h.digest("hex");
}

function readManifest(file: string): Manifest | undefined {
  try {
    const m = JSON.parse(fs.readFileSync(file, "utf8")) as Manifest;
    return Array.isArray(m.inputs) && Array.isArray(m.files) && typeof m.key === "string" ? m : undefined;
  } catch {
    return undefined;
  }
}

function readOutputs(dir: string, names: readonly string[]): Record<string, Buffer> | undefined {
  try {
    return Object.fromEntries(names.map((n) => [n, fs.readFileSync(path.join(dir, n))]));
  } catch {
    return undefined;
  }
}

/** Written beside and renamed into place: a concurrent synth sees the whole file or none. */
function writeAtomic(file: string, data: string | Buffer): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}
