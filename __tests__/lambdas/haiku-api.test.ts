/**
 * HTTP tests of the Bashoutter API through the local server (tools/dev-server.ts):
 * real handlers, API Gateway proxy events, dynalite in memory.
 */
import { DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { DevServer, startDevServer } from "../../tools/dev-server";
import { HaikuRepository } from "../../lambdas/haiku/repository";

let server: DevServer;
let api: string;
let raw: DynamoDBClient;

beforeAll(async () => {
  server = await startDevServer({ port: 0 });
  api = server.apiUrl;
  raw = new DynamoDBClient({ endpoint: server.dynamoEndpoint, region: "ap-northeast-1", credentials: { accessKeyId: "x", secretAccessKey: "x" } });
});

afterAll(async () => {
  raw.destroy();
  await server.close();
});

const HAIKU = { username: "basho", first: "furuike ya", second: "kawazu tobikomu", third: "mizu no oto" };

async function call(method: string, path: string, body?: unknown, rawBody?: string) {
  const res = await fetch(`${api}${path}`, {
    method,
    headers: body !== undefined || rawBody !== undefined ? { "Content-Type": "application/json" } : {},
    body: rawBody ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: text ? JSON.parse(text) : undefined };
}

/** Everything in the table, raw (attribute maps), sorted: the "nothing changed" witness. */
async function tableSnapshot(): Promise<string> {
  const items: unknown[] = [];
  let start: Record<string, any> | undefined;
  do {
    const page = await raw.send(new ScanCommand({ TableName: server.tableName, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return JSON.stringify(items.map((i) => JSON.stringify(i)).sort());
}

async function clearTable(): Promise<void> {
  let page = await call("GET", "/haiku?limit=100");
  while (page.json.length) {
    await Promise.all(page.json.map((h: { item_id: string }) => call("DELETE", `/haiku/${h.item_id}`)));
    page = await call("GET", "/haiku?limit=100");
  }
}

describe("Bashoutter API through the local server", () => {
  beforeEach(clearTable);

  test("runs the course's session: POST, GET, PATCH, GET shows likes=1, DELETE, GET is empty", async () => {
    // WHEN a haiku is posted
    const posted = await call("POST", "/haiku", HAIKU);
    // THEN the course's 201 message comes back with CORS
    expect(posted.status).toBe(201);
    expect(posted.json).toEqual({ description: "Successfully added a new haiku" });
    expect(posted.headers.get("access-control-allow-origin")).toBe("*");

    const listed = await call("GET", "/haiku");
    expect(listed.status).toBe(200);
    expect(listed.json).toHaveLength(1);
    const item = listed.json[0];
    expect(item).toEqual({ ...HAIKU, item_id: expect.stringMatching(/^[0-9a-f]{32}$/), likes: 0, created_at: expect.any(String) });
    expect(new Date(item.created_at).toISOString()).toBe(item.created_at);
    expect(listed.headers.get("x-next-cursor")).toBeNull();

    const liked = await call("PATCH", `/haiku/${item.item_id}`);
    expect(liked.status).toBe(200);
    expect(liked.json.likes).toBe(1);
    expect((await call("GET", "/haiku")).json[0].likes).toBe(1);

    const deleted = await call("DELETE", `/haiku/${item.item_id}`);
    expect(deleted.status).toBe(204);
    expect((await call("GET", "/haiku")).json).toEqual([]);
  });

  test("trims the fields it stores", async () => {
    await call("POST", "/haiku", { username: "  issa ", first: " a ", second: "b  ", third: "\tc" });
    expect((await call("GET", "/haiku")).json[0]).toMatchObject({ username: "issa", first: "a", second: "b", third: "c" });
  });

  test("answers CORS preflight on both resources", async () => {
    for (const path of ["/haiku", "/haiku/0123456789abcdef0123456789abcdef"]) {
      const res = await fetch(`${api}${path}`, { method: "OPTIONS" });
      expect(res.status).toBeLessThan(300);
      expect(res.headers.get("access-control-allow-origin")).toBe("*");
      expect(res.headers.get("access-control-allow-methods")).toContain("PATCH");
      expect(res.headers.get("access-control-expose-headers")).toContain("X-Next-Cursor");
    }
  });

  const long = (n: number) => "x".repeat(n);
  const validId = "0123456789abcdef0123456789abcdef";
  const wellShapedCursor = Buffer.from(`2020-01-01T00:00:00.000Z#${validId}`).toString("base64url");
  const malformed: Array<[string, string, string, unknown?, string?]> = [
    ["POST without a body", "POST", "/haiku"],
    ["POST with invalid JSON", "POST", "/haiku", undefined, "{not json"],
    ["POST with trailing garbage", "POST", "/haiku", undefined, '{"username":"a"} x'],
    ["POST with a JSON array", "POST", "/haiku", [HAIKU]],
    ["POST with JSON null", "POST", "/haiku", undefined, "null"],
    ["POST with a JSON number", "POST", "/haiku", 42],
    ["POST with a JSON string", "POST", "/haiku", "haiku"],
    ["POST with an empty object", "POST", "/haiku", {}],
    ["POST without username", "POST", "/haiku", { first: "a", second: "b", third: "c" }],
    ["POST without third", "POST", "/haiku", { username: "u", first: "a", second: "b" }],
    ["POST with a numeric username", "POST", "/haiku", { ...HAIKU, username: 7 }],
    ["POST with a null line", "POST", "/haiku", { ...HAIKU, first: null }],
    ["POST with an array line", "POST", "/haiku", { ...HAIKU, second: ["a"] }],
    ["POST with an object line", "POST", "/haiku", { ...HAIKU, third: { a: 1 } }],
    ["POST with a boolean line", "POST", "/haiku", { ...HAIKU, third: true }],
    ["POST with an empty username", "POST", "/haiku", { ...HAIKU, username: "" }],
    ["POST with a blank line", "POST", "/haiku", { ...HAIKU, first: "   " }],
    ["POST with a 65-character line", "POST", "/haiku", { ...HAIKU, second: long(65) }],
    ["POST with a 33-character name", "POST", "/haiku", { ...HAIKU, username: long(33) }],
    ["POST with an unknown field", "POST", "/haiku", { ...HAIKU, mood: "calm" }],
    ["POST trying to set likes", "POST", "/haiku", { ...HAIKU, likes: 1000 }],
    ["POST trying to set item_id", "POST", "/haiku", { ...HAIKU, item_id: validId }],
    ["POST with a body over 4 KiB", "POST", "/haiku", { ...HAIKU, first: long(5000) }],
    ["GET with limit=0", "GET", "/haiku?limit=0"],
    ["GET with limit=101", "GET", "/haiku?limit=101"],
    ["GET with limit=abc", "GET", "/haiku?limit=abc"],
    ["GET with limit=1.5", "GET", "/haiku?limit=1.5"],
    ["GET with limit=-1", "GET", "/haiku?limit=-1"],
    ["GET with an empty limit", "GET", "/haiku?limit="],
    ["GET with a garbage cursor", "GET", "/haiku?cursor=!!!"],
    ["GET with a base64 cursor of the wrong shape", "GET", `/haiku?cursor=${Buffer.from('{"item_id":"x"}').toString("base64url")}`],
    ["GET with a cursor in padded base64", "GET", `/haiku?cursor=${wellShapedCursor}%3D`],
    ["GET with a well-shaped cursor the API did not sign", "GET", `/haiku?cursor=${wellShapedCursor}.AAAAAAAAAAAAAAAAAAAAAA`],
    ["GET with an unsigned well-shaped cursor", "GET", `/haiku?cursor=${wellShapedCursor}`],
    ["GET with an unknown query parameter", "GET", "/haiku?sort=asc"],
    ["PATCH with a non-hex id", "PATCH", "/haiku/not-an-id"],
    ["PATCH with an upper-case id", "PATCH", `/haiku/${validId.toUpperCase()}`],
    ["PATCH with a 31-digit id", "PATCH", `/haiku/${validId.slice(1)}`],
    ["PATCH with an unknown id", "PATCH", `/haiku/${validId}`],
    ["DELETE with a non-hex id", "DELETE", "/haiku/%27%3B%20DROP"],
    ["DELETE with an unknown id", "DELETE", `/haiku/${validId}`],
    ["DELETE on the collection", "DELETE", "/haiku"],
    ["PUT on an item", "PUT", `/haiku/${validId}`],
    ["GET on an unknown path", "GET", "/haikus"],
  ];

  test(`rejects ${malformed.length} malformed requests with a 4xx JSON description and changes nothing`, async () => {
    // GIVEN a table with one liked haiku
    await call("POST", "/haiku", HAIKU);
    const [item] = (await call("GET", "/haiku")).json;
    await call("PATCH", `/haiku/${item.item_id}`);
    const before = await tableSnapshot();

    const failures: string[] = [];
    for (const [name, method, path, body, rawBody] of malformed) {
      // WHEN the bad request is sent
      const res = await call(method, path, body, rawBody);
      // THEN it is a client error with a JSON description and CORS headers
      const ok =
        res.status >= 400 &&
        res.status < 500 &&
        typeof res.json?.description === "string" &&
        res.json.description.length > 0 &&
        Object.keys(res.json).length === 1 &&
        res.headers.get("access-control-allow-origin") === "*";
      if (!ok) failures.push(`${name}: ${res.status} ${res.text}`);
    }
    expect(failures).toEqual([]);
    expect(malformed.length).toBeGreaterThanOrEqual(25);
    // AND the table is exactly as before
    expect(await tableSnapshot()).toBe(before);
  });

  test("answers 404 (not 500) for an unknown id on PATCH and DELETE", async () => {
    expect((await call("PATCH", `/haiku/${validId}`)).status).toBe(404);
    expect((await call("DELETE", `/haiku/${validId}`)).status).toBe(404);
  });

  test("counts 200 concurrent likes exactly once each", async () => {
    await call("POST", "/haiku", HAIKU);
    const [item] = (await call("GET", "/haiku")).json;
    // WHEN 200 likes arrive at once
    const results = await Promise.all(Array.from({ length: 200 }, () => call("PATCH", `/haiku/${item.item_id}`)));
    // THEN every one succeeded, each saw a distinct count, and the total is 200
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(new Set(results.map((r) => r.json.likes)).size).toBe(200);
    expect((await call("GET", "/haiku")).json[0].likes).toBe(200);
  });

  test("pages over 1000 haiku newest first with no duplicate and no gap", async () => {
    // GIVEN 1000 haiku, many sharing the same millisecond
    const repo = new HaikuRepository(DynamoDBDocumentClient.from(raw), server.tableName);
    const base = Date.UTC(2026, 0, 1);
    const created: string[] = [];
    for (let batch = 0; batch < 10; batch++) {
      const items = await Promise.all(
        Array.from({ length: 100 }, (_, i) => repo.create({ ...HAIKU, username: `u${batch}-${i}` }, new Date(base + Math.floor((batch * 100 + i) / 3)))),
      );
      created.push(...items.map((h) => h.item_id));
    }

    // WHEN a client follows X-Next-Cursor with an odd page size
    const seen: Array<{ item_id: string; created_at: string }> = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await call("GET", `/haiku?limit=37${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      expect(res.status).toBe(200);
      expect(res.json.length).toBeLessThanOrEqual(37);
      seen.push(...res.json);
      cursor = res.headers.get("x-next-cursor");
      pages++;
    } while (cursor);

    // THEN it saw every item exactly once, newest first, in ceil(1000/37) pages
    expect(pages).toBe(Math.ceil(1000 / 37));
    const ids = seen.map((h) => h.item_id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual([...created].sort());
    const times = seen.map((h) => h.created_at);
    expect([...times].sort().reverse()).toEqual(times);
  });

  test("returns the default page of 50 with a cursor when more exist", async () => {
    const repo = new HaikuRepository(DynamoDBDocumentClient.from(raw), server.tableName);
    await Promise.all(Array.from({ length: 51 }, () => repo.create(HAIKU)));
    const first = await call("GET", "/haiku");
    expect(first.json).toHaveLength(50);
    const cursor = first.headers.get("x-next-cursor");
    expect(cursor).toEqual(expect.any(String));
    const second = await call("GET", `/haiku?cursor=${cursor}`);
    expect(second.json).toHaveLength(1);
    expect(second.headers.get("x-next-cursor")).toBeNull();
  });
});
