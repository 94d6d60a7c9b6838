import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createTable, localDynamoClient, startDynalite } from "../../../tools/local-dynamodb";

/** An in-memory DynamoDB on 127.0.0.1 (random port) with the QA table (ACTIVE), and a client for it. */
export interface LocalDynamo {
  readonly client: DynamoDBClient;
  readonly endpoint: string;
  readonly tableName: string;
  stop(): Promise<void>;
}

export async function startLocalDynamo(tableName = "qa-answers"): Promise<LocalDynamo> {
  const dynamo = await startDynalite({ maxAttempts: 1 });
  await createTable(dynamo.client, {
    TableName: tableName,
    AttributeDefinitions: [{ AttributeName: "item_id", AttributeType: "S" }],
    KeySchema: [{ AttributeName: "item_id", KeyType: "HASH" }],
    BillingMode: "PAY_PER_REQUEST",
  });
  return { client: dynamo.client, endpoint: dynamo.endpoint, tableName, stop: () => dynamo.stop() };
}

/** A client with dummy credentials for a local endpoint, one attempt per request. */
export function localClient(endpoint: string): DynamoDBClient {
  return localDynamoClient(endpoint, 1);
}
