import * as fs from "fs";
import * as path from "path";
import { DevServer, startDevServer, toProxyEvent } from "../../tools/dev-server";
import { HAIKU_ROUTES } from "../../lambdas/haiku/routes";
import { tempDir } from "../helpers/synth";

let server: DevServer;
let siteDir: string;

beforeAll(async () => {
  siteDir = tempDir("dev-site");
  fs.writeFileSync(path.join(siteDir, "index.html"), "<h1>hi</h1>");
  fs.writeFileSync(path.join(siteDir, "app.ABCDEFGH.js"), "1");
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
});
