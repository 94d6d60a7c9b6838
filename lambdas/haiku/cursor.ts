import { createHmac, randomBytes, timingSafeEqual } from "crypto";
import { HttpError } from "./http";
import { HAIKU_TABLE } from "./routes";
import { HAIKU_ENV } from "./environment";

/**
 * Page cursors. GET pages with a Scan of the base table, whose
 * LastEvaluatedKey is `{item_id}`; the cursor carries that key:
 * `base64url(item_id) "." base64url(HMAC-SHA256(secret, "scan-v2:" item_id))[:16 bytes]`.
 * The `scan-v2:` domain keeps cursors of the earlier index design (signed
 * over `<created_at>#<item_id>`) from being accepted with another meaning.
 * A cursor the API did not issue (bad shape, or a well-shaped key with a
 * wrong or missing signature) is a 400, never a DynamoDB validation error.
 *
 * The secret comes from `CURSOR_SECRET` (the stack sets it from a
 * `terraform_data` holding a `uuid()` made once at the first apply); without
 * it (local runs) each process makes its own, so cursors last as long as
 * the process.
 */
const DOMAIN = "scan-v2:";
/** DynamoDB allows partition keys of up to 2048 bytes; base64url of that is 2731 characters. */
const MAX_KEY_BYTES = 2048;
const CURSOR = /^([A-Za-z0-9_-]{2,2731})\.([A-Za-z0-9_-]{22})$/;
const PROCESS_SECRET = randomBytes(32).toString("hex");

/** The Scan's ExclusiveStartKey. */
export type PageKey = Record<string, string>;

/** The signing secret: `CURSOR_SECRET`, or one made for this process. */
export function cursorSecret(): string {
  return process.env[HAIKU_ENV.cursorSecret] || PROCESS_SECRET;
}

function sign(itemId: string, secret: string): string {
  return createHmac("sha256", secret).update(DOMAIN + itemId, "utf8").digest().subarray(0, 16).toString("base64url");
}

export function encodeCursor(lastEvaluatedKey: Record<string, unknown>, secret: string = cursorSecret()): string {
  const id = lastEvaluatedKey[HAIKU_TABLE.partitionKey];
  if (typeof id !== "string" || id === "" || Buffer.byteLength(id, "utf8") > MAX_KEY_BYTES) {
    throw new Error(`unexpected LastEvaluatedKey ${JSON.stringify(lastEvaluatedKey)}`);
  }
  return `${Buffer.from(id, "utf8").toString("base64url")}.${sign(id, secret)}`;
}

export function decodeCursor(cursor: string, secret: string = cursorSecret()): PageKey {
  const parts = CURSOR.exec(cursor);
  if (!parts) throw new HttpError(400, "cursor is not a cursor this API issued");
  const id = Buffer.from(parts[1], "base64url").toString("utf8");
  const expected = Buffer.from(sign(id, secret));
  const given = Buffer.from(parts[2]);
  // Canonical encoding only (no padding variants), and the signature compared in constant time.
  if (id === "" || Buffer.from(id, "utf8").toString("base64url") !== parts[1] || expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw new HttpError(400, "cursor is not a cursor this API issued");
  }
  return { [HAIKU_TABLE.partitionKey]: id };
}
