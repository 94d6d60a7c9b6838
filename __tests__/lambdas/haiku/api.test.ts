/**
 * HTTP tests of the Bashoutter API through the local server (tools/dev-server.ts):
 * real handlers, API Gateway proxy events, dynalite in memory, writes protected
 * (the default; the course's open mode is in haiku-open-writes.test.ts).
 */
import { BatchWriteItemCommand, DynamoDBClient, PutItemCommand, ScanCommand, WriteRequest } from "@aws-sdk/client-dynamodb";
import { DevServer, startDevServer } from "../../../tools/dev-server";
import { HaikuRepository } from "../../../lambdas/haiku/repository";
import { DynamoDB } from "../../../lambdas/lib/aws/dynamodb";

let server: DevServer;
let api: string;
let raw: DynamoDBClient;
/** The handlers' own client (lambdas/lib/aws), for a repository that writes many items fast. */
let db: DynamoDB;

beforeAll(async () => {
  // No per-client write throttle here (200 concurrent likes); the throttle is tested in dev-server.test.ts.
  server = await startDevServer({ port: 0, writeThrottle: false });
  api = server.apiUrl;
  raw = new DynamoDBClient({ endpoint: server.dynamoEndpoint, region: "ap-northeast-1", credentials: { accessKeyId: "x", secretAccessKey: "x" } });
  db = new DynamoDB({ endpoint: server.dynamoEndpoint, region: "ap-northeast-1", credentials: { accessKeyId: "x", secretAccessKey: "x" } });
});

afterAll(async () => {
  raw.destroy();
  db.destroy();
  await server.close();
});

const HAIKU = { username: "basho", first: "furuike ya", second: "kawazu tobikomu", third: "mizu no oto" };

async function call(method: string, path: string, body?: unknown, rawBody?: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${api}${path}`, {
    method,
    headers: { ...(body !== undefined || rawBody !== undefined ? { "Content-Type": "application/json" } : {}), ...headers },
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

/**
 * Empties the table directly (not through the API, which now needs tokens to delete), 25 keys a
 * request (BatchWriteItem): after the 1000-item test, one DeleteItem each took ~1.6 s of CPU.
 */
async function clearTable(): Promise<void> {
  let start: Record<string, any> | undefined;
  do {
    const page = await raw.send(new ScanCommand({ TableName: server.tableName, ExclusiveStartKey: start, ProjectionExpression: "item_id" }));
    const deletes: WriteRequest[] = (page.Items ?? []).map((Key) => ({ DeleteRequest: { Key } }));
    await Promise.all(
      Array.from({ length: Math.ceil(deletes.length / 25) }, async (_, i) => {
        let batch = deletes.slice(i * 25, i * 25 + 25);
        while (batch.length) batch = (await raw.send(new BatchWriteItemCommand({ RequestItems: { [server.tableName]: batch } }))).UnprocessedItems?.[server.tableName] ?? [];
      }),
    );
    start = page.LastEvaluatedKey;
  } while (start);
  expect(await tableSnapshot()).toBe("[]");
}

/** A SigV4-shaped header: the dev server checks the shape only (no IAM locally). */
const SIGNED = { Authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/ap-northeast-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=${"0".repeat(64)}` };

