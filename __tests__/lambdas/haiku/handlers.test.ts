import type { APIGatewayProxyEvent } from "aws-lambda";
import { makeAdminDeleteHandler, makeCreateHandler, makeDeleteHandler, makeLikeHandler, makeListHandler } from "../../../lambdas/haiku/handlers";
import { HaikuRepository, hashDeleteToken } from "../../../lambdas/haiku/repository";
import { decodeCursor, encodeCursor } from "../../../lambdas/haiku/cursor";
import { parseDeleteToken, parseLimit, parseNewHaiku } from "../../../lambdas/haiku/validation";
import { HAIKU_LIMITS, HAIKU_ROUTES, matchRoute } from "../../../lambdas/haiku/routes";
import { AwsError } from "../../../lambdas/lib/aws/errors";

/**
 * The table client as the repository sees it, one mock per operation (the wire format
 * of lambdas/lib/aws/dynamodb.ts is tested against dynalite in api.test.ts and __tests__/lambdas/lib/aws/).
 */
const db = { scan: jest.fn(), getItem: jest.fn(), putItem: jest.fn(), updateItem: jest.fn(), deleteItem: jest.fn() };
type Operation = keyof typeof db;
/** The inputs of every call of `op`, in order. */
const calls = (op: Operation) => db[op].mock.calls.map((c) => c[0]);
const allCalls = () => Object.values(db).flatMap((f) => f.mock.calls);
const conditionFailed = () => new AwsError("ConditionalCheckFailedException", "The conditional request failed", { httpStatusCode: 400, attempts: 1 });
const repo = new HaikuRepository(db, "haiku-table");
const provider = () => repo;
const ID = "0123456789abcdef0123456789abcdef";
const HAIKU = { username: "basho", first: "a", second: "b", third: "c" };

function event(partial: Partial<APIGatewayProxyEvent>): APIGatewayProxyEvent {
  return { body: null, isBase64Encoded: false, queryStringParameters: null, pathParameters: null, ...partial } as APIGatewayProxyEvent;
}

beforeEach(() => Object.values(db).forEach((f) => f.mockReset()));

