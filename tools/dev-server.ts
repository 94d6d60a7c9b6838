/**
 * `npm run dev`: the Bashoutter API and site on one port, no AWS.
 *   API  http://127.0.0.1:PORT/api/haiku...   (same handlers, routed by lambdas/haiku/routes.ts)
 *   site http://127.0.0.1:PORT/               (site/dist, plus a generated /config.json)
 * Requests become API Gateway proxy events; data lives in an in-memory
 * dynalite (or in HAIKU_DATA_DIR / --data <dir> to keep it between runs).
 * Environment: PORT (default 3000), HOST (default 127.0.0.1). Builds the
 * site first (skip with --no-build). `--open-writes`: the course's behaviour
 * (DELETE without a token, no write throttle), like `stacks.bashoutter.openWrites`.
 *
 * What the gateway does on AWS and the server imitates: POST/PATCH throttled
 * with a token bucket per client address (429 JSON + Retry-After), admin
 * routes refused without a SigV4 `Authorization` header (the signature itself
 * is NOT verified here: no IAM locally), malformed percent-encoding a 400.
 * Every error body is JSON `{"description": ...}`.
 */
import * as fs from "fs";
import * as http from "http";
import * as path from "path";
import { randomUUID } from "crypto";
import type { AddressInfo } from "net";
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import type { CreateTableCommandInput } from "@aws-sdk/client-dynamodb";
import { HAIKU_ROUTES, HAIKU_TABLE, HaikuRoute, matchRoute } from "../lambdas/haiku/routes";
import { DEFAULT_WRITE_THROTTLE } from "../config/stacks/bashoutter-defaults";
import { HAIKU_ENV } from "../lambdas/haiku/environment";
import { CORS_HEADERS } from "../lambdas/haiku/http";
import { resetDefaultRepository } from "../lambdas/haiku/repository";
import { cacheControlOf, contentTypeOf } from "../modules/cdn/content-types";
import { buildSite } from "../site/build";
import { createTable, startDynalite } from "./local-dynamodb";

const ROOT = path.resolve(__dirname, "..");
export const DEFAULT_SITE_DIR = path.join(ROOT, "site", "dist");
export const LOCAL_TABLE_NAME = "bashoutter-local-haiku";
const MAX_BODY_BYTES = 1024 * 1024;

type Handler = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

/** Requests per second and bucket size, per client and method (the stack's `writeThrottle`). */
export interface ClientThrottle {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

/** The stack's defaults (`stacks.bashoutter` with nothing set: the schema's defaults are these). */
const STACK_DEFAULTS = { writeThrottle: DEFAULT_WRITE_THROTTLE };
/** The IAM caller the dev server reports for an admin request it could not verify. */
export const UNVERIFIED_ADMIN_ARN = "arn:aws:iam::000000000000:user/dev-server-unverified-sigv4";

export interface DevServerOptions {
  /** @default 0 (any free port) when called from code; PORT or 3000 from the command line */
  readonly port?: number;
  /** @default "127.0.0.1" */
  readonly host?: string;
  /** Folder for dynalite's data (kept between runs). @default in memory */
  readonly dataDir?: string;
  /** Built site to serve at `/`. @default site/dist */
  readonly siteDir?: string;
  /** The course's behaviour: DELETE without a token, no write throttle. @default false */
  readonly openWrites?: boolean;
  /**
   * Token bucket per client address for POST and PATCH (429 beyond it); `false` for none
   * (load tests). Not applied with `openWrites`.
   * @default the stack's `writeThrottle` default (10 req/s, burst 20)
   */
  readonly writeThrottle?: ClientThrottle | false;
}

export interface DevServer {
  /** `http://host:port` */
  readonly url: string;
  /** `http://host:port/api` - what the GUI and the CLI take as the endpoint. */
  readonly apiUrl: string;
  /** The dynalite endpoint (for tests and the benchmark). */
  readonly dynamoEndpoint: string;
  readonly tableName: string;
  close(): Promise<void>;
}

/** Starts dynalite, creates the table (as the stack does), and serves API + site. */
export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const host = options.host ?? "127.0.0.1";
  const siteDir = options.siteDir ?? DEFAULT_SITE_DIR;
  const openWrites = options.openWrites ?? false;
  const writeThrottle = openWrites ? false : (options.writeThrottle ?? STACK_DEFAULTS.writeThrottle);

