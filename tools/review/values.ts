/**
 * Attribute-level differences of one planned change: which attributes
 * change, before -> after, with terraform's unknown and sensitive markers
 * applied, and long values (policies, user data, container definitions,
 * API bodies) made readable for a unified diff.
 */

/** Shown for a value terraform will only know after apply. */
export const KNOWN_AFTER_APPLY = "(known after apply)";
/** Shown instead of a sensitive value. */
export const SENSITIVE = "(sensitive)";

export interface AttributeChange {
  readonly before: unknown;
  readonly after: unknown;
  /** The new value is computed at apply time. */
  readonly after_unknown?: true;
  /** The value is sensitive: before and after are masked. */
  readonly sensitive?: true;
}

interface Change {
  readonly before?: any;
  readonly after?: any;
  readonly after_unknown?: any;
  readonly before_sensitive?: any;
  readonly after_sensitive?: any;
}

/** Attributes that terraform plans to change (top level), masked and marked. */
export function attributeChanges(change: Change): Record<string, AttributeChange> {
  const before = (change.before ?? {}) as Record<string, unknown>;
  const after = (change.after ?? {}) as Record<string, unknown>;
  const unknown = (change.after_unknown ?? {}) as Record<string, unknown>;
  const bs = (change.before_sensitive ?? {}) as Record<string, unknown>;
  const as = (change.after_sensitive ?? {}) as Record<string, unknown>;
  const out: Record<string, AttributeChange> = {};
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after), ...Object.keys(unknown)])].sort();
  for (const k of keys) {
    const u = unknown[k];
    const b = before[k];
    const a = after[k];
    if (u !== true && !containsTrue(u) && equal(b, a)) continue;
    if (u === undefined && isEmpty(b) && isEmpty(a)) continue;
    const sensitive = bs[k] === true || as[k] === true;
    if (sensitive) {
      out[k] = { before: b === null || b === undefined ? null : SENSITIVE, after: u === true ? null : SENSITIVE, ...(u === true ? { after_unknown: true as const } : {}), sensitive: true };
      continue;
    }
    out[k] = {
      before: mask(b, bs[k]) ?? null,
      after: u === true ? null : merge(mask(a, as[k]), u),
      ...(u === true ? { after_unknown: true as const } : {}),
    };
  }
  return out;
}

/** Nested unknowns inside a known value become the marker string. */
function merge(value: unknown, unknown: unknown): unknown {
  if (unknown === true) return KNOWN_AFTER_APPLY;
  if (Array.isArray(unknown)) {
    const list = Array.isArray(value) ? value : [];
    return Array.from({ length: Math.max(list.length, unknown.length) }, (_, i) => merge(list[i], unknown[i]));
  }
  if (unknown && typeof unknown === "object" && value && typeof value === "object" && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    return Object.fromEntries([...new Set([...Object.keys(obj), ...Object.keys(unknown)])].map((k) => [k, merge(obj[k], (unknown as Record<string, unknown>)[k])]));
  }
  return value === undefined ? null : value;
}

/** Sensitive parts (a tree of `true`) become the marker. */
function mask(value: unknown, sensitive: unknown): unknown {
  if (sensitive === true) return value === null || value === undefined ? value : SENSITIVE;
  if (Array.isArray(sensitive) && Array.isArray(value)) return value.map((v, i) => mask(v, sensitive[i]));
  if (sensitive && typeof sensitive === "object" && value && typeof value === "object" && !Array.isArray(value)) {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, mask(v, (sensitive as Record<string, unknown>)[k])]));
  }
  return value;
}

function containsTrue(v: unknown): boolean {
  if (v === true) return true;
  if (Array.isArray(v)) return v.some(containsTrue);
  if (v && typeof v === "object") return Object.values(v).some(containsTrue);
  return false;
}

function isEmpty(v: unknown): boolean {
  return v === null || v === undefined;
}

