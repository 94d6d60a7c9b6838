/**
 * `npm run dev`: the Bashoutter API and site on one port, no AWS.
 *   API  http://127.0.0.1:PORT/api/haiku...   (same handlers, routed by lambdas/haiku/routes.ts)
 *   site http://127.0.0.1:PORT/               (site/dist, plus a generated /config.json)
 * Requests become API Gateway proxy events; data lives in an in-memory
 * dynalite (or in HAIKU_DATA_DIR / --data <dir> to keep it between runs).
 * Environment: PORT (default 3000), HOST (default 127.0.0.1). Builds the
 * site first (skip with --no-build).
 */
import * as fs from "fs";
import * as http from "http";
import * as path from "path";
import { randomUUID } from "crypto";
import type { AddressInfo } from "net";
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import type { CreateTableCommandInput } from "@aws-sdk/client-dynamodb";
import { HAIKU_ROUTES, HAIKU_TABLE, HaikuRoute, matchRoute } from "../lambdas/haiku/routes";
import { CORS_HEADERS } from "../lambdas/haiku/http";
import { resetDefaultRepository } from "../lambdas/haiku/repository";
import { cacheControlOf, contentTypeOf } from "../modules/site/content-types";
import { buildSite } from "../site/build";
import { createTable, startDynalite } from "./local-dynamodb";

const ROOT = path.resolve(__dirname, "..");
export const DEFAULT_SITE_DIR = path.join(ROOT, "site", "dist");
export const LOCAL_TABLE_NAME = "bashoutter-local-haiku";
const MAX_BODY_BYTES = 1024 * 1024;

type Handler = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

export interface DevServerOptions {
  /** @default 0 (any free port) when called from code; PORT or 3000 from the command line */
  readonly port?: number;
  /** @default "127.0.0.1" */
  readonly host?: string;
  /** Folder for dynalite's data (kept between runs). @default in memory */
  readonly dataDir?: string;
  /** Built site to serve at `/`. @default site/dist */
  readonly siteDir?: string;
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

  const dynamo = await startDynalite({ path: options.dataDir });
  const dynamoEndpoint = dynamo.endpoint;

  // The handlers read the same variables as in Lambda; only the endpoint differs.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  Object.assign(process.env, {
    TABLE_NAME: LOCAL_TABLE_NAME,
    AWS_REGION: process.env.AWS_REGION ?? "ap-northeast-1",
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
    AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
  });
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  resetDefaultRepository();
  await createTable(dynamo.client, haikuTable(LOCAL_TABLE_NAME));

  const handlers = new Map<string, Handler>();
  for (const route of HAIKU_ROUTES) handlers.set(route.id, loadHandler(route));

  const server = http.createServer((req, res) => {
    handle(req, res, handlers, siteDir).catch((err) => {
      console.error(err);
      if (!res.headersSent) send(res, { statusCode: 500, headers: { ...CORS_HEADERS, "Content-Type": "application/json" }, body: JSON.stringify({ description: "Internal server error" }) });
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

/** The route's Lambda entry module (lambdas/<entry>/index.ts), exactly what is deployed. */
function loadHandler(route: HaikuRoute): Handler {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(path.join(ROOT, "lambdas", route.entry, "index.ts")) as { handler?: Handler };
  if (typeof mod.handler !== "function") throw new Error(`lambdas/${route.entry}/index.ts exports no handler`);
  return mod.handler;
}

/** The table the stack creates: partition key item_id, GSI by creation time. */
export function haikuTable(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [
      { AttributeName: HAIKU_TABLE.partitionKey, AttributeType: "S" },
      { AttributeName: HAIKU_TABLE.indexPartitionKey, AttributeType: "S" },
      { AttributeName: HAIKU_TABLE.indexSortKey, AttributeType: "S" },
    ],
    KeySchema: [{ AttributeName: HAIKU_TABLE.partitionKey, KeyType: "HASH" }],
    GlobalSecondaryIndexes: [
      {
        IndexName: HAIKU_TABLE.indexName,
        KeySchema: [
          { AttributeName: HAIKU_TABLE.indexPartitionKey, KeyType: "HASH" },
          { AttributeName: HAIKU_TABLE.indexSortKey, KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: "ALL" },
      },
    ],
  };
}

async function handle(req: http.IncomingMessage, res: http.ServerResponse, handlers: Map<string, Handler>, siteDir: string): Promise<void> {
  const url = new URL(req.url ?? "/", "http://localhost");
  const method = (req.method ?? "GET").toUpperCase();
  if (url.pathname === "/api" || url.pathname.startsWith("/api/")) {
    const body = await readBody(req);
    send(res, body === undefined ? apiError(413, "body must be at most 1 MiB") : await api(method, url, req, body, handlers));
    return;
  }
  serveStatic(method, url.pathname, req, res, siteDir);
}

function apiError(status: number, description: string, extra: Record<string, string> = {}): APIGatewayProxyResult {
  return { statusCode: status, headers: { ...CORS_HEADERS, "Content-Type": "application/json", ...extra }, body: JSON.stringify({ description }) };
}

async function api(method: string, url: URL, req: http.IncomingMessage, body: string, handlers: Map<string, Handler>): Promise<APIGatewayProxyResult> {
  const apiPath = url.pathname.slice("/api".length) || "/";
  const match = matchRoute(method === "OPTIONS" ? "GET" : method, apiPath);
  // CORS preflight: API Gateway answers it with a mock integration on each resource.
  if (method === "OPTIONS") {
    return match ? { statusCode: 204, headers: { ...CORS_HEADERS }, body: "" } : apiError(404, `no resource ${apiPath}`);
  }
  if (!match) return apiError(404, `no route ${method} ${apiPath}`);
  if ("methodNotAllowed" in match) return apiError(405, `${method} is not allowed on ${apiPath}; allowed: ${match.methodNotAllowed.join(", ")}`, { Allow: match.methodNotAllowed.join(", ") });
  const event = toProxyEvent(method, apiPath, url, req, body, match.route, match.pathParameters);
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
      identity: { sourceIp: "127.0.0.1" } as APIGatewayProxyEvent["requestContext"]["identity"],
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

function serveStatic(method: string, pathname: string, req: http.IncomingMessage, res: http.ServerResponse, siteDir: string): void {
  if (method !== "GET" && method !== "HEAD") {
    res.writeHead(405, { Allow: "GET, HEAD", "Content-Type": "text/plain" }).end("method not allowed");
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
    res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" }).end(`not found: ${pathname}${hint}`);
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
  const server = await startDevServer({ port, host: process.env.HOST ?? "127.0.0.1", dataDir });
  console.log(`Bashoutter running at ${server.url}/  (API: ${server.apiUrl}/haiku, data: ${dataDir ?? "in memory"})`);
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