  const dynamo = await startDynalite({ path: options.dataDir });
  const dynamoEndpoint = dynamo.endpoint;

  // The handlers read the same variables as in Lambda; only the endpoint differs.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  Object.assign(process.env, {
    [HAIKU_ENV.tableName]: LOCAL_TABLE_NAME,
    AWS_REGION: process.env.AWS_REGION ?? "ap-northeast-1",
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
    AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
    [HAIKU_ENV.openWrites]: String(openWrites),
  });
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  resetDefaultRepository();
  await createTable(dynamo.client, haikuTable(LOCAL_TABLE_NAME));

  const handlers = new Map<string, Handler>();
  for (const route of HAIKU_ROUTES) handlers.set(route.id, loadHandler(route));

  const buckets = writeThrottle ? new TokenBuckets(writeThrottle) : undefined;
  const server = http.createServer((req, res) => {
    handle(req, res, handlers, siteDir, buckets).catch((err) => {
      console.error(err);
      if (!res.headersSent) send(res, apiError(500, "Internal server error"));
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, resolve));
  const url = `http://${host}:${(server.address() as AddressInfo).port}`;

  return {
    url,
    apiUrl: `${url}/api`,
    dynamoEndpoint,
    tableName: LOCAL_TABLE_NAME,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      resetDefaultRepository();
      await dynamo.stop();
    },
  };
}

/**
 * The route's Lambda entry module (lambdas/<entry>/index.ts), exactly what is deployed. A template
 * literal, not a computed path: tools/run-app.js's esbuild bundles every `lambdas/<name>/index.ts`
 * it matches (one copy of lambdas/haiku/* shared with this file, as under tsx and jest).
 */
function loadHandler(route: HaikuRoute): Handler {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(`../lambdas/${route.entry}/index.ts`) as { handler?: Handler };
  if (typeof mod.handler !== "function") throw new Error(`lambdas/${route.entry}/index.ts exports no handler`);
  return mod.handler;
}

/** The table the stack creates: partition key item_id, nothing else (GET scans it). */
export function haikuTable(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [{ AttributeName: HAIKU_TABLE.partitionKey, AttributeType: "S" }],
    KeySchema: [{ AttributeName: HAIKU_TABLE.partitionKey, KeyType: "HASH" }],
  };
}

/**
 * Per-client token buckets, one per (client address, route): what API Gateway's method
 * throttling does for all clients together, here per client so it can be tested.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(
    readonly limits: ClientThrottle,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Takes one token; returns 0 when allowed, else the seconds until the next token. */
  take(key: string): number {
    const t = this.now();
    const b = this.buckets.get(key) ?? { tokens: this.limits.burstLimit, at: t };
    b.tokens = Math.min(this.limits.burstLimit, b.tokens + ((t - b.at) / 1000) * this.limits.rateLimit);
    b.at = t;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / this.limits.rateLimit));
  }
}

async function handle(req: http.IncomingMessage, res: http.ServerResponse, handlers: Map<string, Handler>, siteDir: string, buckets?: TokenBuckets): Promise<void> {
  const method = (req.method ?? "GET").toUpperCase();
  const target = req.url ?? "/";
  // Origin-form only ("/path?query"); "//host/x" must not be read as another host.
  if (!target.startsWith("/")) {
    send(res, apiError(400, `request target (${JSON.stringify(target.slice(0, 100))}) must be a path starting with /`));
    return;
  }
  const url = new URL(`http://localhost${target}`);
  const bad = malformedSegment(url.pathname);
  if (bad !== undefined) {
    send(res, apiError(400, `path segment ${JSON.stringify(bad)} has malformed percent-encoding (each % must start a valid UTF-8 %XX sequence)`));
    return;
  }
  if (url.pathname === "/api" || url.pathname.startsWith("/api/")) {
    const body = await readBody(req);
    send(res, body === undefined ? apiError(413, "body must be at most 1 MiB") : await api(method, url, req, body, handlers, buckets));
    return;
  }
  serveStatic(method, url.pathname, req, res, siteDir);
}

