import { createHmac, randomBytes, timingSafeEqual } from "crypto";
import { HttpError } from "./http";
import { HAIKU_TABLE } from "./routes";

/**
 * Page cursors. The GSI's LastEvaluatedKey is `{item_id, gsi_pk, gsi_sk}`
 * where `gsi_sk = <created_at>#<item_id>`, so the cursor only needs
 * `gsi_sk`: `base64url(gsi_sk) "." base64url(HMAC-SHA256(secret, gsi_sk))[:16 bytes]`.
 * A cursor the API did not issue (bad shape, or a well-shaped key with a
 * wrong or missing signature) is a 400, never a DynamoDB validation error.
 *
 * The secret comes from `CURSOR_SECRET` (the stack sets it from a
 * `terraform_data` holding a `uuid()` made once at the first apply); without
 * it (local runs) each process makes its own, so cursors last as long as
 * the process.
 */
const SORT_KEY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#([0-9a-f]{32})$/;
const CURSOR = /^([A-Za-z0-9_-]{1,120})\.([A-Za-z0-9_-]{22})$/;
const PROCESS_SECRET = randomBytes(32).toString("hex");

export type PageKey = Record<string, string>;

/** The signing secret: `CURSOR_SECRET`, or one made for this process. */
export function cursorSecret(): string {
  return process.env.CURSOR_SECRET || PROCESS_SECRET;
}

function sign(sortKey: string, secret: string): string {
  return createHmac("sha256", secret).update(sortKey, "utf8").digest().subarray(0, 16).toString("base64url");
}

export function encodeCursor(lastEvaluatedKey: Record<string, unknown>, secret: string = cursorSecret()): string {
  const sk = lastEvaluatedKey[HAIKU_TABLE.indexSortKey];
  if (typeof sk !== "string" || !SORT_KEY.test(sk)) throw new Error(`unexpected LastEvaluatedKey ${JSON.stringify(lastEvaluatedKey)}`);
  return `${Buffer.from(sk, "utf8").toString("base64url")}.${sign(sk, secret)}`;
}

export function decodeCursor(cursor: string, secret: string = cursorSecret()): PageKey {
  const parts = CURSOR.exec(cursor);
  if (!parts) throw new HttpError(400, "cursor is not a cursor this API issued");
  const sk = Buffer.from(parts[1], "base64url").toString("utf8");
  const m = SORT_KEY.exec(sk);
  const expected = Buffer.from(sign(sk, secret));
  const given = Buffer.from(parts[2]);
  if (!m || Buffer.from(sk, "utf8").toString("base64url") !== parts[1] || expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw new HttpError(400, "cursor is not a cursor this API issued");
  }
  return {
    [HAIKU_TABLE.partitionKey]: m[1],
    [HAIKU_TABLE.indexPartitionKey]: HAIKU_TABLE.indexPartitionValue,
    [HAIKU_TABLE.indexSortKey]: sk,
  };
}
