/**
 * DynamoDB's attribute-value JSON <-> plain JS values, as
 * `@aws-sdk/lib-dynamodb` converts them with `removeUndefinedValues: true`
 * (what the haiku repository used):
 *
 *   string S, number N (sent as its decimal string), bigint N, boolean BOOL,
 *   null NULL, array L, plain object M, Uint8Array/Buffer B (base64 on the
 *   wire); `undefined` in a map or list is left out.
 *
 * Refused as the SDK refuses them: NaN and infinities, numbers beyond
 * Number.MAX_SAFE_INTEGER (pass a bigint), class instances (Date, Map ...),
 * and JS Sets (DynamoDB's SS/NS/BS: nothing here writes one). Read back:
 * every type, sets included (SS -> Set<string>, NS -> Set<number>, BS ->
 * Set<Uint8Array>), since items other tools wrote may hold any; N becomes
 * a number, or a bigint when it is an integer too large for one (the SDK's
 * rule; a too-precise non-integer throws).
 */

/** One DynamoDB attribute value on the wire. */
export type AttributeValue =
  | { S: string }
  | { N: string }
  | { B: string }
  | { BOOL: boolean }
  | { NULL: true }
  | { L: AttributeValue[] }
  | { M: Record<string, AttributeValue> }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: string[] };

export type AttributeMap = Record<string, AttributeValue>;

/** A plain JS value -> its attribute value; `path` names it in errors. */
export function marshallValue(value: unknown, path = "value"): AttributeValue {
  switch (typeof value) {
    case "string":
      return { S: value };
    case "boolean":
      return { BOOL: value };
    case "bigint":
      return { N: value.toString() };
    case "number":
      if (!Number.isFinite(value)) throw new Error(`${path} (${value}) is not a number DynamoDB can store`);
      if (Math.abs(value) > Number.MAX_SAFE_INTEGER) throw new Error(`${path} (${value}) is beyond Number.MAX_SAFE_INTEGER: pass a bigint to keep its precision`);
      return { N: String(value) };
    case "object": {
      if (value === null) return { NULL: true };
      if (value instanceof Uint8Array) return { B: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64") };
      if (Array.isArray(value)) {
        return { L: value.flatMap((v, i) => (v === undefined ? [] : [marshallValue(v, `${path}[${i}]`)])) };
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        throw new Error(`${path} is a ${(value as object).constructor?.name ?? "class instance"}: only plain objects, arrays, strings, numbers, booleans, null and binary are stored`);
      }
      return { M: marshallMap(value as Record<string, unknown>, path) };
    }
    default:
      throw new Error(`${path} (${typeof value}) cannot be stored in DynamoDB`);
  }
}

/** A plain object -> an attribute map (undefined members left out). */
export function marshallMap(value: Readonly<Record<string, unknown>>, path = "item"): AttributeMap {
  const out: AttributeMap = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = marshallValue(v, `${path}.${k}`);
  return out;
}

/** An attribute value -> the plain JS value. */
export function unmarshallValue(av: AttributeValue): unknown {
  if ("S" in av) return av.S;
  if ("N" in av) return toNumber(av.N);
  if ("BOOL" in av) return av.BOOL;
  if ("NULL" in av) return null;
  if ("B" in av) return new Uint8Array(Buffer.from(av.B, "base64"));
  if ("L" in av) return av.L.map(unmarshallValue);
  if ("M" in av) return unmarshallMap(av.M);
  if ("SS" in av) return new Set(av.SS);
  if ("NS" in av) return new Set(av.NS.map(toNumber));
  if ("BS" in av) return new Set(av.BS.map((b) => new Uint8Array(Buffer.from(b, "base64"))));
  throw new Error(`unknown DynamoDB attribute value ${JSON.stringify(av)}`);
}

export function unmarshallMap(map: Readonly<AttributeMap>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(map)) out[k] = unmarshallValue(v);
  return out;
}

function toNumber(n: string): number | bigint {
  const num = Number(n);
  if (Number.isFinite(num) && Math.abs(num) > Number.MAX_SAFE_INTEGER) {
    try {
      return BigInt(n);
    } catch {
      throw new Error(`DynamoDB number ${n} is too large for a JS number and not an integer`);
    }
  }
  return num;
}
