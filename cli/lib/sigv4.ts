/**
 * SigV4 signing of API Gateway requests (`execute-api`), for routes with
 * `AWS_IAM` authorization (the haiku API's admin route). The signing is
 * @smithy/signature-v4 (what the AWS SDK itself uses), SHA-256 from Node's
 * crypto, credentials from the SDK's default provider chain (environment,
 * profile / SSO, container, instance metadata) unless given.
 */
import { createHash, createHmac, Hash as NodeHash, Hmac } from "crypto";
import { SignatureV4 } from "@smithy/signature-v4";

type SourceData = string | ArrayBuffer | ArrayBufferView;
/** Static credentials or a provider, as @smithy/signature-v4 takes them. */
export type Credentials = ConstructorParameters<typeof SignatureV4>[0]["credentials"];

/** SHA-256 / HMAC-SHA256 in the shape @smithy/signature-v4 expects (Node's crypto, no extra package). */
export class NodeSha256 {
  private hash: NodeHash | Hmac;
  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }
  private fresh(): NodeHash | Hmac {
    return this.secret === undefined ? createHash("sha256") : createHmac("sha256", toBuffer(this.secret));
  }
  update(data: Uint8Array): void {
    this.hash.update(toBuffer(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.fresh();
  }
}

function toBuffer(data: SourceData): Buffer {
  if (typeof data === "string") return Buffer.from(data, "utf8");
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data as ArrayBuffer);
}

/** `<id>.execute-api.<region>.amazonaws.com[.cn]` -> region; otherwise AWS_REGION, AWS_DEFAULT_REGION or us-east-1. */
export function regionOfEndpoint(url: URL, env: NodeJS.ProcessEnv = process.env): string {
  const m = /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/.exec(url.hostname);
  return m?.[1] ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "us-east-1";
}

/** The SDK's default chain, loaded only when a signed request is made. */
function defaultCredentials(): Credentials {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { defaultProvider } = require("@aws-sdk/credential-provider-node") as typeof import("@aws-sdk/credential-provider-node");
  return defaultProvider();
}

export interface SignOptions {
  /** @default the SDK's default provider chain */
  readonly credentials?: Credentials;
  /** @default from the endpoint host, else AWS_REGION */
  readonly region?: string;
  /** @default now */
  readonly signingDate?: Date;
}

/** Headers (Authorization, X-Amz-Date, X-Amz-Security-Token if any, host) that make `method url` a SigV4-signed execute-api request. */
export async function signExecuteApi(method: string, url: URL, body: string | undefined, options: SignOptions = {}): Promise<Record<string, string>> {
  const signer = new SignatureV4({
    service: "execute-api",
    region: options.region ?? regionOfEndpoint(url),
    credentials: options.credentials ?? defaultCredentials(),
    sha256: NodeSha256,
  });
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of url.searchParams) {
    const prev = query[k];
    query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  const headers: Record<string, string> = { host: url.host };
  if (body !== undefined) headers["content-type"] = "application/json";
  const signed = await signer.sign(
    { method, protocol: url.protocol, hostname: url.hostname, port: url.port ? Number(url.port) : undefined, path: url.pathname, query, headers, body },
    { signingDate: options.signingDate },
  );
  return signed.headers as Record<string, string>;
}
