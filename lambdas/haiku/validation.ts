import type { APIGatewayProxyEvent } from "aws-lambda";
import { HttpError } from "./http";
import { DELETE_TOKEN_HEADER, HAIKU_LIMITS } from "./routes";

/** What a client may post: the course's four fields. */
export interface NewHaiku {
  readonly username: string;
  readonly first: string;
  readonly second: string;
  readonly third: string;
}

const FIELDS = ["username", "first", "second", "third"] as const;
const MAX_BODY_BYTES = 4096;
const ITEM_ID = /^[0-9a-f]{32}$/;

/** C0 controls, DEL and C1 controls (after trimming, so a tab or newline at either end is fine). */
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/u;
/** A lone high or low surrogate: not a character, not storable as valid UTF-8. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/**
 * Something a reader can see: not white space, not a default-ignorable or format
 * character (zero-width space/joiners, word joiner, BOM, Hangul fillers, variation
 * selectors, tags, bidi marks), not a lone combining mark, not the braille blank.
 */
const VISIBLE = /[^\p{White_Space}\p{Default_Ignorable_Code_Point}\p{Cf}\p{M}\u2800]/u;

/** Characters as JSON Schema counts them (code points), so the gateway and the handler agree. */
function charCount(s: string): number {
  return [...s].length;
}

/**
 * Validates a POST body exactly like the gateway model (lambdas/haiku/routes.ts):
 * a JSON object with the four string fields, each at most the limit (counted
 * before trimming) and non-empty after trimming, nothing else. Returns the
 * trimmed fields.
 */
export function parseNewHaiku(event: Pick<APIGatewayProxyEvent, "body" | "isBase64Encoded">): NewHaiku {
  if (event.body === null || event.body === undefined || event.body === "") {
    throw new HttpError(400, "body is required: {\"username\", \"first\", \"second\", \"third\"}");
  }
  const raw = event.isBase64Encoded ? Buffer.from(event.body, "base64").toString("utf8") : event.body;
  if (Buffer.byteLength(raw, "utf8") > MAX_BODY_BYTES) throw new HttpError(413, `body must be at most ${MAX_BODY_BYTES} bytes`);
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    throw new HttpError(400, "body is not valid JSON");
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw new HttpError(400, "body must be a JSON object with username, first, second and third");
  }
  const record = data as Record<string, unknown>;
  const unknown = Object.keys(record).filter((k) => !(FIELDS as readonly string[]).includes(k));
  if (unknown.length) throw new HttpError(400, `unknown field(s): ${unknown.join(", ")}; allowed: ${FIELDS.join(", ")}`);
  const out: Record<string, string> = {};
  for (const field of FIELDS) {
    const value = record[field];
    const max = field === "username" ? HAIKU_LIMITS.usernameMaxLength : HAIKU_LIMITS.lineMaxLength;
    if (value === undefined) throw new HttpError(400, `${field} is required`);
    if (typeof value !== "string") throw new HttpError(400, `${field} must be a string (got ${value === null ? "null" : typeof value})`);
    if (charCount(value) > max) throw new HttpError(400, `${field} must be at most ${max} characters (got ${charCount(value)})`);
    const trimmed = value.trim();
    if (trimmed.length === 0) throw new HttpError(400, `${field} must not be empty`);
    assertText(field, trimmed);
    out[field] = trimmed;
  }
  return out as unknown as NewHaiku;
}

/** A stored field must be well-formed, printable text someone can see. */
function assertText(field: string, value: string): void {
  const lone = LONE_SURROGATE.exec(value);
  if (lone) throw new HttpError(400, `${field} contains an unpaired surrogate (U+${hex(lone[0])} at index ${lone.index}): send well-formed UTF-8/UTF-16`);
  const control = CONTROL.exec(value);
  if (control) throw new HttpError(400, `${field} must not contain control characters (U+${hex(control[0])} at index ${control.index})`);
  if (!VISIBLE.test(value)) throw new HttpError(400, `${field} must contain at least one visible character (got only invisible ones)`);
}

function hex(ch: string): string {
  return ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
}

/** `?limit=`: an integer in 1..100, default 50. */
export function parseLimit(query: Record<string, string | undefined> | null | undefined): number {
  const raw = query?.limit;
  if (raw === undefined) return HAIKU_LIMITS.pageDefault;
  if (!/^\d{1,3}$/.test(raw)) throw new HttpError(400, `limit (${JSON.stringify(raw)}) must be an integer in ${HAIKU_LIMITS.pageMin}..${HAIKU_LIMITS.pageMax}`);
  const n = Number(raw);
  if (n < HAIKU_LIMITS.pageMin || n > HAIKU_LIMITS.pageMax) {
    throw new HttpError(400, `limit (${n}) must be an integer in ${HAIKU_LIMITS.pageMin}..${HAIKU_LIMITS.pageMax}`);
  }
  return n;
}

/** Only `limit` and `cursor` are understood; anything else is a client mistake worth reporting. */
export function assertKnownQuery(query: Record<string, string | undefined> | null | undefined, known: readonly string[]): void {
  const extra = Object.keys(query ?? {}).filter((k) => !known.includes(k));
  if (extra.length) throw new HttpError(400, `unknown query parameter(s): ${extra.join(", ")}; allowed: ${known.join(", ") || "none"}`);
}

/**
 * `{item_id}` of the admin route: any key a tool may have written (1..1024 characters, no
 * control characters), so an admin can delete whatever GET lists.
 */
export function parseAnyItemId(params: Record<string, string | undefined> | null | undefined): string {
  const id = params?.item_id;
  if (id === undefined || id === "" || [...id].length > 1024 || CONTROL.test(id) || LONE_SURROGATE.test(id)) {
    throw new HttpError(400, `item_id (${JSON.stringify(id ?? null)}) must be 1..1024 characters without control characters`);
  }
  return id;
}

/** A delete token as POST issues it: 32 random bytes, base64url (43 characters). */
export const DELETE_TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * The `X-Delete-Token` header (any case, as API Gateway passes headers through),
 * or undefined when absent. A present but malformed token is a 400 naming the header.
 */
export function parseDeleteToken(headers: Record<string, string | undefined> | null | undefined): string | undefined {
  const wanted = DELETE_TOKEN_HEADER.toLowerCase();
  const entry = Object.entries(headers ?? {}).find(([k]) => k.toLowerCase() === wanted);
  const value = entry?.[1]?.trim();
  if (value === undefined || value === "") return undefined;
  if (!DELETE_TOKEN.test(value)) throw new HttpError(400, `${DELETE_TOKEN_HEADER} must be the 43-character delete_token that POST /haiku returned`);
  return value;
}

/** `{item_id}`: 32 lowercase hex digits (a uuid without dashes, as the API issues them). */
export function parseItemId(params: Record<string, string | undefined> | null | undefined): string {
  const id = params?.item_id;
  if (id === undefined || !ITEM_ID.test(id)) {
    throw new HttpError(400, `item_id (${JSON.stringify(id ?? null)}) must be 32 lowercase hex digits`);
  }
  return id;
}
