import { HttpError } from "./http";
import { HAIKU_TABLE } from "./routes";

/**
 * Page cursors. The GSI's LastEvaluatedKey is `{item_id, gsi_pk, gsi_sk}`
 * where `gsi_sk = <created_at>#<item_id>`, so the cursor only needs
 * `gsi_sk`: base64url of it. Decoding checks the exact shape (ISO time,
 * `#`, 32 hex digits) so a cursor the API did not issue is a 400, never a
 * DynamoDB validation error (500). A cursor carries no secret: a client that
 * forges a well-shaped one only chooses where its own page starts.
 */
const SORT_KEY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#([0-9a-f]{32})$/;
const BASE64URL = /^[A-Za-z0-9_-]{1,200}$/;

export type PageKey = Record<string, string>;

export function encodeCursor(lastEvaluatedKey: Record<string, unknown>): string {
  const sk = lastEvaluatedKey[HAIKU_TABLE.indexSortKey];
  if (typeof sk !== "string" || !SORT_KEY.test(sk)) throw new Error(`unexpected LastEvaluatedKey ${JSON.stringify(lastEvaluatedKey)}`);
  return Buffer.from(sk, "utf8").toString("base64url");
}

export function decodeCursor(cursor: string): PageKey {
  if (!BASE64URL.test(cursor)) throw new HttpError(400, "cursor is not a cursor this API issued");
  const sk = Buffer.from(cursor, "base64url").toString("utf8");
  const m = SORT_KEY.exec(sk);
  if (!m || Buffer.from(sk, "utf8").toString("base64url") !== cursor) {
    throw new HttpError(400, "cursor is not a cursor this API issued");
  }
  return {
    [HAIKU_TABLE.partitionKey]: m[1],
    [HAIKU_TABLE.indexPartitionKey]: HAIKU_TABLE.indexPartitionValue,
    [HAIKU_TABLE.indexSortKey]: sk,
  };
}
