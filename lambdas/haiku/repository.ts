import { createHash, randomBytes, randomUUID } from "crypto";
import { DynamoDB } from "../lib/aws/dynamodb";
import { isAwsError } from "../lib/aws/errors";
import { decodeCursor, encodeCursor } from "./cursor";
import { HttpError } from "./http";
import { HAIKU_TABLE } from "./routes";
import { HAIKU_ENV } from "./environment";
import type { NewHaiku } from "./validation";

/** A haiku as the API returns it (never the delete token's hash). */
export interface Haiku extends NewHaiku {
  readonly item_id: string;
  readonly likes: number;
  readonly created_at: string;
}

/** What POST returns besides the haiku: the token that lets its poster delete it. */
export interface CreatedHaiku {
  readonly haiku: Haiku;
  /** Shown once; only its SHA-256 is stored. */
  readonly deleteToken: string;
}

export interface Page {
  readonly items: Haiku[];
  /** Present when more items exist after this page. */
  readonly nextCursor?: string;
}

/** SHA-256 (hex) of a delete token, as stored in `delete_token_sha256`. */
export function hashDeleteToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** The table operations the repository sends (a `DynamoDB` of lambdas/lib/aws, or a test's fake). */
export type HaikuTableClient = Pick<DynamoDB, "getItem" | "putItem" | "updateItem" | "deleteItem" | "scan">;

/** Scan calls per page at most (each returns up to 1 MB; items here are far smaller). */
const MAX_SCANS_PER_PAGE = 16;

/**
 * Every table access of the API, one method per route, each sending exactly
 * the operations the route's IAM policy allows (routes.ts `tableActions`).
 */
export class HaikuRepository {
  constructor(
    private readonly db: HaikuTableClient,
    readonly tableName: string,
  ) {}

  /** PutItem (conditional on a fresh id), with the SHA-256 of a new random delete token. */
  async create(haiku: NewHaiku, now = new Date()): Promise<CreatedHaiku> {
    const item: Haiku = {
      item_id: randomUUID().replace(/-/g, ""),
      username: haiku.username,
      first: haiku.first,
      second: haiku.second,
      third: haiku.third,
      likes: 0,
      created_at: now.toISOString(),
    };
    const deleteToken = randomBytes(32).toString("base64url");
    await this.db.putItem({
      TableName: this.tableName,
      Item: { ...item, [HAIKU_TABLE.deleteTokenHash]: hashDeleteToken(deleteToken) },
      ConditionExpression: "attribute_not_exists(item_id)",
    });
    return { haiku: item, deleteToken };
  }

  /**
   * One page of a Scan of the base table: every item is listed, whatever wrote
   * it. Reads `limit + 1` items (more Scan calls only if DynamoDB's 1 MB page
   * ends first) so a cursor is returned only when another item really exists;
   * the cursor is the key of the page's last item in table order, so the next
   * page starts right after it. The page itself is returned newest first.
   */
  async list(limit: number, cursor?: string): Promise<Page> {
    const raw: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined = cursor === undefined ? undefined : decodeCursor(cursor);
    for (let scans = 0; scans < MAX_SCANS_PER_PAGE && raw.length <= limit; scans++) {
      const result = await this.db.scan({ TableName: this.tableName, Limit: limit + 1 - raw.length, ExclusiveStartKey: start });
      raw.push(...(result.Items ?? []));
      start = result.LastEvaluatedKey;
      if (!start) break;
    }
    const page = raw.slice(0, limit);
    // Past the page: continue after its last item. Stopped early (MAX_SCANS_PER_PAGE): after the last key read.
    const resumeAt = raw.length > limit ? { [HAIKU_TABLE.partitionKey]: page[page.length - 1][HAIKU_TABLE.partitionKey] } : start;
    return {
      items: page.map(toHaiku).sort(newestFirst),
      nextCursor: resumeAt ? encodeCursor(resumeAt) : undefined,
    };
  }

  /** UpdateItem ADD likes 1, atomic; 404 when the item does not exist. Returns the new count. */
  async like(itemId: string): Promise<number> {
    try {
      const result = await this.db.updateItem({
        TableName: this.tableName,
        Key: { item_id: itemId },
        UpdateExpression: "ADD likes :one",
        ConditionExpression: "attribute_exists(item_id)",
        ExpressionAttributeValues: { ":one": 1 },
        ReturnValues: "UPDATED_NEW",
      });
      return Number(result.Attributes?.likes);
    } catch (err) {
      if (isAwsError(err, "ConditionalCheckFailedException")) throw new HttpError(404, `haiku ${itemId} not found`);
      throw err;
    }
  }

  /**
   * DeleteItem conditional on the stored hash of the token: one request when the
   * token is right. Only a refused delete reads the item (GetItem, key only) to
   * answer 404 (no such haiku) or 403 (wrong token, or a haiku without one).
   * DynamoDB compares hashes, so its comparison time says nothing about the token.
   */
  async deleteWithToken(itemId: string, token: string): Promise<void> {
    try {
      await this.db.deleteItem({
        TableName: this.tableName,
        Key: { item_id: itemId },
        ConditionExpression: "#hash = :hash",
        ExpressionAttributeNames: { "#hash": HAIKU_TABLE.deleteTokenHash },
        ExpressionAttributeValues: { ":hash": hashDeleteToken(token) },
      });
    } catch (err) {
      if (!isAwsError(err, "ConditionalCheckFailedException")) throw err;
      const { Item } = await this.db.getItem({
        TableName: this.tableName,
        Key: { item_id: itemId },
        ProjectionExpression: "#id, #hash",
        ExpressionAttributeNames: { "#id": HAIKU_TABLE.partitionKey, "#hash": HAIKU_TABLE.deleteTokenHash },
      });
      if (!Item) throw new HttpError(404, `haiku ${itemId} not found`);
      if (Item[HAIKU_TABLE.deleteTokenHash] === undefined) {
        throw new HttpError(403, `haiku ${itemId} has no delete token (it was not posted through POST /haiku): only an admin can delete it`);
      }
      throw new HttpError(403, `the delete token does not match haiku ${itemId}`);
    }
  }

  /** DeleteItem of any haiku (admin route, or `openWrites`); 404 when the item does not exist. */
  async delete(itemId: string): Promise<void> {
    try {
      await this.db.deleteItem({
        TableName: this.tableName,
        Key: { item_id: itemId },
        ConditionExpression: "attribute_exists(item_id)",
      });
    } catch (err) {
      if (isAwsError(err, "ConditionalCheckFailedException")) throw new HttpError(404, `haiku ${itemId} not found`);
      throw err;
    }
  }
}

/** Only the documented attributes; tolerant of items other tools wrote (missing text is ""). */
function toHaiku(item: Record<string, unknown>): Haiku {
  const text = (v: unknown) => (v === undefined || v === null ? "" : String(v));
  const likes = Number(item.likes ?? 0);
  return {
    item_id: String(item.item_id),
    username: text(item.username),
    first: text(item.first),
    second: text(item.second),
    third: text(item.third),
    likes: Number.isFinite(likes) ? likes : 0,
    created_at: text(item.created_at),
  };
}

/** Newest first by time (any ISO 8601 form, e.g. `+00:00` from other tools), then by id; unparseable times last. */
function newestFirst(a: Haiku, b: Haiku): number {
  const ta = Date.parse(a.created_at);
  const tb = Date.parse(b.created_at);
  const na = Number.isNaN(ta) ? -Infinity : ta;
  const nb = Number.isNaN(tb) ? -Infinity : tb;
  if (na !== nb) return nb - na;
  return a.item_id < b.item_id ? 1 : a.item_id > b.item_id ? -1 : 0;
}

let cached: { repository: HaikuRepository; client: DynamoDB } | undefined;

/**
 * The repository of the running function: table from `TABLE_NAME`, client
 * (lambdas/lib/aws/dynamodb.ts) from the Lambda environment (region,
 * credentials; `AWS_ENDPOINT_URL_DYNAMODB` points it at dynalite locally).
 * Created once per container.
 */
export function defaultRepository(): HaikuRepository {
  const tableName = process.env[HAIKU_ENV.tableName];
  if (!tableName) throw new Error(`${HAIKU_ENV.tableName} is not set`);
  if (!cached || cached.repository.tableName !== tableName) {
    cached?.client.destroy();
    const client = new DynamoDB();
    cached = { repository: new HaikuRepository(client, tableName), client };
  }
  return cached.repository;
}

/** Forgets the cached repository and closes its connections (tests and the dev server change the environment). */
export function resetDefaultRepository(): void {
  cached?.client.destroy();
  cached = undefined;
}
