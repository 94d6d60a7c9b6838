import { AddressInfo } from "net";
import type { Server } from "http";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";

// dynalite ships no types; it returns a plain http.Server.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite: (options: { createTableMs?: number; deleteTableMs?: number }) => Server = require("dynalite");

/** An in-memory DynamoDB on 127.0.0.1 (random port) with the QA table, and a client for it. */
export interface LocalDynamo {
  readonly client: DynamoDBClient;
  readonly endpoint: string;
  readonly tableName: string;
  stop(): Promise<void>;
}

export async function startLocalDynamo(tableName = "qa-answers"): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = localClient(endpoint);
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [{ AttributeName: "item_id", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "item_id", KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
  return {
    client,
    endpoint,
    tableName,
    stop: async () => {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A client with dummy credentials for a local endpoint. */
export function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: "ap-northeast-1", credentials: { accessKeyId: "test", secretAccessKey: "test" }, maxAttempts: 1 });
}
