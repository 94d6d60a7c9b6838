/**
 * What review and plan roots run as their providers: for each provider
 * binary of the shared install, a launcher script in the layout of
 * `.terraform/providers`. Once per terraform run in a root that asks for
 * it (AWS_COURSE_SCHEMA_ONLY, set by `schemaOnlyEnv`), the first process
 * terraform starts - the one that only reads the schema - is the
 * schema-only provider (schema-only-provider.ts), answering with the
 * provider's own captured answer cut to the root's types; every other
 * start is the provider binary itself (`exec`, nothing in between).
 * terraform then skips decoding and checking ~1,500 types it does not use:
 * ~2 s of CPU of every plan and show.
 *
 * Made once per install (the provider's answer is captured by calling it
 * as terraform does), in a folder named by everything in it; the roots'
 * lock files carry the launchers' own package hashes, so terraform still
 * checks what it runs.
 */
import { spawn } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as http2 from "http2";
import * as net from "net";
import * as path from "path";
import type { ProviderInstall } from "./schema";
import { onceAcrossProcesses } from "./schema";
import type { SchemaTypes } from "./schema-only-provider";
import { PLUGIN_MAGIC_COOKIE, SCHEMA_CALL, grpcFrame } from "./schema-only-provider";
import type { TfJson } from "./workspace";

export interface Launchers {
  /** A folder laid out as `.terraform/providers`, with a launcher where the install has a provider binary. */
  readonly providers: string;
  /** The install's lock file, each provider's hashes replaced by its launcher package's. */
  readonly lockFile: string;
}

/** The env var naming a root's schema-only folder (its `types.json`, and a mark per terraform process started). */
export const SCHEMA_ONLY_ENV = "AWS_COURSE_SCHEMA_ONLY";

const made = new Map<string, Promise<Launchers | undefined>>();

/**
 * The launchers of `install`, made on first use; undefined (the roots then
 * run the providers directly, as before) when a provider's schema answer
 * cannot be captured, with the reason logged.
 */
export function providerLaunchers(install: ProviderInstall, env: NodeJS.ProcessEnv, log: (line: string) => void = () => undefined): Promise<Launchers | undefined> {
  let launchers = made.get(install.dir);
  if (!launchers) made.set(install.dir, (launchers = makeLaunchers(install, env, log)));
  return launchers;
}

async function makeLaunchers(install: ProviderInstall, env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<Launchers | undefined> {
  const binaries = providerBinaries(path.join(install.dir, ".terraform", "providers"));
  const server = schemaOnlyProviderScript();
  const key = crypto.createHash("sha256").update(JSON.stringify({ install: install.key, node: process.execPath, binaries, server })).digest("hex").slice(0, 16);
  const dir = `${install.dir}-launchers-${key}`;
  const ready = () => fs.existsSync(path.join(dir, ".terraform.lock.hcl"));
  try {
    await onceAcrossProcesses(`${dir}.lock`, ready, async () => {
      const tmp = `${dir}.${process.pid}.tmp`;
      fs.rmSync(tmp, { recursive: true, force: true });
      fs.mkdirSync(tmp, { recursive: true });
      const scriptFile = path.join(dir, "schema-only-provider.js");
      fs.writeFileSync(path.join(tmp, "schema-only-provider.js"), server);
      const packageHashes = new Map<string, string>();
      for (const [i, b] of binaries.entries()) {
        const { protocol, answer } = await captureSchemaAnswer(b.file, env);
        fs.writeFileSync(path.join(tmp, `schema-${i}.bin`), answer);
        const pkg = path.join(tmp, "providers", path.dirname(b.relative));
        fs.mkdirSync(pkg, { recursive: true });
        fs.writeFileSync(path.join(pkg, path.basename(b.relative)), launcherScript(b.file, scriptFile, path.join(dir, `schema-${i}.bin`), protocol), { mode: 0o755 });
        packageHashes.set(b.address, packageHash(pkg));
      }
      fs.writeFileSync(path.join(tmp, ".terraform.lock.hcl"), withHashes(fs.readFileSync(path.join(install.dir, ".terraform.lock.hcl"), "utf8"), packageHashes));
      try {
        fs.renameSync(tmp, dir);
      } catch {
        fs.rmSync(tmp, { recursive: true, force: true }); // another process made it meanwhile
      }
    });
  } catch (e) {
    log(`providers: running them directly (their schema answer could not be captured: ${(e as Error).message})`);
    return undefined;
  }
  return { providers: path.join(dir, "providers"), lockFile: fs.readFileSync(path.join(dir, ".terraform.lock.hcl"), "utf8") };
}

/** The environment of a terraform run in `root` whose schema-only provider answers with `types`. */
export function schemaOnlyEnv(root: string, types: SchemaTypes, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const dir = path.join(root, ".schema-only");
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "types.json"), JSON.stringify(types));
  return { ...env, [SCHEMA_ONLY_ENV]: dir };
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