describe("GET /haiku handler", () => {
  test("reads one page with a Scan of the base table (no index), limit + 1 items", async () => {
    db.scan.mockResolvedValue({ Items: [] });
    const res = await makeListHandler(provider)(event({ queryStringParameters: { limit: "10" } }));
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toEqual([]);
    const input = calls("scan")[0];
    expect(input).toEqual({ TableName: "haiku-table", Limit: 11 });
    expect(allCalls()).toHaveLength(1); // the one Scan: no Query of an index
  });

  const stored = (n: number, extra: Record<string, unknown> = {}) => ({ ...HAIKU, item_id: `${n}`.repeat(32), likes: n, created_at: `2026-01-0${n}T00:00:00.000Z`, ...extra });

  test("returns the page newest first, X-Next-Cursor (the last item in table order) only when an item exists beyond the page", async () => {
    // GIVEN a Scan returning items in table (hash) order, one more than the page
    db.scan.mockResolvedValue({ Items: [stored(1), stored(3), stored(2)], LastEvaluatedKey: { item_id: "2".repeat(32) } });
    const res = await makeListHandler(provider)(event({ queryStringParameters: { limit: "2" } }));
    const body = JSON.parse(res.body);
    // THEN the first two (in table order) come back sorted newest first
    expect(body.map((h: { item_id: string }) => h.item_id[0])).toEqual(["3", "1"]);
    // AND the cursor resumes after the page's last item in table order (3), not after the one read ahead
    expect(decodeCursor(res.headers!["X-Next-Cursor"] as string)).toEqual({ item_id: "3".repeat(32) });
  });

  test("sends the cursor's key as ExclusiveStartKey, and no cursor at the end of the table", async () => {
    db.scan.mockResolvedValue({ Items: [stored(4)] });
    const cursor = encodeCursor({ item_id: "3".repeat(32) });
    const res = await makeListHandler(provider)(event({ queryStringParameters: { limit: "5", cursor } }));
    expect(calls("scan")[0].ExclusiveStartKey).toEqual({ item_id: "3".repeat(32) });
    expect(res.headers!["X-Next-Cursor"]).toBeUndefined();
  });

  test("keeps scanning when DynamoDB's 1 MB page ends before the requested page is full", async () => {
    db.scan
      .mockResolvedValueOnce({ Items: [stored(1)], LastEvaluatedKey: { item_id: "1".repeat(32) } })
      .mockResolvedValueOnce({ Items: [stored(2), stored(3)], LastEvaluatedKey: { item_id: "3".repeat(32) } });
    const res = await makeListHandler(provider)(event({ queryStringParameters: { limit: "2" } }));
    expect(calls("scan")).toEqual([
      { TableName: "haiku-table", Limit: 3 },
      { TableName: "haiku-table", Limit: 2, ExclusiveStartKey: { item_id: "1".repeat(32) } },
    ]);
    expect(JSON.parse(res.body)).toHaveLength(2);
    expect(decodeCursor(res.headers!["X-Next-Cursor"] as string)).toEqual({ item_id: "2".repeat(32) });
  });

  test("lists items other tools wrote (other time formats), and never the delete token's hash", async () => {
    db.scan.mockResolvedValue({
      Items: [stored(1, { delete_token_sha256: "f".repeat(64) }), { item_id: "9".repeat(32), username: "course", first: "a", second: "b", third: "c", likes: 2, created_at: "2026-02-01T00:00:00+00:00" }],
    });
    const body = JSON.parse((await makeListHandler(provider)(event({}))).body);
    expect(body[0]).toEqual({ item_id: "9".repeat(32), username: "course", first: "a", second: "b", third: "c", likes: 2, created_at: "2026-02-01T00:00:00+00:00" });
    expect(JSON.stringify(body)).not.toContain("delete_token");
  });

  test("hides DynamoDB failures behind a generic 500 JSON", async () => {
    db.scan.mockRejectedValue(new Error("secret internals"));
    const spy = jest.spyOn(console, "error").mockImplementation(() => undefined);
    const res = await makeListHandler(provider)(event({}));
    spy.mockRestore();
    expect(res.statusCode).toBe(500);
    expect(JSON.parse(res.body)).toEqual({ description: "Internal server error" });
    expect(res.headers!["Access-Control-Allow-Origin"]).toBe("*");
  });

  test.each(["ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded"])("answers DynamoDB's %s with 503 and Retry-After, not 500", async (name) => {
    const err = Object.assign(new Error("slow down"), { name });
    db.scan.mockRejectedValue(err);
    db.updateItem.mockRejectedValue(err);
    const spy = jest.spyOn(console, "warn").mockImplementation(() => undefined);
    for (const res of [await makeListHandler(provider)(event({})), await makeLikeHandler(provider)(event({ pathParameters: { item_id: ID } }))]) {
      expect(res.statusCode).toBe(503);
      expect(res.headers!["Retry-After"]).toBe("1");
      expect(JSON.parse(res.body).description).toMatch(new RegExp(`busy.*${name}.*retry`));
    }
    spy.mockRestore();
  });
});

describe("POST /haiku handler", () => {
  test("stores the trimmed haiku with likes 0, a hex id, an ISO time and only the SHA-256 of the delete token it returns", async () => {
    db.putItem.mockResolvedValue({});
    const res = await makeCreateHandler(provider)(event({ body: JSON.stringify({ ...HAIKU, username: " basho " }) }));
    expect(res.statusCode).toBe(201);
    const body = JSON.parse(res.body);
    expect(body).toEqual({ description: "Successfully added a new haiku", item_id: expect.stringMatching(/^[0-9a-f]{32}$/), delete_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    const input = calls("putItem")[0];
    const item = input.Item!;
    expect(item).toEqual({ ...HAIKU, item_id: body.item_id, likes: 0, created_at: expect.any(String), delete_token_sha256: hashDeleteToken(body.delete_token) });
    expect(item.delete_token_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(item)).not.toContain(body.delete_token);
    expect(input.ConditionExpression).toBe("attribute_not_exists(item_id)");
    expect(res.headers!["Cache-Control"]).toBe("no-store");
  });

  test("issues a different token for every haiku", async () => {
    db.putItem.mockResolvedValue({});
    const tokens = new Set<string>();
    for (let i = 0; i < 20; i++) tokens.add(JSON.parse((await makeCreateHandler(provider)(event({ body: JSON.stringify(HAIKU) }))).body).delete_token);
    expect(tokens.size).toBe(20);
  });

  test("accepts a base64-encoded body", async () => {
    db.putItem.mockResolvedValue({});
    const res = await makeCreateHandler(provider)(event({ body: Buffer.from(JSON.stringify(HAIKU)).toString("base64"), isBase64Encoded: true }));
    expect(res.statusCode).toBe(201);
  });

  test("writes nothing for an invalid body", async () => {
    const res = await makeCreateHandler(provider)(event({ body: JSON.stringify({ ...HAIKU, extra: 1 }) }));
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body).description).toMatch(/extra/);
    expect(allCalls()).toHaveLength(0);
  });
});