/** The first path segment decodeURIComponent refuses (e.g. "%", "%E0%A4%A"), or undefined. */
export function malformedSegment(pathname: string): string | undefined {
  for (const segment of pathname.split("/")) {
    try {
      decodeURIComponent(segment);
    } catch {
      return segment;
    }
  }
  return undefined;
}

function apiError(status: number, description: string, extra: Record<string, string> = {}): APIGatewayProxyResult {
  return { statusCode: status, headers: { ...CORS_HEADERS, "Content-Type": "application/json", ...extra }, body: JSON.stringify({ description }) };
}

/** `AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>/execute-api/aws4_request, SignedHeaders=..., Signature=...` */
const SIGV4 = /^AWS4-HMAC-SHA256 Credential=([A-Za-z0-9]{1,128})\/\d{8}\/[a-z0-9-]+\/execute-api\/aws4_request, ?SignedHeaders=[a-z0-9;-]+, ?Signature=[0-9a-f]{64}$/;

async function api(method: string, url: URL, req: http.IncomingMessage, body: string, handlers: Map<string, Handler>, buckets?: TokenBuckets): Promise<APIGatewayProxyResult> {
  const apiPath = url.pathname.slice("/api".length) || "/";
  const match = matchRoute(method === "OPTIONS" ? "GET" : method, apiPath);
  // CORS preflight: API Gateway answers it with a mock integration on each resource.
  if (method === "OPTIONS") {
    return match ? { statusCode: 204, headers: { ...CORS_HEADERS }, body: "" } : apiError(404, `no resource ${apiPath}`);
  }
  if (!match) return apiError(404, `no route ${method} ${apiPath}`);
  if ("methodNotAllowed" in match) return apiError(405, `${method} is not allowed on ${apiPath}; allowed: ${match.methodNotAllowed.join(", ")}`, { Allow: match.methodNotAllowed.join(", ") });
  const sourceIp = req.socket.remoteAddress ?? "127.0.0.1";
  let identity: Partial<APIGatewayProxyEvent["requestContext"]["identity"]> = { sourceIp };
  if (match.route.authorization === "AWS_IAM") {
    // API Gateway would verify the signature and the caller's execute-api:Invoke permission.
    // Locally there is no IAM: only the header's shape is checked (docs/bashoutter.md).
    const credential = SIGV4.exec(String(req.headers.authorization ?? ""));
    if (!credential) return apiError(403, "Missing Authentication Token: admin routes need a request signed with SigV4 (service execute-api)");
    identity = { ...identity, accessKey: credential[1], userArn: UNVERIFIED_ADMIN_ARN, caller: credential[1] };
  }
  if (buckets && match.route.writeThrottled) {
    const wait = buckets.take(`${sourceIp} ${match.route.id}`);
    if (wait > 0) {
      return apiError(429, `Too many requests: at most ${buckets.limits.rateLimit} ${match.route.method} per second (burst ${buckets.limits.burstLimit}) per client; retry after ${wait} s`, {
        "Retry-After": String(wait),
      });
    }
  }
  const event = toProxyEvent(method, apiPath, url, req, body, match.route, match.pathParameters, identity);
  const handler = handlers.get(match.route.id)!;
  return handler(event);
}

/** An API Gateway REST (v1) proxy event, as the AWS_PROXY integration sends it. */
export function toProxyEvent(
  method: string,
  apiPath: string,
  url: URL,
  req: Pick<http.IncomingMessage, "headers">,
  body: string,
  route: HaikuRoute,
  pathParameters: Record<string, string>,
  identity: Partial<APIGatewayProxyEvent["requestContext"]["identity"]> = { sourceIp: "127.0.0.1" },
): APIGatewayProxyEvent {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    const values = Array.isArray(v) ? v : [v];
    headers[k] = values[values.length - 1];
    multiValueHeaders[k] = values;
  }
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [k, v] of url.searchParams) {
    query[k] = v;
    (multiQuery[k] ??= []).push(v);
  }
  const hasQuery = Object.keys(query).length > 0;
  return {
    resource: route.path,
    path: apiPath,
    httpMethod: method,
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? query : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    pathParameters: Object.keys(pathParameters).length ? pathParameters : null,
    stageVariables: null,
    body: body === "" ? null : body,
    isBase64Encoded: false,
    requestContext: {
      accountId: "000000000000",
      apiId: "local",
      authorizer: undefined,
      protocol: "HTTP/1.1",
      httpMethod: method,
      identity: { sourceIp: "127.0.0.1", ...identity } as APIGatewayProxyEvent["requestContext"]["identity"],
      path: `/prod${apiPath}`,
      stage: "prod",
      requestId: randomUUID(),
      requestTimeEpoch: Date.now(),
      resourceId: "local",
      resourcePath: route.path,
    },
  };
}

