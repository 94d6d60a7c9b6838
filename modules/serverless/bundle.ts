import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { buildSync, version as esbuildVersion } from "esbuild";
import { cachedBuild } from "../core/build-cache";
import { createZip } from "./zip";

/** Where handler entries live: `lambdas/<entry>/index.ts`. */
export const LAMBDAS_DIR = path.resolve(__dirname, "..", "..", "lambdas");

/** A Lambda entry is one folder name under lambdas/: lower case, digits, `-`, `_`, `.`. */
export const ENTRY_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;

/**
 * Modules the nodejs22.x runtime provides: AWS SDK v3 and its Smithy core.
 * Left out of the bundle by default. Measured (esbuild 0.28, minified,
 * node22, cjs; node 20, 2 shared cores, 2026-11-22), haiku-create when it
 * used lib-dynamodb + client-dynamodb:
 *
 *   SDK external: 5.8 KB (2.5 KB gzip), cold require 36 ms, of which the handler 0.4 ms
 *   SDK bundled:  539 KB (159 KB gzip), cold require 42 ms
 *
 * Either way the SDK's load time dominated the cold start, so the
 * project's handlers now import no SDK (lambdas/lib/aws instead: 17.5 KB,
 * ~7 ms; `npm run bench:bundles`). This stays for code that imports it:
 * external runs the runtime's SDK version (patched by AWS);
 * `bundleAwsSdk: true` is for code that needs a newer one.
 */
export const RUNTIME_PROVIDED_MODULES = ["@aws-sdk/*", "@smithy/*", "@aws-crypto/*"];

/** The TypeScript settings that change emitted JavaScript, as in the project's tsconfig.json (strict, ES2022 class fields). */
const TSCONFIG = { compilerOptions: { alwaysStrict: true, useDefineForClassFields: true } } as const;

export interface BundleOptions {
  /**
   * Bundle the AWS SDK into the zip instead of using the runtime's copy.
   * @default false
   */
  readonly bundleAwsSdk?: boolean;
  /** Folder holding the entries. @default LAMBDAS_DIR */
  readonly lambdasDir?: string;
}

export interface Bundle {
  /** The entry's `index.ts`, absolute. */
  readonly entryFile: string;
  /** Minified CommonJS, as `index.js` in the zip. */
  readonly code: Buffer;
  /** Deterministic zip holding `index.js` (0644, fixed mtime). */
  readonly zip: Buffer;
  /** base64 SHA-256 of the zip: Terraform's `filebase64sha256`, Lambda's CodeSha256. */
  readonly zipSha256Base64: string;
  /** Hex SHA-256 of the zip. */
  readonly zipSha256Hex: string;
}

/** Path of `lambdas/<entry>/index.ts`; throws naming `entry` when it is malformed or missing. */
export function entryFile(entry: string, lambdasDir = LAMBDAS_DIR): string {
  if (!ENTRY_PATTERN.test(entry)) {
    throw new Error(`entry (${JSON.stringify(entry)}) must be a folder name under lambdas/ (lower case letters, digits, . _ -), e.g. "simple-lambda"`);
  }
  const file = path.join(lambdasDir, entry, "index.ts");
  if (!fs.existsSync(file)) throw new Error(`entry (${entry}): ${path.relative(process.cwd(), file) || file} does not exist`);
  return file;
}

/**
 * Bundles `lambdas/<entry>/index.ts` with esbuild (synchronously, so it
 * can run inside a construct): minified, platform node, target node22,
 * CommonJS, no source map, no legal comments, the AWS SDK external unless
 * asked. Output depends only on the sources and the esbuild version, not
 * on the working directory, the clock or the umask. Built once per content
 * of the files it reads: later synths with the same sources take the
 * bundle from `node_modules/.cache/aws-course-build` (~15 ms of esbuild
 * per function saved).
 */
export function bundleEntry(entry: string, options: BundleOptions = {}): Bundle {
  const file = entryFile(entry, options.lambdasDir);
  const external = options.bundleAwsSdk ? [] : RUNTIME_PROVIDED_MODULES;
  // Unchanged sources -> the bundle of the last synth (modules/core/build-cache.ts), the same bytes esbuild would make.
  const settings = { esbuild: esbuildVersion, external, target: "node22", tsconfig: TSCONFIG };
  const { "index.js": code } = cachedBuild(file, settings, () => {
    let result: ReturnType<typeof buildSync>;
    try {
      result = buildSync({
        entryPoints: [file],
        absWorkingDir: path.dirname(file),
        bundle: true,
        minify: true,
        platform: "node",
        target: "node22",
        format: "cjs",
        external,
        legalComments: "none",
        sourcemap: false,
        write: false,
        metafile: true,
        logLevel: "silent",
        charset: "utf8",
        // Pinned instead of read from the nearest tsconfig.json, so the bytes depend on the sources only.
        tsconfigRaw: TSCONFIG,
      });
    } catch (e) {
      const errors = (e as { errors?: { text: string; location?: { file: string; line: number } | null }[] }).errors ?? [];
      const first = errors[0];
      const where = first?.location ? ` at ${first.location.file}:${first.location.line}` : "";
      throw new Error(`entry (${entry}): esbuild failed${where}: ${first?.text ?? (e as Error).message}`);
    }
    const out = result.outputFiles?.[0];
    if (!out) throw new Error(`entry (${entry}): esbuild produced no output`);
    const inputs = Object.keys(result.metafile?.inputs ?? {}).map((f) => path.resolve(path.dirname(file), f));
    return { files: { "index.js": Buffer.from(out.contents) }, inputs };
  });
  const zip = createZip([{ name: "index.js", data: code }]);
  return {
    entryFile: file,
    code,
    zip,
    zipSha256Base64: crypto.createHash("sha256").update(zip).digest("base64"),
    zipSha256Hex: crypto.createHash("sha256").update(zip).digest("hex"),
  };
}

/**
 * Writes the zip to `<stagingDir>/<entry>/<hash16>/<entry>.zip` (content
 * addressed, so re-synths reuse the same path and parallel synths never
 * clash) and returns the path. The file's own mode and mtime do not matter:
 * only its bytes are hashed and uploaded.
 */
export function stageBundle(bundle: Bundle, entry: string, stagingDir: string): string {
  const dir = path.join(stagingDir, entry, bundle.zipSha256Hex.slice(0, 16));
  const file = path.join(dir, `${entry}.zip`);
  if (fs.existsSync(file) && fs.readFileSync(file).equals(bundle.zip)) return file;
  fs.mkdirSync(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, bundle.zip);
  fs.renameSync(tmp, file);
  return file;
}
