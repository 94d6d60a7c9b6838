/**
 * Each installed provider's answer to terraform's schema call, captured
 * once per install by calling the provider as terraform does (go-plugin's
 * handshake, then gRPC over its socket) and kept in the cache folder. The
 * schemas the review reads (schema.ts) are decoded from it, and the
 * schema-only provider (provider-launchers.ts) answers terraform with it,
 * cut to a root's types. One provider start for both, where
 * `terraform providers schema -json` took ~3.5 CPU-s and 13 MB of JSON.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as http2 from "http2";
import * as net from "net";
import * as path from "path";
import { onceAcrossProcesses } from "./cache-lock";
import type { ProviderInstall } from "./install";
import { PLUGIN_MAGIC_COOKIE, SCHEMA_CALL, grpcFrame } from "./schema-only-provider";

export interface ProviderAnswer {
  /** `registry.terraform.io/hashicorp/aws`. */
  readonly address: string;
  /** The binary's path under `.terraform/providers`: `<host>/<namespace>/<type>/<version>/<os_arch>/terraform-provider-...`. */
  readonly relative: string;
  /** The provider binary itself (symbolic links resolved). */
  readonly binary: string;
  /** go-plugin protocol version the provider chose: "5" or "6". */
  readonly protocol: string;
  /** File holding the GetProviderSchema.Response message. */
  readonly file: string;
}

/** The schema answers of every provider in `install`, captured on first use. */
export async function providerAnswers(install: ProviderInstall, env: NodeJS.ProcessEnv): Promise<ProviderAnswer[]> {
  const dir = path.join(install.cacheDir, `answers-${install.key}`);
  const index = path.join(dir, "answers.json");
  await onceAcrossProcesses(`${dir}.lock`, () => fs.existsSync(index), async () => {
    const tmp = `${dir}.${process.pid}.tmp`;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(tmp, { recursive: true });
    const answers: ProviderAnswer[] = [];
    for (const [i, b] of providerBinaries(path.join(install.dir, ".terraform", "providers")).entries()) {
      const { protocol, answer } = await captureSchemaAnswer(b.binary, env);
      fs.writeFileSync(path.join(tmp, `${i}.bin`), answer);
      answers.push({ ...b, protocol, file: path.join(dir, `${i}.bin`) });
    }
    fs.writeFileSync(path.join(tmp, "answers.json"), JSON.stringify(answers, null, 2));
    try {
      fs.renameSync(tmp, dir);
    } catch {
      fs.rmSync(tmp, { recursive: true, force: true }); // another process made it meanwhile
    }
  });
  return JSON.parse(fs.readFileSync(index, "utf8"));
}

function providerBinaries(providers: string): Omit<ProviderAnswer, "protocol" | "file">[] {
  const found: Omit<ProviderAnswer, "protocol" | "file">[] = [];
  const walk = (dir: string, parts: string[]) => {
    for (const entry of fs.readdirSync(dir).sort()) {
      const file = path.join(dir, entry);
      if (parts.length < 5) {
        if (fs.statSync(file).isDirectory()) walk(file, [...parts, entry]);
      } else if (entry.startsWith("terraform-provider-")) {
        found.push({ address: parts.slice(0, 3).join("/"), relative: [...parts, entry].join("/"), binary: fs.realpathSync(file) });
      }
    }
  };
  if (fs.existsSync(providers)) walk(providers, []);
  return found;
}

/**
 * The provider's answer to the schema call, as terraform gets it: the
 * binary started with go-plugin's handshake (no client certificate given,
 * so without TLS), called once over its socket, then shut down.
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
    // The provider resets the connection as it exits after Shutdown; a call still open fails on its own stream.
    session.on("error", () => undefined);
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
    req.on("close", () => reject(new Error(`${call}: the stream closed before the answer`))); // no-op once resolved
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      if (status !== "0") return reject(new Error(`${call}: gRPC status ${status ?? "missing"} ${message}`.trim()));
      if (body.length < 5 || body[0] !== 0 || body.readUInt32BE(1) !== body.length - 5) return reject(new Error(`${call}: not one uncompressed message (${body.length} bytes)`));
      resolve(body.subarray(5));
    });
    req.end(grpcFrame(new Uint8Array()));
  });
}
