/**
 * A local DynamoDB (dynalite) for the dev server, the API benchmark and the
 * tests. One place starts it and creates tables, because dynalite answers
 * CreateTable while the table is still CREATING and refuses reads and
 * writes on it (ResourceNotFoundException) until a timer flips it to ACTIVE
 * - even with `createTableMs: 0`, under load. `createTable` therefore waits
 * for ACTIVE, as code against real DynamoDB must too.
 */
import type { Server } from "http";
import type { AddressInfo } from "net";
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
}

/** Starts dynalite on 127.0.0.1 (any free port), tables created and deleted without delay. */
export async function startDynalite(options: DynaliteOptions = {}): Promise<Dynalite> {
  const server = dynalite({ createTableMs: options.createTableMs ?? 0, deleteTableMs: 0, updateTableMs: 0, ...(options.path ? { path: options.path } : {}) });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
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
