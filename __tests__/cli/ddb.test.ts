import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { main } from "../../cli/index";
import { BATCH_SIZE, randomPerson, writeItems } from "../../cli/ddb";
import { createTable, Dynalite, startDynalite } from "../../tools/local-dynamodb";

const credentials = { accessKeyId: "test", secretAccessKey: "test" };
let dynamo: Dynalite;
let endpoint: string;
let db: DynamoDBDocumentClient;
let tableCounter = 0;

beforeAll(async () => {
  dynamo = await startDynalite();
  endpoint = dynamo.endpoint;
  db = DynamoDBDocumentClient.from(dynamo.client);
});

afterAll(async () => {
  await dynamo.stop();
});

/** A fresh table like the simple-dynamodb stack's: item_id (S), on demand, ACTIVE. */
async function newTable(): Promise<string> {
  const name = `people-${++tableCounter}`;
  await createTable(dynamo.client, {
    TableName: name,
    AttributeDefinitions: [{ AttributeName: "item_id", AttributeType: "S" }],
    KeySchema: [{ AttributeName: "item_id", KeyType: "HASH" }],
    BillingMode: "PAY_PER_REQUEST",
  });
  return name;
}

async function allItems(table: string): Promise<Record<string, any>[]> {
  const items: Record<string, any>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new ScanCommand({ TableName: table, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** Runs the CLI in-process against dynalite (through --endpoint), output captured. */
async function cli(argv: string[], outputs: Record<string, unknown> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main([...argv, "--endpoint", endpoint, "--region", "ap-northeast-1"], {
    out: (l: string) => out.push(l),
    err: (l: string) => err.push(l),
    progress: false,
    readOutputs: () => outputs,
    // the real client factory, with test credentials
    makeDocumentClient: (o: { region?: string; endpoint?: string }) =>
      DynamoDBDocumentClient.from(new DynamoDBClient({ region: o.region, endpoint: o.endpoint, credentials })),
  } as never);
  return { code, out, err };
}

describe("ddb write", () => {
  test("writes exactly 1000 random people (age 1..50) in batches of 25", async () => {
    const table = await newTable();
    const r = await cli(["ddb", "write", table, "1000"]);
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(new RegExp(`^1000 items written to ${table} in 40 batches`));
    const items = await allItems(table);
    expect(items).toHaveLength(1000);
    expect(new Set(items.map((i) => i.item_id)).size).toBe(1000);
    for (const i of items) {
      expect(Object.keys(i).sort()).toEqual(["age", "first_name", "item_id", "last_name"]);
      expect(Number.isInteger(i.age) && i.age >= 1 && i.age <= 50).toBe(true);
    }
  });

  test("defaults the table to the simple-dynamodb stack's TableName output", async () => {
    const table = await newTable();
    const r = await cli(["ddb", "write", "30"], { TableName: table });
    expect(r.code).toBe(0);
    expect(await allItems(table)).toHaveLength(30);
  });

  test("retries unprocessed items with backoff until all are written", async () => {
    const sent: number[] = [];
    const waits: number[] = [];
    let calls = 0;
    // A table that processes only the first 10 requests of each of the first three calls.
    const fake = {
      send: async (command: { input: { RequestItems: Record<string, unknown[]> } }) => {
        const requests = command.input.RequestItems.t;
        sent.push(requests.length);
        calls++;
        return calls <= 3 && requests.length > 10 ? { UnprocessedItems: { t: requests.slice(10) } } : { UnprocessedItems: {} };
      },
    } as unknown as DynamoDBDocumentClient;
    const items = Array.from({ length: 2 * BATCH_SIZE }, () => randomPerson());
    const summary = await writeItems(fake, "t", items, { concurrency: 1, sleep: async (ms) => void waits.push(ms), random: () => 0.999 });
    expect(summary).toMatchObject({ written: 50, batches: 2, retries: 2 });
    expect(sent).toEqual([25, 15, 5, 25]);
    // full-jitter exponential backoff: caps of 50, 100 ms for attempts 0, 1
    expect(waits).toEqual([49, 99]);
  });

  test("gives up on a batch that stays unprocessed and exits 1 with one line", async () => {
    const fake = { send: async (c: any) => ({ UnprocessedItems: { t: c.input.RequestItems.t } }) } as unknown as DynamoDBDocumentClient;
    await expect(writeItems(fake, "t", [randomPerson()], { maxRetries: 2, sleep: async () => undefined })).rejects.toThrow(
      /1 item\(s\) still unprocessed after 2 retries/
    );
  });

  test("reports a missing table as one AWS error line, exit 1", async () => {
    const r = await cli(["ddb", "write", "no-such-table", "3"]);
    expect(r.code).toBe(1);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(/^cli ddb write: ResourceNotFoundException: .*\(check the name and the region/);
  });
});

describe("ddb search-under-age", () => {
  test("lists exactly the people with age <= A across many Scan pages", async () => {
    const table = await newTable();
    const people = Array.from({ length: 120 }, (_, i) => ({ ...randomPerson(), age: (i % 50) + 1 }));
    await writeItems(db, table, people);
    const expected = people
      .filter((p) => p.age <= 20)
      .map((p) => p.item_id)
      .sort();

    const r = await cli(["ddb", "search-under-age", table, "20", "--page-size", "7", "--json"]);
    expect(r.code).toBe(0);
    const listed = r.out.slice(0, -1).map((l) => JSON.parse(l));
    expect(listed.map((p) => p.item_id).sort()).toEqual(expected);
    expect(listed.every((p) => p.age <= 20)).toBe(true);
    expect(r.out[r.out.length - 1]).toBe(`${expected.length} item(s) with age <= 20 (scanned 120 in 18 page(s))`);
  });

  test("prints one line per person, youngest first, and 0 when nobody matches", async () => {
    const table = await newTable();
    await writeItems(db, table, [
      { item_id: "b", first_name: "Hana", last_name: "Ito", age: 30 },
      { item_id: "a", first_name: "Ren", last_name: "Sato", age: 12 },
    ]);
    const r = await cli(["ddb", "search-under-age", "40"], { TableName: table });
    expect(r.out).toEqual([" 12  Ren Sato  a", " 30  Hana Ito  b", "2 item(s) with age <= 40 (scanned 2 in 1 page(s))"]);
    const none = await cli(["ddb", "search-under-age", table, "0"]);
    expect(none.out).toEqual(["0 item(s) with age <= 0 (scanned 2 in 1 page(s))"]);
  });

  test.each([
    [["ddb", "search-under-age"], /missing argument age/],
    [["ddb", "search-under-age", "t", "old"], /age \(old\) must be a number/],
    [["ddb", "write", "t", "0"], /n \(0\) must be a positive integer/],
    [["ddb", "write", "t", "2.5"], /n \(2.5\) must be a positive integer/],
    [["ddb", "write", "lots"], /n \(lots\) must be a positive integer/],
    [["ddb", "scan"], /unknown command 'scan'/],
  ])("usage error %j exits 2", async (argv, message) => {
    const r = await cli(argv);
    expect(r.code).toBe(2);
    expect(r.err.join("\n")).toMatch(message);
  });
});
