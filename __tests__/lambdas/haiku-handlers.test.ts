import { mockClient } from "aws-sdk-client-mock";
import { ConditionalCheckFailedException, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, QueryCommand, ScanCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { APIGatewayProxyEvent } from "aws-lambda";
import { makeCreateHandler, makeDeleteHandler, makeLikeHandler, makeListHandler } from "../../lambdas/haiku/handlers";
import { HaikuRepository } from "../../lambdas/haiku/repository";
import { decodeCursor, encodeCursor } from "../../lambdas/haiku/cursor";
import { parseLimit, parseNewHaiku } from "../../lambdas/haiku/validation";
import { HAIKU_LIMITS, HAIKU_ROUTES, matchRoute } from "../../lambdas/haiku/routes";

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: "ap-northeast-1", credentials: { accessKeyId: "x", secretAccessKey: "x" } }));
const ddb = mockClient(doc);
const repo = new HaikuRepository(doc, "haiku-table");
const provider = () => repo;
const ID = "0123456789abcdef0123456789abcdef";
const HAIKU = { username: "basho", first: "a", second: "b", third: "c" };

function event(partial: Partial<APIGatewayProxyEvent>): APIGatewayProxyEvent {
  return { body: null, isBase64Encoded: false, queryStringParameters: null, pathParameters: null, ...partial } as APIGatewayProxyEvent;
}

beforeEach(() => ddb.reset());

describe("GET /haiku handler", () => {
  test("reads one page with a Query on the creation-time index, newest first, never a Scan", async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    const res = await makeListHandler(provider)(event({ queryStringParameters: { limit: "10" } }));
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toEqual([]);
    const input = ddb.commandCalls(QueryCommand)[0].args[0].input;
    expect(input).toMatchObject({ TableName: "haiku-table", IndexName: "by_created_at", ScanIndexForward: false, Limit: 11 });
    expect(ddb.commandCalls(ScanCommand)).toHaveLength(0);
  });

  test("returns X-Next-Cursor only when an item exists beyond the page", async () => {
    const items = [3, 2, 1].map((n) => ({ ...HAIKU, item_id: `${n}`.repeat(32), likes: 0, created_at: `2026-01-0${n}T00:00:00.000Z`, gsi_pk: "haiku", gsi_sk: `2026-01-0${n}T00:00:00.000Z#${`${n}`.repeat(32)}` }));
    ddb.on(QueryCommand).resolves({ Items: items });
    const res = await makeListHandler(provider)(event({ queryStringParameters: { limit: "2" } }));
    const body = JSON.parse(res.body);
    expect(body).toHaveLength(2);
    expect(body[0]).not.toHaveProperty("gsi_pk");
    expect(decodeCursor(res.headers!["X-Next-Cursor"] as string)).toEqual({ item_id: "2".repeat(32), gsi_pk: "haiku", gsi_sk: items[1].gsi_sk });
  });

  test("hides DynamoDB failures behind a generic 500 JSON", async () => {
    ddb.on(QueryCommand).rejects(new Error("secret internals"));
    const spy = jest.spyOn(console, "error").mockImplementation(() => undefined);
    const res = await makeListHandler(provider)(event({}));
    spy.mockRestore();
    expect(res.statusCode).toBe(500);
    expect(JSON.parse(res.body)).toEqual({ description: "Internal server error" });
    expect(res.headers!["Access-Control-Allow-Origin"]).toBe("*");
  });
});

describe("POST /haiku handler", () => {
  test("stores the trimmed haiku with likes 0, a hex id, an ISO time and the index keys", async () => {
    ddb.on(PutCommand).resolves({});
    const res = await makeCreateHandler(provider)(event({ body: JSON.stringify({ ...HAIKU, username: " basho " }) }));
    expect(res.statusCode).toBe(201);
    expect(JSON.parse(res.body)).toEqual({ description: "Successfully added a new haiku" });
    const input = ddb.commandCalls(PutCommand)[0].args[0].input;
    const item = input.Item!;
    expect(item).toMatchObject({ ...HAIKU, likes: 0, gsi_pk: "haiku" });
    expect(item.item_id).toMatch(/^[0-9a-f]{32}$/);
    expect(item.gsi_sk).toBe(`${item.created_at}#${item.item_id}`);
    expect(input.ConditionExpression).toBe("attribute_not_exists(item_id)");
  });

  test("accepts a base64-encoded body", async () => {
    ddb.on(PutCommand).resolves({});
    const res = await makeCreateHandler(provider)(event({ body: Buffer.from(JSON.stringify(HAIKU)).toString("base64"), isBase64Encoded: true }));
    expect(res.statusCode).toBe(201);
  });

  test("writes nothing for an invalid body", async () => {
    const res = await makeCreateHandler(provider)(event({ body: JSON.stringify({ ...HAIKU, extra: 1 }) }));
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body).description).toMatch(/extra/);
    expect(ddb.calls()).toHaveLength(0);
  });
});