describe("Bashoutter API through the local server", () => {
  beforeEach(clearTable);

  test("runs the course's session with the delete token: POST, GET, PATCH, GET shows likes=1, DELETE with the token, GET is empty", async () => {
    // WHEN a haiku is posted
    const posted = await call("POST", "/haiku", HAIKU);
    // THEN the course's 201 message comes back with CORS, the new item_id and a one-time delete token
    expect(posted.status).toBe(201);
    expect(posted.json).toEqual({ description: "Successfully added a new haiku", item_id: expect.stringMatching(/^[0-9a-f]{32}$/), delete_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    expect(posted.headers.get("access-control-allow-origin")).toBe("*");

    const listed = await call("GET", "/haiku");
    expect(listed.status).toBe(200);
    expect(listed.json).toHaveLength(1);
    const item = listed.json[0];
    // AND GET shows the course's attributes only, never the token or its hash
    expect(item).toEqual({ ...HAIKU, item_id: posted.json.item_id, likes: 0, created_at: expect.any(String) });
    expect(new Date(item.created_at).toISOString()).toBe(item.created_at);
    expect(listed.headers.get("x-next-cursor")).toBeNull();

    const liked = await call("PATCH", `/haiku/${item.item_id}`);
    expect(liked.status).toBe(200);
    expect(liked.json.likes).toBe(1);
    expect((await call("GET", "/haiku")).json[0].likes).toBe(1);

    // WHEN it is deleted without the token, THEN it is refused with a 4xx JSON description and stays
    const refused = await call("DELETE", `/haiku/${item.item_id}`);
    expect(refused.status).toBe(401);
    expect(refused.json).toEqual({ description: expect.stringMatching(/X-Delete-Token header is required/) });
    const wrong = await call("DELETE", `/haiku/${item.item_id}`, undefined, undefined, { "X-Delete-Token": "x".repeat(43) });
    expect([wrong.status, wrong.json.description]).toEqual([403, `the delete token does not match haiku ${item.item_id}`]);
    expect((await call("GET", "/haiku")).json).toHaveLength(1);

    // WHEN it is deleted with its token, THEN it is gone, and the token cannot be used again
    const deleted = await call("DELETE", `/haiku/${item.item_id}`, undefined, undefined, { "X-Delete-Token": posted.json.delete_token });
    expect(deleted.status).toBe(204);
    expect((await call("GET", "/haiku")).json).toEqual([]);
    expect((await call("DELETE", `/haiku/${item.item_id}`, undefined, undefined, { "X-Delete-Token": posted.json.delete_token })).status).toBe(404);
  });

  test("lists a haiku written straight into the table with the course's attributes only, which only an admin can delete", async () => {
    // GIVEN an item put by another tool (the course's end-to-end test does this), no extra attributes
    const id = "c0ffee00c0ffee00c0ffee00c0ffee00";
    await raw.send(
      new PutItemCommand({
        TableName: server.tableName,
        Item: { item_id: { S: id }, username: { S: "course" }, first: { S: "a" }, second: { S: "b" }, third: { S: "c" }, likes: { N: "3" }, created_at: { S: "2026-01-01T00:00:00+00:00" } },
      }),
    );
    // THEN GET lists it exactly as written
    expect((await call("GET", "/haiku")).json).toEqual([{ item_id: id, username: "course", first: "a", second: "b", third: "c", likes: 3, created_at: "2026-01-01T00:00:00+00:00" }]);
    expect((await call("PATCH", `/haiku/${id}`)).json.likes).toBe(4);
    // AND no token deletes it, the admin route does
    const refused = await call("DELETE", `/haiku/${id}`, undefined, undefined, { "X-Delete-Token": "x".repeat(43) });
    expect([refused.status, refused.json.description]).toEqual([403, expect.stringMatching(/no delete token.*only an admin/)]);
    expect((await call("DELETE", `/admin/haiku/${id}`)).status).toBe(403);
    expect((await call("DELETE", `/admin/haiku/${id}`, undefined, undefined, SIGNED)).status).toBe(204);
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
      expect(res.headers.get("access-control-allow-headers")).toContain("X-Delete-Token");
      expect(res.headers.get("access-control-expose-headers")).toContain("X-Next-Cursor");
    }
  });

  const long = (n: number) => "x".repeat(n);
  const validId = "0123456789abcdef0123456789abcdef";
  const wellShapedCursor = Buffer.from(validId).toString("base64url");
  const oldDesignCursor = Buffer.from(`2020-01-01T00:00:00.000Z#${validId}`).toString("base64url");
  const malformed: Array<[string, string, string, unknown?, string?, Record<string, string>?]> = [
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
    ["GET with a cursor of the earlier index design", "GET", `/haiku?cursor=${oldDesignCursor}.AAAAAAAAAAAAAAAAAAAAAA`],
    ["POST with a NUL in a line", "POST", "/haiku", { ...HAIKU, first: "furu\u0000ike" }],
    ["POST with a newline inside a line", "POST", "/haiku", { ...HAIKU, second: "kawazu\ntobikomu" }],
    ["POST with an escape sequence in the name", "POST", "/haiku", { ...HAIKU, username: "\u001b[2Jbasho" }],
    ["POST with an unpaired surrogate", "POST", "/haiku", undefined, '{"username":"basho","first":"\\ud800","second":"b","third":"c"}'],
    ["POST with only invisible characters", "POST", "/haiku", { ...HAIKU, third: "\u200b\u2060\ufeff" }],
    ["DELETE without the token", "DELETE", `/haiku/${validId}`],
    ["DELETE with a malformed token", "DELETE", `/haiku/${validId}`, undefined, undefined, { "X-Delete-Token": "nope" }],
    ["DELETE of the liked haiku with a wrong token", "DELETE", "/haiku/{item}", undefined, undefined, { "X-Delete-Token": "y".repeat(43) }],
    ["admin DELETE without a signature", "DELETE", "/admin/haiku/{item}"],
    ["admin DELETE with a Bearer token", "DELETE", "/admin/haiku/{item}", undefined, undefined, { Authorization: "Bearer x" }],
    ["GET with malformed percent-encoding", "GET", "/haiku/%"],
    ["PATCH with malformed percent-encoding", "PATCH", "/haiku/%E0%A4%A"],
    ["PATCH with a non-hex id", "PATCH", "/haiku/not-an-id"],
    ["PATCH with an upper-case id", "PATCH", `/haiku/${validId.toUpperCase()}`],
    ["PATCH with a 31-digit id", "PATCH", `/haiku/${validId.slice(1)}`],
    ["PATCH with an unknown id", "PATCH", `/haiku/${validId}`],
    ["DELETE with a non-hex id", "DELETE", "/haiku/%27%3B%20DROP"],
    ["DELETE with an unknown id", "DELETE", `/haiku/${validId}`, undefined, undefined, { "X-Delete-Token": "z".repeat(43) }],
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
    for (const [name, method, path, body, rawBody, headers] of malformed) {
      // WHEN the bad request is sent
      const res = await call(method, path.replace("{item}", item.item_id), body, rawBody, headers);
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

  test("answers 404 (not 500) for an unknown id on PATCH, DELETE with a token, and the admin DELETE", async () => {
    expect((await call("PATCH", `/haiku/${validId}`)).status).toBe(404);
    expect((await call("DELETE", `/haiku/${validId}`, undefined, undefined, { "X-Delete-Token": "z".repeat(43) })).status).toBe(404);
    expect((await call("DELETE", `/admin/haiku/${validId}`, undefined, undefined, SIGNED)).status).toBe(404);
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

  test("pages over 1000 haiku with no duplicate and no gap, each page newest first", async () => {
    // GIVEN 1000 haiku, many sharing the same millisecond
    const repo = new HaikuRepository(db, server.tableName);
    const base = Date.UTC(2026, 0, 1);
    const created: string[] = [];
    for (let batch = 0; batch < 10; batch++) {
      const items = await Promise.all(
        Array.from({ length: 100 }, (_, i) => repo.create({ ...HAIKU, username: `u${batch}-${i}` }, new Date(base + Math.floor((batch * 100 + i) / 3)))),
      );
      created.push(...items.map((h) => h.haiku.item_id));
    }

    // WHEN a client follows X-Next-Cursor with an odd page size
    const pages: Array<Array<{ item_id: string; created_at: string }>> = [];
    let cursor: string | null = null;
    do {
      const res = await call("GET", `/haiku?limit=37${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      expect(res.status).toBe(200);
      pages.push(res.json);
      cursor = res.headers.get("x-next-cursor");
    } while (cursor);

    // THEN it saw every item exactly once, in ceil(1000/37) full pages
    expect(pages).toHaveLength(Math.ceil(1000 / 37));
    expect(pages.slice(0, -1).every((p) => p.length === 37)).toBe(true);
    const ids = pages.flat().map((h) => h.item_id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual([...created].sort());
    // AND each page is sorted newest first (the order docs/bashoutter.md promises)
    for (const page of pages) {
      const times = page.map((h) => h.created_at);
      expect([...times].sort().reverse()).toEqual(times);
    }
  });

  test("paging stays stable under concurrent writes: every haiku present for the whole walk is seen exactly once", async () => {
    // GIVEN 300 haiku that stay, and 100 that will be deleted during the walk
    const repo = new HaikuRepository(db, server.tableName);
    const stay = (await Promise.all(Array.from({ length: 300 }, (_, i) => repo.create({ ...HAIKU, username: `stay${i}` })))).map((c) => c.haiku.item_id);
    const doomed = await Promise.all(Array.from({ length: 100 }, (_, i) => repo.create({ ...HAIKU, username: `doomed${i}` })));

    // WHEN a client walks pages of 20 while others post 200 haiku and delete the 100
    const seen: string[] = [];
    let cursor: string | null = null;
    let step = 0;
    do {
      const res = await call("GET", `/haiku?limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      seen.push(...res.json.map((h: { item_id: string }) => h.item_id));
      cursor = res.headers.get("x-next-cursor");
      await Promise.all([
        ...Array.from({ length: 10 }, (_, i) => repo.create({ ...HAIKU, username: `new${step}-${i}` })),
        ...doomed.slice(step * 5, step * 5 + 5).map((d) => repo.deleteWithToken(d.haiku.item_id, d.deleteToken)),
      ]);
      step++;
    } while (cursor);

    // THEN no haiku was seen twice, and every one that stayed was seen
    expect(new Set(seen).size).toBe(seen.length);
    const seenSet = new Set(seen);
    expect(stay.filter((id) => !seenSet.has(id))).toEqual([]);
    expect(step).toBeGreaterThanOrEqual(15);
  });

  test("returns the default page of 50 with a cursor when more exist", async () => {
    const repo = new HaikuRepository(db, server.tableName);
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
