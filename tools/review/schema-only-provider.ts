/**
 * The first provider process of a terraform run, in a review or plan root
 * (provider-launchers.ts starts it): terraform starts one only to read the
 * provider's schema, then closes it and starts others for its walks. The
 * AWS provider's schema has ~1,500 resource and data source types in
 * 4.9 MB; terraform decodes and checks all of them on every run (~1.3 s of
 * its CPU, plus ~0.7 s for the provider to start and build them), for the
 * few dozen types a root uses.
 *
 * This process answers that one call from the provider's own answer,
 * captured once per install, with only the types the root uses (the rest of
 * the answer byte for byte: the provider's settings, functions, server
 * capabilities). Every other call is refused loudly (gRPC UNIMPLEMENTED,
 * which fails the terraform run): the walks' processes are the real
 * provider. It speaks go-plugin's protocol: the handshake line on stdout,
 * gRPC over HTTP/2 with mutual TLS on a unix socket, and the controller's
 * Shutdown.
 *
 * `node schema-only-provider.js <answer file> <protocol 5|6>`, with
 * AWS_COURSE_SCHEMA_ONLY naming the folder whose `types.json` lists the
 * root's types (provider-launchers.ts writes both).
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as http2 from "http2";
import * as os from "os";
import * as path from "path";
import { protoFields } from "./protobuf";

/** go-plugin's handshake settings for terraform's providers. */
export const PLUGIN_MAGIC_COOKIE = { key: "TF_PLUGIN_MAGIC_COOKIE", value: "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2" };

/** The schema call of each plugin protocol (tfplugin5.proto, tfplugin6.proto). */
export const SCHEMA_CALL: Readonly<Record<string, string>> = { "5": "/tfplugin5.Provider/GetSchema", "6": "/tfplugin6.Provider/GetProviderSchema" };

/** The types a root uses, by kind. */
export interface SchemaTypes {
  readonly resources: readonly string[];
  readonly dataSources: readonly string[];
  readonly ephemeralResources: readonly string[];
}

/**
 * GetProviderSchema.Response fields that are maps from a type name to its
 * schema (the same numbers in protocols 5 and 6): 2 resources, 3 data
 * sources, 8 ephemeral resources, 9 list resources (none of them in a
 * root's configuration or state before terraform 1.14).
 */
const TYPE_MAPS: Readonly<Record<number, keyof SchemaTypes | "none">> = { 2: "resources", 3: "dataSources", 8: "ephemeralResources", 9: "none" };

/** The provider's schema answer with only `types` left in its type maps; every other field as it was. */
export function pruneSchemaAnswer(answer: Uint8Array, types: SchemaTypes): Uint8Array {
  const keep = new Map(Object.entries(TYPE_MAPS).map(([field, kind]) => [Number(field), new Set(kind === "none" ? [] : types[kind])]));
  const kept: Uint8Array[] = [];
  for (const f of protoFields(answer)) {
    const names = keep.get(f.field);
    if (names) {
      if (!(f.value instanceof Uint8Array)) throw new Error(`schema answer: field ${f.field} is not a map entry`);
      const key = protoFields(f.value).next().value;
      if (!key || key.field !== 1 || !(key.value instanceof Uint8Array)) throw new Error(`schema answer: a map entry of field ${f.field} has no name first`);
      if (!names.has(Buffer.from(key.value).toString("utf8"))) continue;
    }
    kept.push(f.raw);
  }
  return Buffer.concat(kept);
}

/** A gRPC message as it goes on the wire: uncompressed, its length before it. */
export function grpcFrame(message: Uint8Array): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt32BE(message.length, 1);
  return Buffer.concat([head, message]);
}

/**
 * A self-signed certificate for `localhost` (ECDSA P-256, one day), which
 * go-plugin's client takes from the handshake line as the only root it
 * trusts. Node makes keys but not certificates, so it is written in DER
 * here: the fields X.509 requires, and the name as a subjectAltName (Go
 * ignores the common name).
 */
