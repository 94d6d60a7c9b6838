/**
 * `ddb`: fill and query the simple-dynamodb stack's table
 * (docs/simple-dynamodb.md), the course's `batch_rw TABLE write N` /
 * `batch_rw TABLE search_under_age A` rebuilt.
 *
 *   npm run cli -- ddb write [table] <n>
 *   npm run cli -- ddb search-under-age [table] <age>
 *
 * [table] defaults to the TableName output of the deployed simple-dynamodb stack.
 */
import { randomUUID } from "crypto";
import { Command, Option } from "commander";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { BatchWriteCommand, BatchWriteCommandOutput, DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { CliEnv } from "./lib/env";
import { action, nameAndCount, parseNumber, parsePositiveInt } from "./lib/errors";
import { nameOrOutput, regionFor } from "./lib/outputs";
import { backoffDelay, runPool, sleep as realSleep } from "./lib/pool";
import { startProgress } from "./lib/progress";

export const DDB_STACK = "simple-dynamodb";
/** BatchWriteItem takes at most 25 put/delete requests. */
export const BATCH_SIZE = 25;
/** Batches in flight at once (an on-demand table absorbs this easily). */
export const DEFAULT_CONCURRENCY = 4;
/** Retries of UnprocessedItems before giving up on a batch. */
export const MAX_RETRIES = 10;
export const MAX_ITEMS = 1_000_000;

const FIRST_NAMES = [
  "Aiko",
  "Ben",
  "Chen",
  "Daria",
  "Emeka",
  "Fatima",
  "Goro",
  "Hana",
  "Ivan",
  "Jun",
  "Kenji",
  "Lena",
  "Mai",
  "Noah",
  "Olga",
  "Priya",
  "Ren",
  "Sara",
  "Taro",
  "Yuki",
];
const LAST_NAMES = [
  "Abe",
  "Brown",
  "Chen",
  "Dubois",
  "Endo",
  "Fujita",
  "Garcia",
  "Hayashi",
  "Ito",
  "Jones",
  "Kato",
  "Lopez",
  "Mori",
  "Nakamura",
  "Ogawa",
  "Sato",
  "Suzuki",
  "Tanaka",
  "Ueda",
  "Watanabe",
];

export type Person = {
  readonly item_id: string;
  readonly first_name: string;
  readonly last_name: string;
  /** 1..50 */
  readonly age: number;
};

/** A random item like the course's: uuid, first/last name, age 1..50. */
export function randomPerson(random: () => number = Math.random, id: () => string = randomUUID): Person {
  const pick = <T>(list: readonly T[]) => list[Math.min(list.length - 1, Math.floor(random() * list.length))];
  return { item_id: id(), first_name: pick(FIRST_NAMES), last_name: pick(LAST_NAMES), age: 1 + Math.min(49, Math.floor(random() * 50)) };
}

export interface WriteOptions {
  readonly concurrency?: number;
  readonly maxRetries?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  /** After each item the table accepted. */
  readonly onWritten?: (count: number) => void;
  /** After each retry of unprocessed items. */
  readonly onRetry?: (attempt: number, unprocessed: number) => void;
}

export interface WriteSummary {
  readonly written: number;
  readonly batches: number;
  readonly retries: number;
  readonly seconds: number;
}

/**
 * Writes `items` with BatchWriteItem, 25 per call, retrying the
 * `UnprocessedItems` of each call with full-jitter exponential backoff.
 * Throws when a batch still has unprocessed items after `maxRetries`.
 */
export async function writeItems(
  db: DynamoDBDocumentClient,
  table: string,
  items: readonly Record<string, unknown>[],
  options: WriteOptions = {}
): Promise<WriteSummary> {
  const started = performance.now();
  const sleep = options.sleep ?? realSleep;
  const maxRetries = options.maxRetries ?? MAX_RETRIES;
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += BATCH_SIZE) batches.push(items.slice(i, i + BATCH_SIZE));
  let written = 0;
  let retries = 0;
  const settled = await runPool(batches.length, options.concurrency ?? DEFAULT_CONCURRENCY, async (b) => {
    let requests = batches[b].map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; ; attempt++) {
      const result: BatchWriteCommandOutput = await db.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
      const unprocessed = (result.UnprocessedItems?.[table] ?? []) as typeof requests;
      const done = requests.length - unprocessed.length;
      written += done;
      if (done) options.onWritten?.(done);
      if (unprocessed.length === 0) return;
      if (attempt >= maxRetries) {
        throw new Error(`${unprocessed.length} item(s) still unprocessed after ${maxRetries} retries (the table is throttling; try a lower --concurrency)`);
      }
      retries++;
      options.onRetry?.(attempt + 1, unprocessed.length);
      await sleep(backoffDelay(attempt, { random: options.random }));
      requests = unprocessed;
    }
  });
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failure) throw failure.reason;
  return { written, batches: batches.length, retries, seconds: (performance.now() - started) / 1000 };
}

export interface SearchResult {
  readonly items: Record<string, unknown>[];
  readonly pages: number;
  readonly scanned: number;
}

/**
 * Every item with `age <= maxAge`, following `LastEvaluatedKey` page by page
 * (one Scan page is at most 1 MB, or `pageSize` items). A Scan reads (and
 * bills) the whole table; fine for the course's table, a Query on an index for big ones.
 */