describe("PATCH /haiku/{item_id} handler", () => {
  test("adds one like atomically with ADD, conditional on the item existing", async () => {
    db.updateItem.mockResolvedValue({ Attributes: { likes: 5 } });
    const res = await makeLikeHandler(provider)(event({ pathParameters: { item_id: ID } }));
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ item_id: ID, likes: 5 });
    expect(calls("updateItem")[0]).toMatchObject({
      Key: { item_id: ID },
      UpdateExpression: "ADD likes :one",
      ConditionExpression: "attribute_exists(item_id)",
    });
  });

  test("answers 404 when the condition fails", async () => {
    db.updateItem.mockRejectedValue(conditionFailed());
    const res = await makeLikeHandler(provider)(event({ pathParameters: { item_id: ID } }));
    expect(res.statusCode).toBe(404);
    expect(JSON.parse(res.body).description).toContain(ID);
  });
});

describe("DELETE /haiku/{item_id} handler", () => {
  const TOKEN = "A".repeat(43);
  const del = (headers: Record<string, string> = {}) => makeDeleteHandler(provider)(event({ pathParameters: { item_id: ID }, headers }));
  afterEach(() => {
    delete process.env.OPEN_WRITES;
  });

  test("deletes with one DeleteItem conditional on the token's hash, and answers 204", async () => {
    db.deleteItem.mockResolvedValue({});
    const res = await del({ "x-delete-token": TOKEN });
    expect(res.statusCode).toBe(204);
    expect(calls("deleteItem")[0]).toEqual({
      TableName: "haiku-table",
      Key: { item_id: ID },
      ConditionExpression: "#hash = :hash",
      ExpressionAttributeNames: { "#hash": "delete_token_sha256" },
      ExpressionAttributeValues: { ":hash": hashDeleteToken(TOKEN) },
    });
    expect(calls("getItem")).toHaveLength(0);
  });

  test("refuses a DELETE without the token with 401 and a JSON description, touching nothing", async () => {
    const res = await del();
    expect(res.statusCode).toBe(401);
    expect(JSON.parse(res.body).description).toMatch(/X-Delete-Token header is required.*\/admin\/haiku/);
    expect(res.headers!["WWW-Authenticate"]).toContain("X-Delete-Token");
    expect(allCalls()).toHaveLength(0);
  });

  test("answers 403 for a wrong token, 403 for a haiku without one, 404 for an unknown id (GetItem only after the refusal)", async () => {
    const failed = conditionFailed();
    db.deleteItem.mockRejectedValue(failed);
    db.getItem.mockResolvedValueOnce({ Item: { item_id: ID, delete_token_sha256: "0".repeat(64) } }).mockResolvedValueOnce({ Item: { item_id: ID } }).mockResolvedValueOnce({});
    const wrong = await del({ "X-Delete-Token": TOKEN });
    expect([wrong.statusCode, JSON.parse(wrong.body).description]).toEqual([403, `the delete token does not match haiku ${ID}`]);
    const none = await del({ "X-Delete-Token": TOKEN });
    expect([none.statusCode, JSON.parse(none.body).description]).toEqual([403, expect.stringMatching(/has no delete token.*only an admin/)]);
    expect((await del({ "X-Delete-Token": TOKEN })).statusCode).toBe(404);
    expect(calls("getItem")[0]).toMatchObject({ Key: { item_id: ID }, ProjectionExpression: "#id, #hash" });
  });

  test("answers 400 naming the header for a malformed token", async () => {
    const res = await del({ "X-Delete-Token": "short" });
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body).description).toMatch(/X-Delete-Token/);
    expect(allCalls()).toHaveLength(0);
  });

  test("with OPEN_WRITES=true (the course's behaviour) deletes without a token, 404 for an unknown id", async () => {
    process.env.OPEN_WRITES = "true";
    db.deleteItem.mockResolvedValueOnce({}).mockRejectedValueOnce(conditionFailed());
    expect((await del()).statusCode).toBe(204);
    expect(calls("deleteItem")[0].ConditionExpression).toBe("attribute_exists(item_id)");
    expect((await del()).statusCode).toBe(404);
  });
});

