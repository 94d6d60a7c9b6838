/**
 * The schema-only provider: it cuts the provider's schema answer to a
 * root's types and leaves the rest byte for byte, makes certificates Go
 * accepts, and speaks go-plugin's protocol as terraform's client does
 * (handshake line, gRPC over mutually authenticated TLS, Shutdown), while
 * refusing every call but the schema's.
 */
import { spawn } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as http2 from "http2";
import * as path from "path";
import * as tls from "tls";
import { protoFields } from "../../../tools/review/protobuf";
import { grpcFrame, pruneSchemaAnswer, selfSignedCertificate } from "../../../tools/review/schema-only-provider";
import { tempDir } from "../../helpers/synth";

const ROOT = path.resolve(__dirname, "..", "..", "..");

/** protobuf: a length-delimited field. */
function field(n: number, body: Buffer): Buffer {
  const varint = (v: number) => {
    const out: number[] = [];
    while (v >= 0x80) {
      out.push((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    out.push(v);
    return Buffer.from(out);
  };
  return Buffer.concat([varint(n * 8 + 2), varint(body.length), body]);
}
const entry = (n: number, name: string, schema: string) => field(n, Buffer.concat([field(1, Buffer.from(name)), field(2, Buffer.from(schema))]));

/** A GetProviderSchema answer: provider block, three resources, two data sources, an ephemeral resource, a list resource, capabilities, a function. */
const answer = Buffer.concat([
  field(1, Buffer.from("provider-schema")),
  entry(2, "aws_sqs_queue", "queue"),
  entry(2, "aws_s3_bucket", "x".repeat(300)),
  entry(2, "aws_vpc", "vpc"),
  entry(3, "aws_region", "region"),
  entry(3, "aws_ami", "ami"),
  entry(8, "aws_secretsmanager_secret_version", "eph"),
  entry(9, "aws_instance", "list"),
  field(6, Buffer.from([8, 1])),
  entry(7, "arn_parse", "function"),
]);

const names = (bytes: Uint8Array) =>
  [...protoFields(bytes)].map((f) => {
    const first = f.value instanceof Uint8Array && f.field !== 1 && f.field !== 6 ? protoFields(f.value).next().value : undefined;
    return `${f.field}:${first?.value instanceof Uint8Array ? Buffer.from(first.value).toString() : "-"}`;
  });

describe("the schema answer, cut to a root's types", () => {
  test("keeps the named resources, data sources and ephemeral resources, drops the other types, and leaves every other field as it was", () => {
    const pruned = pruneSchemaAnswer(answer, { resources: ["aws_sqs_queue", "aws_vpc"], dataSources: ["aws_region"], ephemeralResources: [] });
    expect(names(pruned)).toEqual(["1:-", "2:aws_sqs_queue", "2:aws_vpc", "3:aws_region", "6:-", "7:arn_parse"]);
    // byte for byte: the kept fields are the answer's own, in its order
    const kept = [...protoFields(answer)].filter((f) => names(Buffer.from(f.raw)).some((n) => names(pruned).includes(n)));
    expect(Buffer.from(pruned)).toEqual(Buffer.concat(kept.map((f) => f.raw)));
  });

  test("a type map entry without its name first is an error, not a guess", () => {
    const bad = field(2, field(2, Buffer.from("schema")));
    expect(() => pruneSchemaAnswer(bad, { resources: [], dataSources: [], ephemeralResources: [] })).toThrow("a map entry of field 2 has no name first");
  });
});

test("certificates are valid DER for localhost, as Go's verifier wants them (subjectAltName, a positive serial), every time", () => {
  for (let i = 0; i < 64; i++) {
    const c = selfSignedCertificate();
    const x = new crypto.X509Certificate(c.der);
    expect(x.subjectAltName).toBe("DNS:localhost");
    expect(x.verify(x.publicKey)).toBe(true);
    expect(x.checkPrivateKey(crypto.createPrivateKey(c.key))).toBe(true);
    expect(new Date(x.validFrom).getTime()).toBeLessThan(Date.now());
    expect(new Date(x.validTo).getTime()).toBeGreaterThan(Date.now() + 3_600_000);
    expect(x.serialNumber).toMatch(/^[4-7][0-9A-F]{31}$/);
  }
});

describe("go-plugin's protocol, as terraform's client speaks it", () => {
  const client = selfSignedCertificate();
  let server: ReturnType<typeof spawn>;
  let session: http2.ClientHttp2Session;
  let exited: Promise<number | null>;

  beforeAll(async () => {
    const dir = tempDir("schema-only");
    fs.writeFileSync(path.join(dir, "answer.bin"), answer);
    fs.writeFileSync(path.join(dir, "types.json"), JSON.stringify({ resources: ["aws_vpc"], dataSources: [], ephemeralResources: [] }));
    server = spawn(process.execPath, ["tools/run-app.js", "tools/review/schema-only-provider.ts", path.join(dir, "answer.bin"), "5"], {
      cwd: ROOT,
      env: { ...process.env, AWS_COURSE_SCHEMA_ONLY: dir, PLUGIN_CLIENT_CERT: client.pem },
      stdio: ["ignore", "pipe", "pipe"],
    });
    exited = new Promise((resolve) => server.on("exit", (code) => resolve(code)));
    const line = await new Promise<string>((resolve) => {
      let out = "";
      server.stdout!.on("data", (d) => (out += d) && out.includes("\n") && resolve(out.trim()));
    });
    const [core, protocol, network, socket, kind, der] = line.split("|");
    expect([core, protocol, network, kind]).toEqual(["1", "5", "unix", "grpc"]);
    // The client trusts only the certificate from the handshake, and shows its own.
    const serverCert = new crypto.X509Certificate(Buffer.from(der, "base64")).toString();
    session = http2.connect("https://localhost", {
      createConnection: () => tls.connect({ path: socket, ca: serverCert, cert: client.pem, key: client.key, servername: "localhost", ALPNProtocols: ["h2"] }),
    });
  }, 60_000);

  afterAll(() => {
    session?.destroy();
    if (server?.exitCode === null) server.kill("SIGTERM");
  });

  const call = (rpc: string) =>
    new Promise<{ status: string; body: Buffer }>((resolve, reject) => {
      const req = session.request({ ":method": "POST", ":path": rpc, "content-type": "application/grpc", te: "trailers" });
      const chunks: Buffer[] = [];
      let status = "";
      req.on("response", (h) => (status = String(h["grpc-status"] ?? status)));
      req.on("trailers", (h) => (status = String(h["grpc-status"] ?? status)));
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("error", reject);
      req.on("end", () => resolve({ status, body: Buffer.concat(chunks) }));
      req.end(grpcFrame(new Uint8Array()));
    });

  test("GetSchema is answered with the root's types only", async () => {
    const { status, body } = await call("/tfplugin5.Provider/GetSchema");
    expect(status).toBe("0");
    expect(body.readUInt32BE(1)).toBe(body.length - 5);
    expect(names(body.subarray(5))).toEqual(["1:-", "2:aws_vpc", "6:-", "7:arn_parse"]);
  });

  test("any other provider call is refused (UNIMPLEMENTED), so terraform fails rather than planning without the provider", async () => {
    expect((await call("/tfplugin5.Provider/PlanResourceChange")).status).toBe("12");
    expect((await call("/tfplugin5.Provider/ConfigureProvider")).status).toBe("12");
  });

  test("Shutdown ends the process", async () => {
    expect((await call("/plugin.GRPCController/Shutdown")).status).toBe("0");
    expect(await exited).toBe(0);
  });
});

test("a client without terraform's certificate is turned away", async () => {
  const dir = tempDir("schema-only-stranger");
  fs.writeFileSync(path.join(dir, "answer.bin"), answer);
  fs.writeFileSync(path.join(dir, "types.json"), JSON.stringify({ resources: [], dataSources: [], ephemeralResources: [] }));
  const server = spawn(process.execPath, ["tools/run-app.js", "tools/review/schema-only-provider.ts", path.join(dir, "answer.bin"), "5"], {
    cwd: ROOT,
    env: { ...process.env, AWS_COURSE_SCHEMA_ONLY: dir, PLUGIN_CLIENT_CERT: selfSignedCertificate().pem },
    stdio: ["ignore", "pipe", "ignore"],
  });
  try {
    const line = await new Promise<string>((resolve) => {
      let out = "";
      server.stdout!.on("data", (d) => (out += d) && out.includes("\n") && resolve(out.trim()));
    });
    const [, , , socket, , der] = line.split("|");
    const stranger = selfSignedCertificate();
    const ca = new crypto.X509Certificate(Buffer.from(der, "base64")).toString();
    const outcome = await new Promise<string>((resolve) => {
      const s = tls.connect({ path: socket, ca, cert: stranger.pem, key: stranger.key, servername: "localhost", ALPNProtocols: ["h2"] });
      s.on("error", (e) => resolve(`refused: ${(e as NodeJS.ErrnoException).code ?? e.message}`));
      s.on("secureConnect", () => s.once("data", () => resolve("data")).once("close", () => resolve("refused: closed")));
    });
    expect(outcome).toMatch(/^refused/);
  } finally {
    server.kill("SIGTERM"); // it removes its socket's folder
  }
}, 60_000);