export function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined || typeof a !== typeof b) return false;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => equal(x, b[i]));
  if (typeof a === "object") {
    const ka = Object.keys(a as object);
    const kb = Object.keys(b as object);
    return ka.length === kb.length && ka.every((k) => equal((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return false;
}

/** A value as lines for a unified diff: JSON strings pretty-printed, base64 text decoded, text split. */
export function asLines(value: unknown): { lines: string[]; note?: string } {
  if (value === null || value === undefined) return { lines: [] };
  if (typeof value === "string") {
    const json = parseJson(value);
    if (json !== undefined) return { lines: JSON.stringify(sortKeys(json), null, 2).split("\n"), note: "JSON, keys sorted" };
    const text = decodeBase64Text(value);
    if (text !== undefined) return { lines: text.split("\n"), note: "base64-decoded" };
    return { lines: value.split("\n") };
  }
  return { lines: JSON.stringify(sortKeys(value), null, 2).split("\n") };
}

/** Whether a change is best shown as a diff rather than inline. */
export function isLong(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > 80 || text.includes("\n");
}

function parseJson(s: string): unknown {
  const t = s.trim();
  if (!(t.startsWith("{") || t.startsWith("["))) return undefined;
  try {
    return JSON.parse(t);
  } catch {
    return undefined;
  }
}

function decodeBase64Text(s: string): string | undefined {
  if (s.length < 16 || s.length % 4 !== 0 || !/^[A-Za-z0-9+/]+=*$/.test(s)) return undefined;
  const text = Buffer.from(s, "base64").toString("utf8");
  // Printable text only (user data scripts, cloud-init): else it was not text.
  return /^[\t\n\r\x20-\x7e\u00a0-\uffff]*$/.test(text) && !text.includes("\ufffd") ? text : undefined;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object") return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  return v;
}

/**
 * A unified diff of two line lists (Myers' algorithm), with `context` lines
 * around each change, as `-`/`+`/` ` prefixed lines and `@@` hunk headers.
 */
export function unifiedDiff(a: readonly string[], b: readonly string[], context = 3): string[] {
  const ops = diffOps(a, b);
  const out: string[] = [];
  let i = 0;
  while (i < ops.length) {
    if (ops[i].op === " ") {
      i++;
      continue;
    }
    let start = i;
    while (start > 0 && i - start < context && ops[start - 1].op === " ") start--;
    let end = i;
    for (;;) {
      while (end < ops.length && ops[end].op !== " ") end++;
      let gap = end;
      while (gap < ops.length && ops[gap].op === " " && gap - end < 2 * context) gap++;
      if (gap < ops.length && ops[gap].op !== " ") {
        end = gap;
        continue;
      }
      end = Math.min(end + context, ops.length);
      break;
    }
    const hunk = ops.slice(start, end);
    const aStart = hunk[0].ai + 1;
    const bStart = hunk[0].bi + 1;
    out.push(`@@ -${aStart},${hunk.filter((o) => o.op !== "+").length} +${bStart},${hunk.filter((o) => o.op !== "-").length} @@`);
    for (const o of hunk) out.push(`${o.op}${o.line}`);
    i = end;
  }
  return out;
}

interface Op {
  readonly op: " " | "-" | "+";
  readonly line: string;
  readonly ai: number;
  readonly bi: number;
}

function diffOps(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const v = new Map<number, number>([[1, 0]]);
  const trace: Map<number, number>[] = [];
  outer: for (let d = 0; d <= max; d++) {
    trace.push(new Map(v));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && (v.get(k - 1) ?? -1) < (v.get(k + 1) ?? -1)) ? v.get(k + 1)! : v.get(k - 1)! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v.set(k, x);
      if (x >= n && y >= m) break outer;
    }
  }
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0 && (x > 0 || y > 0); d--) {
    const vd = trace[d];
    const k = x - y;
    const prevK = k === -d || (k !== d && (vd.get(k - 1) ?? -1) < (vd.get(k + 1) ?? -1)) ? k + 1 : k - 1;
    const prevX = vd.get(prevK) ?? 0;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      ops.push({ op: " ", line: a[x], ai: x, bi: y });
    }
    if (d > 0) {
      if (x === prevX) {
        y--;
        ops.push({ op: "+", line: b[y], ai: x, bi: y });
      } else {
        x--;
        ops.push({ op: "-", line: a[x], ai: x, bi: y });
      }
    }
  }
  return ops.reverse();
}
