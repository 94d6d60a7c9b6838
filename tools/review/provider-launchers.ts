/**
 * What review and plan roots run as their providers: for each provider
 * binary of the shared install, a launcher script in the layout of
 * `.terraform/providers`. Once per terraform run in a root that asks for
 * it (AWS_COURSE_SCHEMA_ONLY, set by `schemaOnlyEnv`), the first process
 * terraform starts - the one that only reads the schema - is the
 * schema-only provider (schema-only-provider.ts), answering with the
 * provider's own captured answer cut to the root's types; every other
 * start is the provider binary itself (`exec`, nothing in between).
 * terraform then skips decoding and checking ~1,500 types it does not use,
 * and the provider start that built them: a one-resource plan takes ~1.4
 * CPU-s instead of ~4.6.
 *
 * Made once per install (from the providers' captured answers:
 * provider-answers.ts), in a folder named by everything in it. The roots'
 * lock files carry the launchers' own package hashes, so terraform still
 * checks what it runs (and hashes a script of a few hundred bytes on every
 * run, not the 700 MB provider binary: ~0.6 CPU-s of the above).
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { onceAcrossProcesses } from "./cache-lock";
import type { ProviderAnswer } from "./provider-answers";
import { providerAnswers } from "./provider-answers";
import type { Launchers, ProviderInstall } from "./install";
import type { SchemaTypes } from "./schema-only-provider";
import type { TfJson } from "./workspace";

/** The env var naming a root's schema-only folder (its `types.json`, and a mark per terraform process started). */
export const SCHEMA_ONLY_ENV = "AWS_COURSE_SCHEMA_ONLY";

/**
 * terraform versions whose schema read the schema-only provider answers as
 * the provider would: on 1.11 (tested here; 1.10 reads schemas the same
 * way) the first process gets GetProviderSchema and nothing else. 1.12
 * added resource identity schemas, which that process does not serve, so
 * other versions run the providers directly rather than trust it.
 */
export function launchersServe(terraformVersion: string, platform: NodeJS.Platform = process.platform): boolean {
  return platform !== "win32" && /^1\.1[01]\./.test(terraformVersion); // the launchers are sh scripts
}

const made = new Map<string, Promise<Launchers>>();

/** The launchers of `install`, made on first use (once per install, in its cache folder). */
export function providerLaunchers(install: ProviderInstall, env: NodeJS.ProcessEnv): Promise<Launchers> {
  let launchers = made.get(install.dir);
  if (!launchers) {
    launchers = makeLaunchers(install, env);
    made.set(install.dir, launchers);
    launchers.catch(() => made.delete(install.dir)); // a later run tries again
  }
  return launchers;
}

async function makeLaunchers(install: ProviderInstall, env: NodeJS.ProcessEnv): Promise<Launchers> {
  const answers = await providerAnswers(install, env);
  // Named by the server's sources, not its build: a run that finds the launchers starts no esbuild (~75 ms).
  const sources = SERVER_SOURCES.map((f) => fs.readFileSync(path.join(__dirname, f), "utf8"));
  const key = crypto.createHash("sha256").update(JSON.stringify({ install: install.key, node: process.execPath, answers, sources })).digest("hex").slice(0, 16);
  const dir = path.join(install.cacheDir, `launchers-${key}`);
  await onceAcrossProcesses(`${dir}.lock`, () => fs.existsSync(path.join(dir, ".terraform.lock.hcl")), async () => {
    const tmp = `${dir}.${process.pid}.tmp`;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(tmp, { recursive: true });
    fs.writeFileSync(path.join(tmp, "schema-only-provider.js"), schemaOnlyProviderScript());
    const packageHashes = new Map<string, string>();
    for (const a of answers) {
      const pkg = path.join(tmp, "providers", path.dirname(a.relative));
      fs.mkdirSync(pkg, { recursive: true });
      fs.writeFileSync(path.join(pkg, path.basename(a.relative)), launcherScript(a, path.join(dir, "schema-only-provider.js")), { mode: 0o755 });
      packageHashes.set(a.address, packageHash(pkg));
    }
    fs.writeFileSync(path.join(tmp, ".terraform.lock.hcl"), withHashes(fs.readFileSync(path.join(install.dir, ".terraform.lock.hcl"), "utf8"), packageHashes));
    try {
      fs.renameSync(tmp, dir);
    } catch {
      fs.rmSync(tmp, { recursive: true, force: true }); // another process made it meanwhile
    }
  });
  return { providers: path.join(dir, "providers"), lockFile: fs.readFileSync(path.join(dir, ".terraform.lock.hcl"), "utf8") };
}

