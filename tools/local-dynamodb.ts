/**
 * A local DynamoDB (dynalite) for the dev server, the API benchmark, the
 * tests and `npm run local:dynamodb` (every stack's tables on
 * 127.0.0.1:8000, for `npm run cli -- ddb ... --endpoint http://127.0.0.1:8000`).
 * One place starts it and creates tables, because dynalite answers
 * CreateTable while the table is still CREATING and refuses reads and
 * writes on it (ResourceNotFoundException) until a timer flips it to ACTIVE
 * - even with `createTableMs: 0`, under load. `createTable` therefore waits
 * for ACTIVE, as code against real DynamoDB must too.
 */
import * as fs from "fs";
import type { Server } from "http";
import * as os from "os";
import * as path from "path";
import type { AddressInfo } from "net";
import { quietSdkNodeVersionWarning } from "../cli/lib/node-warning";
import { CreateTableCommand, CreateTableCommandInput, DescribeTableCommand, DynamoDBClient, ResourceNotFoundException } from "@aws-sdk/client-dynamodb";

// dynalite ships no types; it returns a plain http.Server.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite: (options: Record<string, unknown>) => Server = require("dynalite");

export const LOCAL_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };

export interface Dynalite {
  /** `http://127.0.0.1:PORT` */
  readonly endpoint: string;
  /** A client for `endpoint` with dummy credentials (destroyed by `stop`). */
  readonly client: DynamoDBClient;
  stop(): Promise<void>;
}

export interface DynaliteOptions {
  /** Folder to keep data in between runs. @default in memory */
  readonly path?: string;
  /** Attempts per request of the built-in client. @default the SDK's (3) */
  readonly maxAttempts?: number;
  /** How long new tables stay CREATING. @default 0 (DynamoDB takes seconds) */
  readonly createTableMs?: number;
  /** Port on 127.0.0.1. @default 0 (any free port) */
  readonly port?: number;
}

