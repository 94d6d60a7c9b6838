/**
 * AWS Signature Version 4 (header auth, AWS4-HMAC-SHA256) with node:crypto,
 * as `@smithy/signature-v4` (the AWS SDK v3's signer) computes it with its
 * defaults: canonical path normalized and URI-escaped again, query sorted
 * by encoded key (repeated keys by value), every header signed except the
 * hop-by-hop / user-agent ones the SDK never signs, `x-amz-content-sha256`
 * added. __tests__/lambdas/lib/aws/sigv4.test.ts checks equal signatures on
 * JSON and form POSTs, with a session token and with a query string.
 *
 * Written here rather than taken from `aws4` (mhart/aws4): that package is
 * 8 KB minified (S3, CodeCommit, presigned URLs, an LRU), which alone would
 * push every Lambda bundle past its 20 KB budget; this is under 1.5 KB.
 */
import { createHash, createHmac } from "crypto";
import type { Credentials } from "./credentials";

export interface SignableRequest {
  readonly method: string;
  /** `host[:port]`, as sent in the Host header. */
  readonly host: string;
  /** Path as sent (already percent-encoded once). */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | readonly string[]>>;
  /** Header names in any case; `host` is added from `host`. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Never signed (the SDK's ALWAYS_UNSIGNABLE_HEADERS, and proxy-* / sec-*): proxies and agents change them. */
const UNSIGNABLE = /^(authorization|cache-control|connection|expect|from|keep-alive|max-forwards|pragma|referer|te|trailer|transfer-encoding|upgrade|user-agent|x-amzn-trace-id|proxy-.*|sec-.*)$/;

/** RFC 3986 escaping, as SigV4 canonicalizes (the SDK's `escapeUri`). */
export function escapeUri(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const sha256Hex = (data: string) => createHash("sha256").update(data, "utf8").digest("hex");
const hmac = (key: string | Buffer, data: string) => createHmac("sha256", key).update(data, "utf8").digest();

let keyCache: { id: string; key: Buffer } | undefined;

/** The day's signing key (cached: one container signs for one secret, region and service). */
function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const id = `${secret}\n${date}\n${region}\n${service}`;
  if (keyCache?.id !== id) keyCache = { id, key: hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), "aws4_request") };
  return keyCache.key;
}

function canonicalPath(path: string): string {
  const segments: string[] = [];
  for (const s of path.split("/")) {
    if (s === "" || s === ".") continue;
    if (s === "..") segments.pop();
    else segments.push(s);
  }
  const normalized = `${path.startsWith("/") ? "/" : ""}${segments.join("/")}${segments.length > 0 && path.endsWith("/") ? "/" : ""}`;
  return escapeUri(normalized).replace(/%2F/g, "/");
}

function canonicalQuery(query: SignableRequest["query"] = {}): string {
  const pairs: [string, string][] = [];
  for (const [key, value] of Object.entries(query)) {
    if (key.toLowerCase() === "x-amz-signature") continue;
    const k = escapeUri(key);
    const values = typeof value === "string" ? [value] : [...value];
    const joined = values.map((v) => `${k}=${escapeUri(v)}`).sort().join("&");
    if (joined) pairs.push([k, joined]);
  }
  return pairs
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, p]) => p)
    .join("&");
}

/**
 * The headers to send: `headers` plus `host`, `x-amz-date`, `x-amz-content-sha256`,
 * `x-amz-security-token` (temporary credentials) and `authorization`.
 */
export function signRequest(req: SignableRequest, credentials: Credentials, region: string, service: string, now: Date = new Date()): Record<string, string> {
  const amzDate = now.toISOString().replace(/\.\d{3}Z$/, "Z").replace(/[-:]/g, "");
  const date = amzDate.slice(0, 8);
  const payloadHash = sha256Hex(req.body);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = v;
  headers.host = req.host;
  headers["x-amz-date"] = amzDate;
  headers["x-amz-content-sha256"] ??= payloadHash;
  if (credentials.sessionToken) headers["x-amz-security-token"] = credentials.sessionToken;
  delete headers.authorization;

  const signed = Object.keys(headers)
    .filter((h) => !UNSIGNABLE.test(h))
    .sort();
  const canonicalHeaders = signed.map((h) => `${h}:${headers[h].replace(/[\r\n]/g, " ").replace(/[ \t]+/g, " ").replace(/^ | $/g, "")}\n`).join("");
  const signedHeaders = signed.join(";");
  const canonicalRequest = [req.method, canonicalPath(req.path), canonicalQuery(req.query), canonicalHeaders, signedHeaders, headers["x-amz-content-sha256"]].join("\n");
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${sha256Hex(canonicalRequest)}`;
  const signature = createHmac("sha256", signingKey(credentials.secretAccessKey, date, region, service)).update(stringToSign, "utf8").digest("hex");
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return headers;
}
