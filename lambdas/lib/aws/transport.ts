/**
 * The transport of the small AWS client: one signed POST to one AWS
 * service, retried as the AWS SDK v3's standard mode does (retry.ts).
 *
 * - Signing: SigV4 (sigv4.ts, node:crypto), checked against
 *   `@smithy/signature-v4` in __tests__/lambdas/lib/aws/sigv4.test.ts.
 * - node:http / node:https with a keep-alive agent per client (50 sockets,
 *   as the SDK): a warm Lambda reuses its TLS connection. Not global
 *   `fetch`, which loads undici (~20 ms) on first use.
 * - Each attempt is re-signed (fresh X-Amz-Date) and bounded by `timeoutMs`
 *   (connect to last byte); a timeout is an `AwsError` named `TimeoutError`.
 * - Credentials (credentials.ts), region and endpoint (endpoint.ts) are read
 *   for every request, so tests and the dev server may change the
 *   environment after a client is made.
 *
 * Service clients (dynamodb.ts, autoscaling.ts) wrap one of these with
 * their protocol; handlers use those, never this directly (tools/iam-calls.ts
 * refuses a module that imports `AwsHttpClient` without declaring an
 * `@awsService` class, so every operation sent is one it can read).
 */
import * as http from "http";
import * as https from "https";
import { Credentials, credentialsFromEnv } from "./credentials";
import { resolveEndpoint, resolveRegion } from "./endpoint";
import { AwsError } from "./errors";
import { backoffMs, DEFAULT_MAX_ATTEMPTS, isRetryable } from "./retry";
import { signRequest } from "./sigv4";

/** Per attempt, connect to last byte. */
export const DEFAULT_TIMEOUT_MS = 5000;
/** Sockets per client and protocol (the SDK's default). */
export const MAX_SOCKETS = 50;

export interface AwsClientOptions {
  /** @default AWS_REGION */
  readonly region?: string;
  /** @default AWS_ENDPOINT_URL_<SERVICE_ID>, AWS_ENDPOINT_URL, else the regional https endpoint */
  readonly endpoint?: string;
  /** @default AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN (read per request) */
  readonly credentials?: Credentials;
  /** Attempts per call, the first included; 1 for none. @default 3 */
  readonly maxAttempts?: number;
  /** Milliseconds per attempt before it is abandoned as a `TimeoutError`. @default 5000 */
  readonly timeoutMs?: number;
  /** Waits between attempts. @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Uniform in [0, 1), for the backoff's jitter. @default Math.random */
  readonly random?: () => number;
}

/** What AWS answered on a non-2xx status, read by the service's protocol. */
export interface ParsedError {
  readonly code: string;
  readonly message: string;
  readonly requestId?: string;
}

export interface AwsService {
  /** SigV4 signing name: `dynamodb`, `autoscaling`. */
  readonly signingName: string;
  /** For `AWS_ENDPOINT_URL_<serviceId>`: `DYNAMODB`, `AUTO_SCALING`. */
  readonly serviceId: string;
  /** Host prefix of the regional endpoint. */
  readonly endpointPrefix: string;
  parseError(status: number, body: string, headers: http.IncomingHttpHeaders): ParsedError;
}

export interface AwsResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class AwsHttpClient {
  private readonly maxAttempts: number;
  private readonly timeoutMs: number;
  private httpAgent?: http.Agent;
  private httpsAgent?: https.Agent;

  constructor(
    private readonly service: AwsService,
    private readonly options: AwsClientOptions = {},
  ) {
    this.maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isInteger(this.maxAttempts) || this.maxAttempts < 1) throw new Error(`maxAttempts (${options.maxAttempts}) must be a whole number >= 1`);
    if (!(this.timeoutMs > 0)) throw new Error(`timeoutMs (${options.timeoutMs}) must be > 0`);
  }

  /** POSTs `body` to the service, signed, retried; the 2xx response, or throws the last attempt's error. */
  async post(operation: string, body: string, headers: Readonly<Record<string, string>>): Promise<AwsResponse> {
    const region = resolveRegion(this.options.region);
    const url = resolveEndpoint(this.service.serviceId, this.service.endpointPrefix, region, this.options.endpoint);
    const credentials = this.options.credentials ?? credentialsFromEnv();
    const sleep = this.options.sleep ?? realSleep;
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await this.attempt(operation, url, region, credentials, body, headers, attempt);
        if (res.status >= 200 && res.status < 300) return res;
        const parsed = this.service.parseError(res.status, res.body, res.headers);
        const requestId = parsed.requestId ?? header(res.headers, "x-amzn-requestid") ?? header(res.headers, "x-amz-request-id");
        throw new AwsError(parsed.code, parsed.message, { httpStatusCode: res.status, attempts: attempt, ...(requestId ? { requestId } : {}) });
      } catch (err) {
        if (attempt >= this.maxAttempts || !isRetryable(err)) throw err;
        await sleep(backoffMs(attempt, err, this.options.random));
      }
    }
  }

  /** Closes the kept-alive sockets (the client still works: new ones open on the next call). */
  destroy(): void {
    this.httpAgent?.destroy();
    this.httpsAgent?.destroy();
    this.httpAgent = this.httpsAgent = undefined;
  }

  private agent(protocol: string): http.Agent {
    if (protocol === "http:") return (this.httpAgent ??= new http.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS }));
    return (this.httpsAgent ??= new https.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS }));
  }

  private attempt(
    operation: string,
    url: URL,
    region: string,
    credentials: Credentials,
    body: string,
    headers: Readonly<Record<string, string>>,
    attempt: number,
  ): Promise<AwsResponse> {
    const path = url.pathname + url.search;
    const query: Record<string, string[]> = {};
    url.searchParams.forEach((v, k) => (query[k] ??= []).push(v));
    const signed = signRequest(
      { method: "POST", host: url.host, path: url.pathname, query, headers: { ...headers, "content-length": String(Buffer.byteLength(body)) }, body },
      credentials,
      region,
      this.service.signingName,
    );
    const transport = url.protocol === "http:" ? http : https;
    return new Promise<AwsResponse>((resolve, reject) => {
      const req = transport.request({
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[(.*)\]$/, "$1"),
        port: url.port || undefined,
        method: "POST",
        path,
        headers: signed,
        agent: this.agent(url.protocol),
      });
      const timer = setTimeout(() => {
        req.destroy(new AwsError("TimeoutError", `${operation}: no response from ${url.host} within ${this.timeoutMs} ms`, { attempts: attempt }));
      }, this.timeoutMs);
      req.on("error", (err) => {
        clearTimeout(timer);
        reject(err);
      });
      req.on("response", (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", (err) => {
          clearTimeout(timer);
          reject(err);
        });
        res.on("end", () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") });
        });
      });
      req.end(body);
    });
  }
}

function header(headers: http.IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}
