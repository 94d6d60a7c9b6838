import { DynamoDB } from "../../../../lambdas/lib/aws/dynamodb";
import { marshallMap, marshallValue, unmarshallMap } from "../../../../lambdas/lib/aws/marshall";
import { Dynalite, createTable, startDynalite } from "../../../../tools/local-dynamodb";
import { StubServer, startStub } from "./stub-server";

const CREDENTIALS = { accessKeyId: "x", secretAccessKey: "x" };

describe("lib/aws marshall: plain values <-> DynamoDB JSON, as lib-dynamodb does", () => {
  test("numbers go as decimal strings, undefined members are left out, nested lists and maps keep their shape", () => {
    expect(
      marshallMap({ s: "古池や", empty: "", n: 0, neg: -1.5, big: 12345678901234567890n, t: true, nil: null, gone: undefined, l: [1, "a", undefined, [false]], m: { a: { b: 2 } }, bin: Buffer.from("hi") }),
    ).toEqual({
      s: { S: "古池や" },
      empty: { S: "" },
      n: { N: "0" },
      neg: { N: "-1.5" },
      big: { N: "12345678901234567890" },
      t: { BOOL: true },
      nil: { NULL: true },
      l: { L: [{ N: "1" }, { S: "a" }, { L: [{ BOOL: false }] }] },
      m: { M: { a: { M: { b: { N: "2" } } } } },
      bin: { B: "aGk=" },
    });
  });

  test("reads every type back, sets and large integers included", () => {
    expect(
      unmarshallMap({
        n: { N: "42" },
        f: { N: "-0.25" },
        huge: { N: "123456789012345678901" },
        ss: { SS: ["a", "b"] },
        ns: { NS: ["1", "2"] },
        bs: { BS: ["aGk="] },
        b: { B: "aGk=" },
        l: { L: [{ NULL: true }, { M: { x: { S: "y" } } }] },
      }),
    ).toEqual({ n: 42, f: -0.25, huge: 123456789012345678901n, ss: new Set(["a", "b"]), ns: new Set([1, 2]), bs: new Set([new Uint8Array([104, 105])]), b: new Uint8Array([104, 105]), l: [null, { x: "y" }] });
  });

  test.each([
    [NaN, /item\.v \(NaN\) is not a number/],
    [Infinity, /is not a number DynamoDB can store/],
    [2 ** 60, /beyond Number.MAX_SAFE_INTEGER: pass a bigint/],
    [new Date(0), /item\.v is a Date/],
    [new Set(["a"]), /item\.v is a Set/],
    [() => 1, /function\) cannot be stored/],
  ])("refuses %p as the SDK does", (v, message) => {
    expect(() => marshallMap({ v })).toThrow(message);
  });

  test("a round trip is the identity for what the haiku table holds", () => {
    const item = { item_id: "0123456789abcdef0123456789abcdef", username: "basho", first: "a", second: "b", third: "c", likes: 7, created_at: "2026-01-01T00:00:00.000Z" };
    expect(unmarshallMap(marshallMap(item))).toEqual(item);
    expect(marshallValue(["x"])).toEqual({ L: [{ S: "x" }] });
  });
});

describe("lib/aws DynamoDB: the JSON 1.0 wire format", () => {
  let stub: StubServer;
  let db: DynamoDB;
  beforeAll(async () => {
    stub = await startStub(() => ({ body: '{"Attributes":{"likes":{"N":"3"}}}' }));
    db = new DynamoDB({ endpoint: stub.url, region: "ap-northeast-1", credentials: CREDENTIALS });
  });
  afterAll(async () => {
    db.destroy();
    await stub.close();
  });

  test("POST / with X-Amz-Target DynamoDB_20120810.<Op>, application/x-amz-json-1.0, the input marshalled, the output unmarshalled", async () => {
    const out = await db.updateItem({
      TableName: "haiku",
      Key: { item_id: "abc" },
      UpdateExpression: "ADD likes :one",
      ConditionExpression: "attribute_exists(item_id)",
      ExpressionAttributeValues: { ":one": 1 },
      ReturnValues: "UPDATED_NEW",
    });
    expect(out).toEqual({ Attributes: { likes: 3 } });
    const [req] = stub.requests;
    expect([req.method, req.path, req.headers["x-amz-target"], req.headers["content-type"]]).toEqual(["POST", "/", "DynamoDB_20120810.UpdateItem", "application/x-amz-json-1.0"]);
    expect(JSON.parse(req.body)).toEqual({
      TableName: "haiku",
      Key: { item_id: { S: "abc" } },
      UpdateExpression: "ADD likes :one",
      ConditionExpression: "attribute_exists(item_id)",
      ExpressionAttributeValues: { ":one": { N: "1" } },
      ReturnValues: "UPDATED_NEW",
    });
    expect(req.headers.authorization).toMatch(/SignedHeaders=content-length;content-type;host;x-amz-content-sha256;x-amz-date;x-amz-target, /);
  });
});

