import * as fs from "fs";
import * as http from "http";
import * as path from "path";
import { DevServer, TokenBuckets, haikuTable, malformedSegment, startDevServer, toProxyEvent } from "../../tools/dev-server";
import { HAIKU_ROUTES } from "../../lambdas/haiku/routes";
import { tempDir } from "../helpers/synth";

let server: DevServer;
let siteDir: string;

beforeAll(async () => {
  siteDir = tempDir("dev-site");
  fs.writeFileSync(path.join(siteDir, "index.html"), "<h1>hi</h1>");
  fs.writeFileSync(path.join(siteDir, "app.ABCDEFGH.js"), "1");
  // The defaults, as `npm run dev`: writes protected, POST/PATCH throttled per client (10/s, burst 20).
  server = await startDevServer({ port: 0, siteDir });
});
afterAll(async () => {
  await server.close();
});

describe("dev server", () => {
  test("serves the site at / with the site's content types and cache headers", async () => {
    const index = await fetch(`${server.url}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(index.headers.get("cache-control")).toBe("no-cache");
    const js = await fetch(`${server.url}/app.ABCDEFGH.js`);
    expect(js.headers.get("cache-control")).toContain("immutable");
  });

  test("generates config.json pointing the page at the local API", async () => {
    const res = await fetch(`${server.url}/config.json`);
    expect(await res.json()).toEqual({ apiUrl: server.apiUrl });
  });

  test("does not serve files outside the site folder", async () => {
    const res = await fetch(`${server.url}/..%2f..%2fpackage.json`);
    expect(res.status).toBe(404);
  });

  test("builds REST proxy events like API Gateway's", () => {
    const route = HAIKU_ROUTES.find((r) => r.id === "like")!;
    const event = toProxyEvent("PATCH", "/haiku/abc", new URL("http://x/api/haiku/abc?a=1&a=2"), { headers: { host: "x" } }, "", route, { item_id: "abc" });
    expect(event).toMatchObject({
      resource: "/haiku/{item_id}",
      path: "/haiku/abc",
      httpMethod: "PATCH",
      pathParameters: { item_id: "abc" },
      queryStringParameters: { a: "2" },
      multiValueQueryStringParameters: { a: ["1", "2"] },
      body: null,
      isBase64Encoded: false,
      requestContext: { stage: "prod", resourcePath: "/haiku/{item_id}" },
    });
  });

  /** A raw request from a chosen loopback address (another "client"), body parsed as JSON. */
  function request(method: string, p: string, options: { localAddress?: string; headers?: Record<string, string>; body?: string } = {}) {
    const u = new URL(server.url);
    return new Promise<{ status: number; headers: http.IncomingHttpHeaders; json: any }>((resolve, reject) => {
      const req = http.request({ host: u.hostname, port: u.port, method, path: p, headers: options.headers, localAddress: options.localAddress, agent: false }, (res) => {
        let text = "";
        res.on("data", (c) => (text += c));
        res.on("end", () => {
          try {
            resolve({ status: res.statusCode!, headers: res.headers, json: JSON.parse(text) });
          } catch {
            reject(new Error(`${method} ${p}: ${res.statusCode} non-JSON body ${JSON.stringify(text)} (${res.headers["content-type"]})`));
          }
        });
      });
      req.on("error", reject);
      req.end(options.body);
    });
  }
  const post = (localAddress?: string) =>
    request("POST", "/api/haiku", { localAddress, headers: { "Content-Type": "application/json" }, body: JSON.stringify({ username: "u", first: "a", second: "b", third: "c" }) });

  test("answers malformed percent-encoding with 400 JSON instead of a 500, on the site and the API", async () => {
    for (const p of ["/%", "/%E0%A4%A", "/api/haiku/%", "/api/haiku/%ZZ", "/app.%C0.js"]) {
      const res = await request("GET", p);
      expect({ p, status: res.status }).toEqual({ p, status: 400 });
      expect(res.json.description).toMatch(/malformed percent-encoding/);
      expect(res.headers["content-type"]).toBe("application/json");
    }
    expect(malformedSegment("/a/%41/b")).toBeUndefined();
    expect(malformedSegment("/a/%4/b")).toBe("%4");
  });

  test("answers every error with a JSON description: unknown file, wrong method on the site, unknown API route, body too big", async () => {
    const missing = await request("GET", "/nope.txt");
    expect([missing.status, missing.json.description]).toEqual([404, "not found: /nope.txt"]);
    const wrongMethod = await request("POST", "/index.html");
    expect([wrongMethod.status, wrongMethod.headers.allow]).toEqual([405, "GET, HEAD"]);
    expect(wrongMethod.json.description).toMatch(/POST is not allowed/);
    expect((await request("GET", "/api/nothing")).json.description).toMatch(/no route GET \/nothing/);
    const big = await request("POST", "/api/haiku", { body: "x".repeat(1024 * 1024 + 1) });
    expect([big.status, big.json.description]).toEqual([413, "body must be at most 1 MiB"]);
  });

  test("refuses the admin route without a SigV4 Authorization header (403 JSON), and passes a signed one through unverified", async () => {
    const id = "0123456789abcdef0123456789abcdef";
    const none = await request("DELETE", `/api/admin/haiku/${id}`);
    expect([none.status, none.json.description]).toEqual([403, expect.stringMatching(/^Missing Authentication Token: .*SigV4/)]);
    const basic = await request("DELETE", `/api/admin/haiku/${id}`, { headers: { Authorization: "Basic YTpi" } });
    expect(basic.status).toBe(403);
    const signed = await request("DELETE", `/api/admin/haiku/${id}`, {
      headers: { Authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=${"a".repeat(64)}` },
    });
    // reached the handler: the haiku does not exist
    expect([signed.status, signed.json.description]).toEqual([404, `haiku ${id} not found`]);
  });

  test("throttles POST per client with a token bucket: 429 JSON with Retry-After beyond the burst, other clients unaffected", async () => {
    // WHEN one client posts 40 haiku at once (burst 20, refill 10/s)
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: 40 }, () => post("127.0.0.1")));
    const refilled = Math.ceil(((performance.now() - started) / 1000) * 10);
    // THEN the burst passes (plus what refilled meanwhile) and the rest is throttled with a description and Retry-After
    const passed = results.filter((r) => r.status === 201).length;
    expect(passed).toBeGreaterThanOrEqual(20);
    expect(passed).toBeLessThanOrEqual(20 + refilled);
    const throttled = results.filter((r) => r.status === 429);
    expect(throttled.length).toBe(40 - passed);
    expect(throttled.length).toBeGreaterThan(0);
    expect(throttled[0].json.description).toMatch(/Too many requests: at most 10 POST per second \(burst 20\) per client/);
    expect(Number(throttled[0].headers["retry-after"])).toBeGreaterThanOrEqual(1);
    expect(throttled[0].headers["access-control-allow-origin"]).toBe("*");
    // AND another client address still posts, and GET is never throttled
    expect((await post("127.0.0.2")).status).toBe(201);
    expect((await request("GET", "/api/haiku?limit=1", { localAddress: "127.0.0.1" })).status).toBe(200);
  });

  test("refills the bucket at the rate limit", () => {
    let now = 0;
    const buckets = new TokenBuckets({ rateLimit: 2, burstLimit: 3 }, () => now);
    expect([1, 2, 3, 4].map(() => buckets.take("a"))).toEqual([0, 0, 0, 1]);
    now = 499;
    expect(buckets.take("a")).toBe(1);
    now = 1000;
    expect(buckets.take("a")).toBe(0);
    expect(buckets.take("b")).toBe(0);
  });

  test("creates the stack's table: item_id only, no index", () => {
    expect(haikuTable("t")).toEqual({
      TableName: "t",
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [{ AttributeName: "item_id", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "item_id", KeyType: "HASH" }],
    });
  });
});