interface ProviderBinary {
  /** `registry.terraform.io/hashicorp/aws`. */
  readonly address: string;
  /** Path under `.terraform/providers`: `<host>/<namespace>/<type>/<version>/<os_arch>/terraform-provider-...`. */
  readonly relative: string;
  readonly file: string;
}

function providerBinaries(providers: string): ProviderBinary[] {
  const found: ProviderBinary[] = [];
  const walk = (dir: string, parts: string[]) => {
    for (const entry of fs.readdirSync(dir).sort()) {
      const file = path.join(dir, entry);
      if (parts.length < 5) {
        if (fs.statSync(file).isDirectory()) walk(file, [...parts, entry]);
      } else if (entry.startsWith("terraform-provider-")) {
        found.push({ address: parts.slice(0, 3).join("/"), relative: [...parts, entry].join("/"), file: fs.realpathSync(file) });
      }
    }
  };
  if (fs.existsSync(providers)) walk(providers, []);
  return found;
}

/** schema-only-provider.ts as one file of plain JavaScript, for node to start without a compiler. */
function schemaOnlyProviderScript(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require("esbuild") as typeof import("esbuild");
  const out = esbuild.buildSync({
    entryPoints: [path.join(__dirname, "schema-only-provider.ts")],
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    write: false,
    logLevel: "silent",
  });
  return out.outputFiles[0].text;
}

function launcherScript(binary: string, script: string, answer: string, protocol: string): string {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  return [
    "#!/bin/sh",
    "# Made by tools/review/provider-launchers.ts. In a root that asks for it, the first process terraform",
    "# starts in a run only reads the schema: the schema-only provider answers it, with the root's types.",
    "# Every other process is the provider itself.",
    `if [ -n "$${SCHEMA_ONLY_ENV}" ] && mkdir "$${SCHEMA_ONLY_ENV}/started-$PPID" 2>/dev/null; then`,
    `  exec ${q(process.execPath)} ${q(script)} ${q(answer)} ${protocol}`,
    "fi",
    `exec ${q(binary)} "$@"`,
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

/**
 * The provider's answer to the schema call, as terraform gets it: the
 * binary started with go-plugin's handshake (no client certificate asked
 * for, so without TLS), called once over its socket, then shut down.
 */
export async function captureSchemaAnswer(binary: string, env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<{ protocol: string; answer: Buffer }> {
  const { PLUGIN_CLIENT_CERT: _cert, ...rest } = env;
  const child = spawn(binary, [], {
    env: { ...rest, [PLUGIN_MAGIC_COOKIE.key]: PLUGIN_MAGIC_COOKIE.value, PLUGIN_PROTOCOL_VERSIONS: "5,6", PLUGIN_MIN_PORT: "10000", PLUGIN_MAX_PORT: "25000" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr = (stderr + d).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  let session: http2.ClientHttp2Session | undefined;
  try {
    const line = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (d) => {
        out += d;
        if (out.includes("\n")) resolve(out.slice(0, out.indexOf("\n")).trim());
      });
      child.once("exit", (code) => reject(new Error(`${path.basename(binary)} exited (${code}) before its handshake: ${stderr.trim()}`)));
    });
    const [core, protocol, network, address] = line.split("|");
    if (core !== "1" || !SCHEMA_CALL[protocol] || (network !== "unix" && network !== "tcp")) throw new Error(`${path.basename(binary)}: unexpected handshake "${line}"`);
    session = http2.connect("http://localhost", {
      createConnection: () => (network === "unix" ? net.connect(address) : net.connect(Number(address.split(":").pop()), address.slice(0, address.lastIndexOf(":")))),
    });
    const answer = await unaryCall(session, SCHEMA_CALL[protocol]);
    await unaryCall(session, "/plugin.GRPCController/Shutdown").catch(() => undefined);
    return { protocol, answer };
  } finally {
    session?.close();
    const killer = setTimeout(() => child.kill("SIGKILL"), 2000);
    if (child.exitCode === null && child.signalCode === null) await exited;
    clearTimeout(killer);
    clearTimeout(timer);
  }
}

/** One gRPC call with an empty request; the response's one message. */
function unaryCall(session: http2.ClientHttp2Session, call: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const req = session.request({ ":method": "POST", ":path": call, "content-type": "application/grpc", te: "trailers" });
    const chunks: Buffer[] = [];
    let status: string | undefined;
    let message = "";
    const note = (h: http2.IncomingHttpHeaders) => {
      if (h["grpc-status"] !== undefined) status = String(h["grpc-status"]);
      if (h["grpc-message"] !== undefined) message = decodeURIComponent(String(h["grpc-message"]));
    };
    req.on("response", note);
    req.on("trailers", note);
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("error", reject);
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      if (status !== "0") return reject(new Error(`${call}: gRPC status ${status ?? "missing"} ${message}`.trim()));
      if (body.length < 5 || body[0] !== 0 || body.readUInt32BE(1) !== body.length - 5) return reject(new Error(`${call}: not one uncompressed message (${body.length} bytes)`));
      resolve(body.subarray(5));
    });
    req.end(grpcFrame(new Uint8Array()));
  });
}