describe("lib/aws DynamoDB against dynalite", () => {
  let local: Dynalite;
  let db: DynamoDB;
  const TableName = "lib-aws-test";
  beforeAll(async () => {
    local = await startDynalite();
    await createTable(local.client, { TableName, BillingMode: "PAY_PER_REQUEST", AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }], KeySchema: [{ AttributeName: "id", KeyType: "HASH" }] });
    db = new DynamoDB({ endpoint: local.endpoint, region: "ap-northeast-1", credentials: CREDENTIALS });
  });
  afterAll(async () => {
    db.destroy();
    await local.stop();
  });

  test("PutItem, GetItem (projection), UpdateItem ADD, Scan pages, DeleteItem: every value type comes back as written", async () => {
    const item = { id: "a", text: "古池や 🐸", n: 1.5, likes: 0, ok: true, nothing: null, list: [1, "x", { deep: [true] }], map: { k: "v" } };
    await db.putItem({ TableName, Item: { ...item, skipped: undefined }, ConditionExpression: "attribute_not_exists(id)" });
    expect((await db.getItem({ TableName, Key: { id: "a" } })).Item).toEqual(item);
    expect(await db.getItem({ TableName, Key: { id: "a" }, ProjectionExpression: "#t", ExpressionAttributeNames: { "#t": "text" } })).toEqual({ Item: { text: "古池や 🐸" } });
    expect(await db.getItem({ TableName, Key: { id: "missing" } })).toEqual({});

    const liked = await db.updateItem({ TableName, Key: { id: "a" }, UpdateExpression: "ADD likes :one", ExpressionAttributeValues: { ":one": 1 }, ReturnValues: "UPDATED_NEW" });
    expect(liked).toEqual({ Attributes: { likes: 1 } });

    await db.putItem({ TableName, Item: { id: "b" } });
    await db.putItem({ TableName, Item: { id: "c" } });
    const first = await db.scan({ TableName, Limit: 2, ProjectionExpression: "id" });
    expect(first.Items).toHaveLength(2);
    expect(first.LastEvaluatedKey).toEqual({ id: first.Items![1].id });
    const rest = await db.scan({ TableName, ExclusiveStartKey: first.LastEvaluatedKey, ProjectionExpression: "id" });
    expect([...first.Items!, ...rest.Items!].map((i) => i.id).sort()).toEqual(["a", "b", "c"]);

    await db.deleteItem({ TableName, Key: { id: "a" }, ConditionExpression: "attribute_exists(id)" });
    expect(await db.getItem({ TableName, Key: { id: "a" } })).toEqual({});
  });

  test("a failed condition is an Error named ConditionalCheckFailedException with status 400, not retried", async () => {
    const err = await db.deleteItem({ TableName, Key: { id: "never" }, ConditionExpression: "attribute_exists(id)" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ name: "ConditionalCheckFailedException", message: expect.stringMatching(/conditional request failed/i), $metadata: { httpStatusCode: 400, attempts: 1 } });
  });

  test("a validation error names itself too (ValidationException), and a missing table ResourceNotFoundException", async () => {
    await expect(db.putItem({ TableName, Item: { id: 1 } })).rejects.toMatchObject({ name: "ValidationException", statusCode: 400 });
    await expect(db.getItem({ TableName: "no-such-table", Key: { id: "a" } })).rejects.toMatchObject({ name: "ResourceNotFoundException" });
  });
});