function readBody(req: http.IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) tooBig = true;
      else chunks.push(c);
    });
    req.on("end", () => resolve(tooBig ? undefined : Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res: http.ServerResponse, result: APIGatewayProxyResult): void {
  const headers: Record<string, string | number | boolean> = { ...(result.headers ?? {}) };
  res.writeHead(result.statusCode, headers as http.OutgoingHttpHeaders);
  res.end(result.body ?? "");
}

/** A site error: JSON like the API's, without the API's CORS headers. */
function jsonError(status: number, description: string, extra: Record<string, string> = {}): APIGatewayProxyResult {
  return { statusCode: status, headers: { "Content-Type": "application/json", ...extra }, body: JSON.stringify({ description }) };
}

function serveStatic(method: string, pathname: string, req: http.IncomingMessage, res: http.ServerResponse, siteDir: string): void {
  if (method !== "GET" && method !== "HEAD") {
    send(res, jsonError(405, `${method} is not allowed on the site; allowed: GET, HEAD`, { Allow: "GET, HEAD" }));
    return;
  }
  if (pathname === "/config.json") {
    // What the stack generates from the API URL; here the API is on the same origin.
    const host = req.headers.host ?? "127.0.0.1";
    const body = JSON.stringify({ apiUrl: `http://${host}/api` });
    res.writeHead(200, { "Content-Type": contentTypeOf("config.json"), "Cache-Control": cacheControlOf("config.json") });
    res.end(method === "HEAD" ? "" : body);
    return;
  }
  const rel = pathname === "/" ? "index.html" : decodeURIComponent(pathname).replace(/^\/+/, "");
  const file = path.resolve(siteDir, rel);
  if (!file.startsWith(path.resolve(siteDir) + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    const hint = fs.existsSync(siteDir) ? "" : " (site not built: npm run build:site)";
    send(res, jsonError(404, `not found: ${pathname}${hint}`));
    return;
  }
  res.writeHead(200, { "Content-Type": contentTypeOf(file), "Cache-Control": cacheControlOf(path.basename(file)) });
  res.end(method === "HEAD" ? "" : fs.readFileSync(file));
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const dataFlag = args.indexOf("--data");
  const dataDir = dataFlag >= 0 ? args[dataFlag + 1] : process.env.HAIKU_DATA_DIR;
  if (dataDir) fs.mkdirSync(dataDir, { recursive: true });
  const portRaw = process.env.PORT ?? "3000";
  const port = Number(portRaw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT (${portRaw}) must be an integer in 0..65535`);
  if (!args.includes("--no-build")) console.log(`Built site/dist: ${buildSite().join(", ")}`);
  const openWrites = args.includes("--open-writes");
  const server = await startDevServer({ port, host: process.env.HOST ?? "127.0.0.1", dataDir, openWrites });
  console.log(`Bashoutter running at ${server.url}/  (API: ${server.apiUrl}/haiku, data: ${dataDir ?? "in memory"})`);
  console.log(`DynamoDB (dynalite) at ${server.dynamoEndpoint}, table ${server.tableName} (for other tools: --endpoint, AWS_ENDPOINT_URL_DYNAMODB)`);
  console.log(
    openWrites
      ? "Open writes (the course's behaviour): DELETE needs no token, no write throttle."
      : `Writes protected: DELETE needs the X-Delete-Token from POST (or DELETE /api/admin/haiku/{id} with a SigV4 header, signature not checked locally); POST/PATCH ${STACK_DEFAULTS.writeThrottle.rateLimit}/s per client.`,
  );
  console.log("Press Ctrl+C to stop.");
  const stop = () => {
    server.close().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