/** Starts dynalite on 127.0.0.1 (any free port), tables created and deleted without delay. */
export async function startDynalite(options: DynaliteOptions = {}): Promise<Dynalite> {
  const server = dynalite({ createTableMs: options.createTableMs ?? 0, deleteTableMs: 0, updateTableMs: 0, ...(options.path ? { path: options.path } : {}) });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = localDynamoClient(endpoint, options.maxAttempts);
  return {
    endpoint,
    client,
    async stop() {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A client with dummy credentials for a local endpoint. */
export function localDynamoClient(endpoint: string, maxAttempts?: number): DynamoDBClient {
  quietSdkNodeVersionWarning(); // the first client of the dev server, the benchmark and local:dynamodb
  return new DynamoDBClient({ endpoint, region: "ap-northeast-1", credentials: LOCAL_CREDENTIALS, ...(maxAttempts ? { maxAttempts } : {}) });
}

/**
 * Creates the table unless it exists, and returns once it is ACTIVE.
 * Throws after `timeoutMs` naming the table and its last status.
 */
export async function createTable(client: DynamoDBClient, input: CreateTableCommandInput, timeoutMs = 10_000): Promise<void> {
  if ((await tableStatus(client, input.TableName!)) === undefined) await client.send(new CreateTableCommand(input));
  const deadline = Date.now() + timeoutMs;
  let status = await tableStatus(client, input.TableName!);
  while (status !== "ACTIVE") {
    if (Date.now() > deadline) throw new Error(`table ${input.TableName} is ${status ?? "missing"} after ${timeoutMs} ms, expected ACTIVE`);
    await new Promise((resolve) => setTimeout(resolve, 5));
    status = await tableStatus(client, input.TableName!);
  }
}

async function tableStatus(client: DynamoDBClient, tableName: string): Promise<string | undefined> {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    return Table?.TableStatus;
  } catch (err) {
    if (err instanceof ResourceNotFoundException) return undefined;
    throw err;
  }
}

/** `npm run local:dynamodb` listens here unless `--port` or LOCAL_DYNAMODB_PORT says otherwise (DynamoDB Local's port). */
export const DEFAULT_LOCAL_PORT = 8000;

/** One `aws_dynamodb_table` of a synthesized stack. */
export interface SynthesizedTable {
  readonly stack: string;
  /** `aws_dynamodb_table.<logical id>` */
  readonly address: string;
  readonly input: CreateTableCommandInput;
}

type TfKey = { name: string; type?: string };
type TfIndex = { name: string; hash_key: string; range_key?: string; projection_type?: string; non_key_attributes?: string[]; read_capacity?: number; write_capacity?: number };
type TfTable = {
  name?: string;
  hash_key: string;
  range_key?: string;
  attribute?: TfKey[];
  billing_mode?: string;
  read_capacity?: number;
  write_capacity?: number;
  global_secondary_index?: TfIndex[];
  local_secondary_index?: TfIndex[];
};

/**
 * CreateTable input of a synthesized `aws_dynamodb_table` (keys, attributes,
 * billing mode, capacities, indexes). What a local DynamoDB cannot hold is
 * left out: PITR, encryption, TTL, deletion protection, tags.
 */
export function createTableInput(table: TfTable): CreateTableCommandInput {
  if (!table.name || table.name.includes("${")) throw new Error(`table name (${table.name ?? "unset"}) is not known at synth`);
  const keys = (hash: string, range?: string) => [
    { AttributeName: hash, KeyType: "HASH" as const },
    ...(range ? [{ AttributeName: range, KeyType: "RANGE" as const }] : []),
  ];
  const provisioned = table.billing_mode === "PROVISIONED";
  const throughput = (r?: number, w?: number) => (provisioned ? { ProvisionedThroughput: { ReadCapacityUnits: r ?? 5, WriteCapacityUnits: w ?? 5 } } : {});
  const projection = (i: TfIndex) => ({
    ProjectionType: (i.projection_type ?? "ALL") as "ALL" | "KEYS_ONLY" | "INCLUDE",
    ...(i.non_key_attributes?.length ? { NonKeyAttributes: i.non_key_attributes } : {}),
  });
  const gsis = table.global_secondary_index ?? [];
  const lsis = table.local_secondary_index ?? [];
  return {
    TableName: table.name,
    BillingMode: provisioned ? "PROVISIONED" : "PAY_PER_REQUEST",
    AttributeDefinitions: (table.attribute ?? []).map((a) => ({ AttributeName: a.name, AttributeType: (a.type ?? "S") as "S" | "N" | "B" })),
    KeySchema: keys(table.hash_key, table.range_key),
    ...throughput(table.read_capacity, table.write_capacity),
    ...(gsis.length
      ? { GlobalSecondaryIndexes: gsis.map((i) => ({ IndexName: i.name, KeySchema: keys(i.hash_key, i.range_key), Projection: projection(i), ...throughput(i.read_capacity, i.write_capacity) })) }
      : {}),
    ...(lsis.length ? { LocalSecondaryIndexes: lsis.map((i) => ({ IndexName: i.name, KeySchema: keys(table.hash_key, i.range_key), Projection: projection(i) })) } : {}),
  };
}

/** Every `aws_dynamodb_table` of the stacks in a synthesized output (`cdktf.out`), by stack then logical id. */
export function synthesizedTables(outdir: string, stacks?: readonly string[]): SynthesizedTable[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")) as { stacks: Record<string, { synthesizedStackPath: string }> };
  const unknown = (stacks ?? []).filter((s) => !manifest.stacks[s]);
  if (unknown.length) throw new Error(`--stack ${unknown.join(", ")}: no such stack (stacks: ${Object.keys(manifest.stacks).sort().join(", ")})`);
  return Object.entries(manifest.stacks)
    .filter(([name]) => !stacks?.length || stacks.includes(name))
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([stack, s]) => {
      const json = JSON.parse(fs.readFileSync(path.join(outdir, s.synthesizedStackPath), "utf8")) as { resource?: { aws_dynamodb_table?: Record<string, TfTable> } };
      return Object.entries(json.resource?.aws_dynamodb_table ?? {}).map(([id, table]) => ({ stack, address: `aws_dynamodb_table.${id}`, input: createTableInput(table) }));
    });
}

export interface LocalDynamodbOptions {
  /** @default DEFAULT_LOCAL_PORT; 0 for any free port */
  readonly port?: number;
  /** A synthesized output to read the tables from. @default the app synthesized in-process into a temporary folder */
  readonly outdir?: string;
  /** Only these stacks' tables. @default every stack's */
  readonly stacks?: readonly string[];
  /** Folder to keep the data in between runs. @default in memory */
  readonly dataDir?: string;
  /** Where synth problems and warnings go. @default stderr */
  readonly print?: (line: string) => void;
}

/**
 * What `npm run local:dynamodb` runs: dynalite on 127.0.0.1:`port`, with
 * every table of the synthesized stacks created and ACTIVE, as the stacks
 * define them (their real names, so `ddb write <TableName output>
 * --endpoint ...` works unchanged).
 */
export async function startLocalDynamodb(options: LocalDynamodbOptions = {}): Promise<{ dynalite: Dynalite; tables: SynthesizedTable[] }> {
  let outdir = options.outdir;
  let temp: string | undefined;
  if (!outdir) {
    // Synthesized in-process, as `npm run synth` does, but into a folder of its own: cdktf.out stays as it is.
    temp = fs.mkdtempSync(path.join(os.tmpdir(), "local-dynamodb-"));
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the app (and its providers) only when needed
    const { synthesizeApp } = require("../stacks/synthesize") as typeof import("../stacks/synthesize");
    const result = synthesizeApp({ outdir: path.join(temp, "out"), env: { ...process.env, INFRA_QUIET_PLACEHOLDERS: "1" }, print: options.print });
    if (!result.ok) {
      fs.rmSync(temp, { recursive: true, force: true });
      throw new Error(`synth failed (${result.problems.length} problem(s) above): fix them, or pass --outdir <a synthesized output>`);
    }
    outdir = result.outdir;
  }
  try {
    const tables = synthesizedTables(outdir, options.stacks);
    const dynalite = await startDynalite({ path: options.dataDir, port: options.port ?? DEFAULT_LOCAL_PORT });
    try {
      for (const t of tables) await createTable(dynalite.client, t.input);
    } catch (e) {
      await dynalite.stop();
      throw e;
    }
    return { dynalite, tables };
  } finally {
    if (temp) fs.rmSync(temp, { recursive: true, force: true });
  }
}

/** The lines `npm run local:dynamodb` prints once ready: the endpoint, each table, how to use them. */
export function readyLines(endpoint: string, tables: readonly SynthesizedTable[]): string[] {
  const example = tables.find((t) => t.stack === "simple-dynamodb") ?? tables[0];
  return [
    `DynamoDB (dynalite) at ${endpoint}, data in memory; Ctrl+C stops it`,
    ...tables.map((t) => `  table ${t.input.TableName}  (stack ${t.stack}, ${t.address})`),
    ...(example
      ? [`try: npm run cli -- ddb write ${example.input.TableName} 100 --endpoint ${endpoint}`]
      : ["no stack has a DynamoDB table"]),
  ];
}

function parseArgs(argv: readonly string[]): LocalDynamodbOptions {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    if (i < 0) return undefined;
    const v = argv[i + 1];
    if (v === undefined || v.startsWith("--")) throw new Error(`${flag} needs a value`);
    return v;
  };
  const known = new Set(["--port", "--outdir", "--stack", "--data"]);
  argv.forEach((a, i) => {
    if (a.startsWith("--") && !known.has(a) && !known.has(argv[i - 1])) throw new Error(`unknown option ${a} (options: ${[...known].join(", ")})`);
  });
  const rawPort = value("--port") ?? process.env.LOCAL_DYNAMODB_PORT ?? String(DEFAULT_LOCAL_PORT);
  const port = Number(rawPort);
  if (!/^\d+$/.test(rawPort) || port > 65535) throw new Error(`port (${rawPort}) must be an integer in 0..65535`);
  const stacks = argv.flatMap((a, i) => (a === "--stack" && argv[i + 1] ? [argv[i + 1]] : []));
  return { port, outdir: value("--outdir"), stacks, dataDir: value("--data") };
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  if (options.dataDir) fs.mkdirSync(options.dataDir, { recursive: true });
  const { dynalite, tables } = await startLocalDynamodb(options);
  const lines = readyLines(dynalite.endpoint, tables);
  if (options.dataDir) lines[0] = lines[0].replace("data in memory", `data in ${options.dataDir}`);
  for (const line of lines) console.log(line);
  const stop = () => {
    dynalite.stop().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    const err = e as NodeJS.ErrnoException;
    console.error(`local:dynamodb: ${err.code === "EADDRINUSE" ? `${err.message} (another DynamoDB Local or dev server? pass --port <n>, or 0 for any)` : (err.message ?? String(e))}`);
    process.exit(1);
  });
}