export async function searchUnderAge(
  db: DynamoDBDocumentClient,
  table: string,
  maxAge: number,
  pageSize?: number,
  onPage?: (scanned: number) => void
): Promise<SearchResult> {
  const items: Record<string, unknown>[] = [];
  let pages = 0;
  let scanned = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({
        TableName: table,
        FilterExpression: "#age <= :age",
        ExpressionAttributeNames: { "#age": "age" },
        ExpressionAttributeValues: { ":age": maxAge },
        ExclusiveStartKey: startKey,
        Limit: pageSize,
      })
    );
    pages++;
    scanned += page.ScannedCount ?? 0;
    items.push(...(page.Items ?? []));
    onPage?.(page.ScannedCount ?? 0);
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  items.sort((a, b) => Number(a.age) - Number(b.age) || String(a.item_id).localeCompare(String(b.item_id)));
  return { items, pages, scanned };
}

export interface DdbClientOptions {
  readonly region?: string;
  /** e.g. http://127.0.0.1:8000 for `npm run local:dynamodb` (dummy credentials, any region). */
  readonly endpoint?: string;
}

export interface DdbCommandEnv extends CliEnv {
  readonly makeDocumentClient?: (options: DdbClientOptions) => DynamoDBDocumentClient;
}

/** An endpoint on this machine: `npm run local:dynamodb`, the dev server's dynalite, DynamoDB Local. */
export function isLocalEndpoint(endpoint: string | undefined): boolean {
  return endpoint !== undefined && /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/i.test(endpoint);
}

/** Credentials for a local DynamoDB, which checks none: your real ones are not needed (nor sent). */
export const LOCAL_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };

export function defaultDocumentClient(options: DdbClientOptions): DynamoDBDocumentClient {
  const local = isLocalEndpoint(options.endpoint);
  return DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: options.region ?? (local ? "ap-northeast-1" : undefined),
      endpoint: options.endpoint,
      ...(local ? { credentials: LOCAL_CREDENTIALS } : {}),
    }),
  );
}

/** Adds `ddb write | search-under-age` to the program. */
export function registerDdb(program: Command, env: DdbCommandEnv): Command {
  const makeClient = env.makeDocumentClient ?? defaultDocumentClient;
  const tableName = (given: string | undefined, command: string) =>
    nameOrOutput(env.readOutputs, given, DDB_STACK, "TableName", `pass the table name: ddb ${command}`);
  const ddb = program.command("ddb").description(`write to and search the ${DDB_STACK} stack's table`);
  const shared = (c: Command) =>
    c
      .addOption(new Option("--region <region>", `AWS region (default: AWS_REGION, else the ${DDB_STACK} stack's region)`))
      .addOption(new Option("--endpoint <url>", "DynamoDB endpoint, e.g. http://127.0.0.1:8000 for npm run local:dynamodb (no AWS credentials needed)"));

  shared(ddb.command("write"))
    .description("write n random items (item_id, first_name, last_name, age 1..50) with BatchWriteItem, 25 per call")
    .usage("[options] [table] <n>")
    .argument("[table]", `table name (default: the ${DDB_STACK} stack's TableName output)`)
    .argument("[n]", "number of items")
    .option("--concurrency <c>", "batches in flight at once", String(DEFAULT_CONCURRENCY))
    .action(
      action(env, async (first: string | undefined, second: string | undefined, opts: { concurrency: string; region?: string; endpoint?: string }) => {
        const { name, raw } = nameAndCount(first, second, "n");
        const n = parsePositiveInt(raw, "n", MAX_ITEMS);
        const concurrency = parsePositiveInt(opts.concurrency, "--concurrency", 100);
        const table = await tableName(name, "write <table> <n>");
        const db = makeClient({ region: regionFor(opts.region, env.stackRegion?.(DDB_STACK)), endpoint: opts.endpoint });
        const items = Array.from({ length: n }, () => randomPerson());
        const counts = { retries: 0 };
        const bar = startProgress(env.progress, n, "{value}/{total} items | {retries} retries", counts);
        const summary = await writeItems(db, table, items, {
          concurrency,
          onWritten: (k) => bar.increment(k, counts),
          onRetry: () => {
            counts.retries++;
          },
        }).finally(() => bar.stop());
        env.out(
          `${summary.written} items written to ${table} in ${summary.batches} batches (${
            summary.retries
          } retries of unprocessed items) in ${summary.seconds.toFixed(2)} s`
        );
      })
    );

  shared(ddb.command("search-under-age"))
    .description("list the items with age <= <age> (paged Scan with a filter); prints them and their count")
    .usage("[options] [table] <age>")
    .argument("[table]", `table name (default: the ${DDB_STACK} stack's TableName output)`)
    .argument("[age]", "largest age to list")
    .option("--page-size <k>", "items read per Scan page (default: up to 1 MB per page)")
    .option("--json", "print items as JSON lines")
    .action(
      action(
        env,
        async (first: string | undefined, second: string | undefined, opts: { pageSize?: string; json?: boolean; region?: string; endpoint?: string }) => {
          const { name, raw } = nameAndCount(first, second, "age");
          const age = parseNumber(raw, "age");
          const pageSize = opts.pageSize === undefined ? undefined : parsePositiveInt(opts.pageSize, "--page-size");
          const table = await tableName(name, "search-under-age <table> <age>");
          const db = makeClient({ region: regionFor(opts.region, env.stackRegion?.(DDB_STACK)), endpoint: opts.endpoint });
          let scanned = 0;
          const result = await searchUnderAge(db, table, age, pageSize, (k) => {
            scanned += k;
            if (env.progress) process.stderr.write(`\r  ${scanned} items scanned`);
          });
          if (env.progress && scanned) process.stderr.write("\n");
          for (const item of result.items) {
            env.out(
              opts.json
                ? JSON.stringify(item)
                : `${String(item.age).padStart(3)}  ${String(item.first_name ?? "")} ${String(item.last_name ?? "")}  ${String(item.item_id)}`
            );
          }
          env.out(`${result.items.length} item(s) with age <= ${age} (scanned ${result.scanned} in ${result.pages} page(s))`);
        }
      )
    );
  return ddb;
}