describe("DELETE /admin/haiku/{item_id} handler", () => {
  const admin = (userArn: string | null, id = ID) =>
    makeAdminDeleteHandler(provider)(event({ pathParameters: { item_id: id }, requestContext: { identity: { userArn } } as unknown as APIGatewayProxyEvent["requestContext"] }));

  test("deletes any haiku for an IAM caller, logging who", async () => {
    db.deleteItem.mockResolvedValue({});
    const log = jest.spyOn(console, "log").mockImplementation(() => undefined);
    expect((await admin("arn:aws:iam::123456789012:user/ops")).statusCode).toBe(204);
    expect(log.mock.calls[0][0]).toContain("arn:aws:iam::123456789012:user/ops");
    log.mockRestore();
    expect(calls("deleteItem")[0]).toEqual({ TableName: "haiku-table", Key: { item_id: ID }, ConditionExpression: "attribute_exists(item_id)" });
  });

  test("deletes items other tools wrote with other id shapes", async () => {
    db.deleteItem.mockResolvedValue({});
    jest.spyOn(console, "log").mockImplementationOnce(() => undefined);
    expect((await admin("arn:aws:iam::123456789012:user/ops", "fixture-1")).statusCode).toBe(204);
  });

  test("refuses a request API Gateway did not authenticate with IAM (defence in depth)", async () => {
    const res = await admin(null);
    expect(res.statusCode).toBe(403);
    expect(JSON.parse(res.body).description).toMatch(/signed with IAM/);
    expect(allCalls()).toHaveLength(0);
  });
});

