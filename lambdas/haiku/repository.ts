import { randomUUID } from "crypto";
import { DynamoDBClient, ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { decodeCursor, encodeCursor } from "./cursor";
import { HttpError } from "./http";
import { HAIKU_TABLE } from "./routes";
import type { NewHaiku } from "./validation";

/** A haiku as the API returns it. */
export interface Haiku extends NewHaiku {
  readonly item_id: string;
  readonly likes: number;
  readonly created_at: string;
}

export interface Page {
  readonly items: Haiku[];
  /** Present when more items exist after this page. */
  readonly nextCursor?: string;
}

/**
 * Every table access of the API, one method per route, each using exactly
 * the action the route's IAM policy allows (routes.ts `tableActions`).
 */
export class HaikuRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  /** PutItem (conditional on a fresh id). */
  async create(haiku: NewHaiku, now = new Date()): Promise<Haiku> {
    const item: Haiku = {
      item_id: randomUUID().replace(/-/g, ""),
      username: haiku.username,
      first: haiku.first,
      second: haiku.second,
      third: haiku.third,
      likes: 0,
      created_at: now.toISOString(),
    };
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...item,
          [HAIKU_TABLE.indexPartitionKey]: HAIKU_TABLE.indexPartitionValue,
          [HAIKU_TABLE.indexSortKey]: `${item.created_at}#${item.item_id}`,
        },
        ConditionExpression: "attribute_not_exists(item_id)",
      }),
    );
    return item;
  }

  /**
   * Query on the creation-time index, newest first. Reads `limit + 1`
   * items so a cursor is returned only when another item really exists.
   */
  async list(limit: number, cursor?: string): Promise<Page> {
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: HAIKU_TABLE.indexName,
        KeyConditionExpression: "#pk = :pk",
        ExpressionAttributeNames: { "#pk": HAIKU_TABLE.indexPartitionKey },
        ExpressionAttributeValues: { ":pk": HAIKU_TABLE.indexPartitionValue },
        ScanIndexForward: false,
        Limit: limit + 1,
        ExclusiveStartKey: cursor === undefined ? undefined : decodeCursor(cursor),
      }),
    );
    const raw = result.Items ?? [];
    const page = raw.slice(0, limit);
    const more = raw.length > limit;
    const last = page[page.length - 1];
    return {
      items: page.map(toHaiku),
      nextCursor: more && last ? encodeCursor(last) : undefined,
    };
  }

  /** UpdateItem ADD likes 1, atomic; 404 when the item does not exist. Returns the new count. */
  async like(itemId: string): Promise<number> {
    try {
      const result = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { item_id: itemId },
          UpdateExpression: "ADD likes :one",
          ConditionExpression: "attribute_exists(item_id)",
          ExpressionAttributeValues: { ":one": 1 },
          ReturnValues: "UPDATED_NEW",
        }),
      );
      return Number(result.Attributes?.likes);
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) throw new HttpError(404, `haiku ${itemId} not found`);
      throw err;
    }
  }

  /** DeleteItem, conditional; 404 when the item does not exist. */
  async delete(itemId: string): Promise<void> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { item_id: itemId },
          ConditionExpression: "attribute_exists(item_id)",
        }),
      );
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) throw new HttpError(404, `haiku ${itemId} not found`);
      throw err;
    }
  }
}

function toHaiku(item: Record<string, unknown>): Haiku {
  return {
    item_id: String(item.item_id),
    username: String(item.username),
    first: String(item.first),
    second: String(item.second),
    third: String(item.third),
    likes: Number(item.likes ?? 0),
    created_at: String(item.created_at),
  };
}

let cached: HaikuRepository | undefined;

/**
 * The repository of the running function: table from `TABLE_NAME`, client
 * from the Lambda environment (region, credentials; `AWS_ENDPOINT_URL_DYNAMODB`
 * points it at dynalite locally). Created once per container.
 */
export function defaultRepository(): HaikuRepository {
  const tableName = process.env.TABLE_NAME;
  if (!tableName) throw new Error("TABLE_NAME is not set");
  if (!cached || cached.tableName !== tableName) {
    cached = new HaikuRepository(
      DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } }),
      tableName,
    );
  }
  return cached;
}

/** Forgets the cached repository (tests and the dev server change the environment). */
export function resetDefaultRepository(): void {
  cached?.["db"].destroy();
  cached = undefined;
}