/** The environment of a terraform run in `root` whose schema-only provider answers with `types`. */
export function schemaOnlyEnv(root: string, types: SchemaTypes, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const dir = schemaOnlyFolder(root);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "types.json"), JSON.stringify(types));
  return reuseSchemaOnlyEnv(root, env);
}

/** The environment of a further terraform run in `root` (a `show` of its plan), with the types its last planning wrote. */
export function reuseSchemaOnlyEnv(root: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, [SCHEMA_ONLY_ENV]: schemaOnlyFolder(root) };
}

function schemaOnlyFolder(root: string): string {
  return path.join(root, ".schema-only");
}

/** Every resource, data source and ephemeral resource type the modules' configurations and a state name. */
export function rootSchemaTypes(modules: readonly { readonly json: TfJson }[], state?: { readonly resources?: readonly { mode?: string; type?: string }[] }): SchemaTypes {
  const resources = new Set<string>();
  const dataSources = new Set<string>();
  const ephemeralResources = new Set<string>();
  for (const { json } of modules) {
    for (const t of Object.keys(json.resource ?? {})) resources.add(t);
    for (const t of Object.keys(json.data ?? {})) dataSources.add(t);
    for (const t of Object.keys((json.ephemeral as Record<string, unknown> | undefined) ?? {})) ephemeralResources.add(t);
  }
  for (const r of state?.resources ?? []) if (r.type) (r.mode === "data" ? dataSources : resources).add(r.type);
  return { resources: [...resources].sort(), dataSources: [...dataSources].sort(), ephemeralResources: [...ephemeralResources].sort() };
}

/** The files of this folder the schema-only provider's bundle is made of (its other imports are node's). */
const SERVER_SOURCES = ["schema-only-provider.ts", "protobuf.ts"];

/** schema-only-provider.ts as one file of plain JavaScript, for node to start without a compiler. */
function schemaOnlyProviderScript(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require("esbuild") as typeof import("esbuild");
  const out = esbuild.buildSync({
    entryPoints: [path.join(__dirname, SERVER_SOURCES[0])],
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const read = Object.keys(out.metafile.inputs).map((f) => path.basename(f));
  const unnamed = read.filter((f) => !SERVER_SOURCES.includes(f));
  if (unnamed.length) throw new Error(`the schema-only provider also imports ${unnamed.join(", ")}: add it to SERVER_SOURCES (the launchers are named by them)`);
  return out.outputFiles[0].text;
}

function launcherScript(answer: ProviderAnswer, script: string): string {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  return [
    "#!/bin/sh",
    "# Made by tools/review/provider-launchers.ts. In a root that asks for it, the first process terraform",
    "# starts in a run only reads the schema: the schema-only provider answers it, with the root's types.",
    "# Every other process is the provider itself.",
    `if [ -n "$${SCHEMA_ONLY_ENV}" ] && mkdir "$${SCHEMA_ONLY_ENV}/started-$PPID" 2>/dev/null; then`,
    `  exec ${q(process.execPath)} ${q(script)} ${q(answer.file)} ${answer.protocol}`,
    "fi",
    `exec ${q(answer.binary)} "$@"`,
    "",
  ].join("\n");
}

/** terraform's `h1:` hash of a provider package folder (Go's dirhash Hash1: each file's SHA-256 and name, sorted). */
export function packageHash(dir: string): string {
  const files: string[] = [];
  const walk = (d: string, prefix: string) => {
    for (const entry of fs.readdirSync(d)) {
      const full = path.join(d, entry);
      if (fs.statSync(full).isDirectory()) walk(full, `${prefix}${entry}/`);
      else files.push(`${prefix}${entry}`);
    }
  };
  walk(dir, "");
  const summary = files
    .sort()
    .map((f) => `${crypto.createHash("sha256").update(fs.readFileSync(path.join(dir, f))).digest("hex")}  ${f}\n`)
    .join("");
  return `h1:${crypto.createHash("sha256").update(summary).digest("base64")}`;
}

/** A lock file with the `hashes` of each provider in `hashes` replaced by that one hash. */
function withHashes(lockFile: string, hashes: ReadonlyMap<string, string>): string {
  return lockFile.replace(/provider "([^"]+)" \{([\s\S]*?)\n\}/g, (block, address: string, body: string) => {
    const hash = hashes.get(address);
    if (!hash) return block;
    const entry = `hashes = [\n    "${hash}",\n  ]`;
    return `provider "${address}" {${/hashes = \[[\s\S]*?\]/.test(body) ? body.replace(/hashes = \[[\s\S]*?\]/, entry) : `${body}\n  ${entry}`}\n}`;
  });
}