describe("validation and cursors", () => {
  test("counts characters, not UTF-16 units, so a 64-character Japanese line with emoji passes", () => {
    const line = "古".repeat(63) + "🐸";
    expect(parseNewHaiku({ body: JSON.stringify({ ...HAIKU, first: line }), isBase64Encoded: false }).first).toBe(line);
    expect(() => parseNewHaiku({ body: JSON.stringify({ ...HAIKU, first: line + "x" }), isBase64Encoded: false })).toThrow(/first must be at most 64/);
  });

  test("names the limit and its value in the error", () => {
    expect(() => parseLimit({ limit: "500" })).toThrow(/limit \(500\)/);
    expect(parseLimit(undefined)).toBe(HAIKU_LIMITS.pageDefault);
  });

  test("round-trips a cursor and rejects a tampered one", () => {
    const key = { item_id: ID };
    const cursor = encodeCursor(key);
    expect(decodeCursor(cursor)).toEqual(key);
    expect(() => decodeCursor(cursor.slice(0, -2))).toThrow(/cursor/);
    // a key the API never handed out: right shape, signed with another secret
    expect(() => decodeCursor(encodeCursor(key, "another-secret"))).toThrow(/cursor this API issued/);
    expect(decodeCursor(encodeCursor(key, "s3cret"), "s3cret")).toEqual(key);
    // another item's signature on this key
    const other = encodeCursor({ item_id: "f".repeat(32) });
    expect(() => decodeCursor(`${cursor.split(".")[0]}.${other.split(".")[1]}`)).toThrow(/cursor this API issued/);
    // keys other tools wrote (any string) round-trip too
    expect(decodeCursor(encodeCursor({ item_id: "fixture/1 é" }))).toEqual({ item_id: "fixture/1 é" });
  });

  test("refuses cursors of the earlier index design (signed over <created_at>#<item_id>)", () => {
    const crypto = require("crypto") as typeof import("crypto");
    const sk = `2026-01-01T00:00:00.000Z#${ID}`;
    const old = `${Buffer.from(sk).toString("base64url")}.${crypto.createHmac("sha256", "s").update(sk).digest().subarray(0, 16).toString("base64url")}`;
    expect(() => decodeCursor(old, "s")).toThrow(/cursor this API issued/);
  });

  const post = (fields: Record<string, string>) => () => parseNewHaiku({ body: JSON.stringify({ ...HAIKU, ...fields }), isBase64Encoded: false });

  test.each([
    ["a NUL", "first", "fu\u0000ruike", /first must not contain control characters \(U\+0000 at index 2\)/],
    ["a newline inside", "second", "kawazu\ntobikomu", /second must not contain control characters \(U\+000A/],
    ["an escape sequence", "third", "\u001b[31mred", /third must not contain control characters \(U\+001B/],
    ["DEL", "username", "ba\u007fsho", /username must not contain control characters \(U\+007F/],
    ["a C1 control", "first", "a\u0085b", /first must not contain control characters \(U\+0085/],
    ["a lone high surrogate", "first", "frog \ud83d", /first contains an unpaired surrogate \(U\+D83D/],
    ["a lone low surrogate", "username", "\udc38basho", /username contains an unpaired surrogate \(U\+DC38/],
    ["only zero-width characters", "second", "\u200b\u200c\u200d\u2060\ufeff", /second must contain at least one visible character/],
    ["only Hangul fillers and a variation selector", "third", "\u3164\u115f\ufe0f", /third must contain at least one visible character/],
    ["only combining marks and bidi marks", "username", "\u0301\u200e\u202e", /username must contain at least one visible character/],
    ["only braille blanks", "first", "\u2800\u2800", /first must contain at least one visible character/],
  ])("rejects a field with %s, naming the field", (_name, field, value, message) => {
    expect(post({ [field]: value })).toThrow(message);
  });

  test("accepts real text: Japanese, emoji with joiners and variation selectors, accents, edge tabs (trimmed)", () => {
    const h = parseNewHaiku({ body: JSON.stringify({ username: "\tbashō ", first: "古池や", second: "👨‍👩‍👧 ❤️", third: "e\u0301te\u0301" }), isBase64Encoded: false });
    expect(h).toEqual({ username: "bashō", first: "古池や", second: "👨‍👩‍👧 ❤️", third: "e\u0301te\u0301" });
  });

  test("reads the delete token header in any case, and names it when malformed", () => {
    const t = "abcdefghijABCDEFGHIJ0123456789-_abcdefghijk";
    expect(parseDeleteToken({ "x-delete-token": t })).toBe(t);
    expect(parseDeleteToken({ "X-DELETE-TOKEN": t })).toBe(t);
    expect(parseDeleteToken({ other: "1" })).toBeUndefined();
    expect(parseDeleteToken(null)).toBeUndefined();
    expect(() => parseDeleteToken({ "X-Delete-Token": `${t}=` })).toThrow(/X-Delete-Token must be the 43-character delete_token/);
  });
});

describe("route table", () => {
  test("has one route per method and path, each with its own entry and least-privilege actions", () => {
    expect(HAIKU_ROUTES.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /haiku", "POST /haiku", "PATCH /haiku/{item_id}", "DELETE /haiku/{item_id}", "DELETE /admin/haiku/{item_id}"]);
    expect(new Set(HAIKU_ROUTES.map((r) => r.entry)).size).toBe(5);
    expect(Object.fromEntries(HAIKU_ROUTES.map((r) => [r.id, r.tableActions]))).toEqual({
      list: ["dynamodb:Scan"],
      create: ["dynamodb:PutItem"],
      like: ["dynamodb:UpdateItem"],
      delete: ["dynamodb:DeleteItem", "dynamodb:GetItem"],
      adminDelete: ["dynamodb:DeleteItem"],
    });
  });

  test("signs only the admin route with IAM, and throttles exactly the writes anyone can repeat", () => {
    expect(HAIKU_ROUTES.filter((r) => r.authorization === "AWS_IAM").map((r) => r.id)).toEqual(["adminDelete"]);
    expect(HAIKU_ROUTES.filter((r) => r.writeThrottled).map((r) => `${r.method} ${r.path}`)).toEqual(["POST /haiku", "PATCH /haiku/{item_id}"]);
  });

  test("matches paths with parameters and reports the allowed methods otherwise", () => {
    expect(matchRoute("PATCH", `/haiku/${ID}`)).toMatchObject({ route: { id: "like" }, pathParameters: { item_id: ID } });
    expect(matchRoute("PUT", "/haiku")).toEqual({ methodNotAllowed: ["GET", "POST"] });
    expect(matchRoute("GET", "/nope")).toBeUndefined();
  });
});