export function selfSignedCertificate(now = new Date()): { der: Buffer; pem: string; key: string } {
  const { publicKey, privateKey } = crypto.generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const ecdsaWithSha256 = seq(oid("1.2.840.10045.4.3.2"));
  const name = seq(tlv(0x31, seq(oid("2.5.4.3"), tlv(0x0c, Buffer.from("localhost")))));
  const altNames = seq(oid("2.5.29.17"), tlv(0x04, seq(tlv(0x82, Buffer.from("localhost")))));
  const tbs = seq(
    tlv(0xa0, tlv(0x02, Buffer.from([2]))), // v3
    tlv(0x02, serial()),
    ecdsaWithSha256,
    name,
    seq(utcTime(new Date(now.getTime() - 60_000)), utcTime(new Date(now.getTime() + 86_400_000))),
    name,
    publicKey.export({ type: "spki", format: "der" }),
    tlv(0xa3, seq(altNames)),
  );
  const der = seq(tbs, ecdsaWithSha256, tlv(0x03, Buffer.from([0]), crypto.sign("sha256", tbs, privateKey)));
  const pem = `-----BEGIN CERTIFICATE-----\n${der.toString("base64").match(/.{1,64}/g)!.join("\n")}\n-----END CERTIFICATE-----\n`;
  return { der, pem, key: privateKey.export({ type: "pkcs8", format: "pem" }).toString() };
}

/** A random positive serial, minimally encoded as DER wants (no leading 0x00, top bit clear). */
function serial(): Buffer {
  const bytes = crypto.randomBytes(16);
  bytes[0] = (bytes[0] & 0x7f) | 0x40;
  return bytes;
}

function tlv(tag: number, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const n = body.length;
  const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return Buffer.concat([Buffer.from([tag, ...length]), body]);
}

function seq(...parts: Buffer[]): Buffer {
  return tlv(0x30, ...parts);
}

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split(".").map(Number);
  const bytes = [40 * a + b];
  for (let v of rest) {
    const base128 = [v & 0x7f];
    while ((v = Math.floor(v / 128))) base128.unshift((v & 0x7f) | 0x80);
    bytes.push(...base128);
  }
  return tlv(0x06, Buffer.from(bytes));
}

function utcTime(d: Date): Buffer {
  return tlv(0x17, Buffer.from(`${d.toISOString().replace(/[-:T]/g, "").slice(2, 14)}Z`));
}

/**
 * Serves the schema call with `message` until terraform shuts the process
 * down (or, should terraform die first, for two minutes at most). Prints
 * go-plugin's handshake line once the socket listens.
 */
export function serveSchemaOnly(message: Uint8Array, protocol: string, clientCertificate: string | undefined): void {
  const certificate = selfSignedCertificate();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "schema-only-provider-"));
  const socket = path.join(dir, "plugin.sock");
  const server = http2.createSecureServer({
    key: certificate.key,
    cert: certificate.pem,
    // Only terraform, which put its certificate in PLUGIN_CLIENT_CERT, may call.
    ...(clientCertificate ? { ca: clientCertificate, requestCert: true, rejectUnauthorized: true } : {}),
  });
  const exit = () => {
    fs.rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  };
  const answer = grpcFrame(message);
  const reply = (stream: http2.ServerHttp2Stream, body: Buffer, then?: () => void) => {
    stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
    stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
    if (then) stream.on("close", then); // once the trailers are out
    stream.end(body);
  };
  server.on("stream", (stream, headers) => {
    stream.resume();
    const call = headers[":path"];
    if (call === SCHEMA_CALL[protocol]) reply(stream, answer);
    else if (call === "/plugin.GRPCController/Shutdown") reply(stream, grpcFrame(new Uint8Array()), exit);
    // go-plugin's client opens its stdio and broker streams at once; they stay open, silent, until the process ends.
    else if (call === "/plugin.GRPCStdio/StreamStdio" || call === "/plugin.GRPCBroker/StartStream") stream.respond({ ":status": 200, "content-type": "application/grpc" });
    else {
      const message = `the schema-only provider process serves only the schema, not ${call}`;
      process.stderr.write(`${message}\n`);
      stream.respond({ ":status": 200, "content-type": "application/grpc", "grpc-status": "12", "grpc-message": encodeURIComponent(message) }, { endStream: true });
    }
  });
  setTimeout(exit, 120_000).unref();
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, exit);
  server.listen(socket, () => process.stdout.write(`1|${protocol}|unix|${socket}|grpc|${certificate.der.toString("base64").replace(/=+$/, "")}\n`));
}

function main(): void {
  const [answerFile, protocol] = process.argv.slice(2);
  const typesFile = path.join(process.env.AWS_COURSE_SCHEMA_ONLY ?? "", "types.json");
  const types = JSON.parse(fs.readFileSync(typesFile, "utf8")) as SchemaTypes;
  serveSchemaOnly(pruneSchemaAnswer(fs.readFileSync(answerFile), types), protocol, process.env.PLUGIN_CLIENT_CERT);
}

if (require.main === module) main();