describe("PATCH /haiku/{item_id} handler", () => {
  test("adds one like atomically with ADD, conditional on the item existing", async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: { likes: 5 } });
    const res = await makeLikeHandler(provider)(event({ pathParameters: { item_id: ID } }));
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ item_id: ID, likes: 5 });
    expect(ddb.commandCalls(UpdateCommand)[0].args[0].input).toMatchObject({
      Key: { item_id: ID },
      UpdateExpression: "ADD likes :one",
      ConditionExpression: "attribute_exists(item_id)",
    });
  });

  test("answers 404 when the condition fails", async () => {
    ddb.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: "failed", $metadata: {} }));
    const res = await makeLikeHandler(provider)(event({ pathParameters: { item_id: ID } }));
    expect(res.statusCode).toBe(404);
    expect(JSON.parse(res.body).description).toContain(ID);
  });
});

describe("DELETE /haiku/{item_id} handler", () => {
  test("deletes conditionally and answers 204", async () => {
    ddb.on(DeleteCommand).resolves({});
    const res = await makeDeleteHandler(provider)(event({ pathParameters: { item_id: ID } }));
    expect(res.statusCode).toBe(204);
    expect(ddb.commandCalls(DeleteCommand)[0].args[0].input.ConditionExpression).toBe("attribute_exists(item_id)");
  });

  test("answers 404 for an unknown id", async () => {
    ddb.on(DeleteCommand).rejects(new ConditionalCheckFailedException({ message: "failed", $metadata: {} }));
    expect((await makeDeleteHandler(provider)(event({ pathParameters: { item_id: ID } }))).statusCode).toBe(404);
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
    const key = { item_id: ID, gsi_pk: "haiku", gsi_sk: `2026-01-01T00:00:00.000Z#${ID}` };
    const cursor = encodeCursor(key);
    expect(decodeCursor(cursor)).toEqual(key);
    expect(() => decodeCursor(cursor.slice(0, -2))).toThrow(/cursor/);
    // a key the API never handed out: right shape, signed with another secret
    expect(() => decodeCursor(encodeCursor(key, "another-secret"))).toThrow(/cursor this API issued/);
    expect(decodeCursor(encodeCursor(key, "s3cret"), "s3cret")).toEqual(key);
    expect(() => decodeCursor(Buffer.from(`2026-01-01T00:00:00.000Z#${ID}`.replace("#", "!")).toString("base64url"))).toThrow(/cursor/);
  });
});

describe("route table", () => {
  test("has one route per method and path, each with its own entry and least-privilege actions", () => {
    expect(HAIKU_ROUTES.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /haiku", "POST /haiku", "PATCH /haiku/{item_id}", "DELETE /haiku/{item_id}"]);
    expect(new Set(HAIKU_ROUTES.map((r) => r.entry)).size).toBe(4);
    expect(Object.fromEntries(HAIKU_ROUTES.map((r) => [r.id, r.tableActions]))).toEqual({
      list: ["dynamodb:Query"],
      create: ["dynamodb:PutItem"],
      like: ["dynamodb:UpdateItem"],
      delete: ["dynamodb:DeleteItem"],
    });
  });

  test("matches paths with parameters and reports the allowed methods otherwise", () => {
    expect(matchRoute("PATCH", `/haiku/${ID}`)).toMatchObject({ route: { id: "like" }, pathParameters: { item_id: ID } });
    expect(matchRoute("PUT", "/haiku")).toEqual({ methodNotAllowed: ["GET", "POST"] });
    expect(matchRoute("GET", "/nope")).toBeUndefined();
  });
});
