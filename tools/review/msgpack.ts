/**
 * cty values from their msgpack encoding, the form terraform stores values
 * in a plan file (go-cty's cty/msgpack): read against the value's cty type
 * as cty reads it - dynamically-typed values carry their type as JSON,
 * unknown values are msgpack extensions (with their refinements, which can
 * make a value known), numbers are integers, floats or decimal strings.
 * The result is a small tree that keeps what terraform's JSON rendering of
 * a plan needs: which values are null or unknown (and of which kind of
 * type), and every collection's elements in their stored order.
 */
import type { CtyType } from "./schema";

export type CtyValue =
  | { readonly kind: "null" }
  | { readonly kind: "unknown"; readonly type: CtyType }
  | { readonly kind: "string"; readonly value: string }
  | { readonly kind: "number"; readonly value: number }
  | { readonly kind: "bool"; readonly value: boolean }
  | { readonly kind: "list" | "set" | "tuple"; readonly items: readonly CtyValue[] }
  | { readonly kind: "map" | "object"; readonly entries: ReadonlyMap<string, CtyValue> };

const NULL: CtyValue = { kind: "null" };
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
/** The extension type of an unknown value with refinements (cty's unknownWithRefinementsExt). */
const REFINED_UNKNOWN = 0x0c;
/** A decimal number as cty writes one it cannot store as an integer or a float64. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The value `bytes` encodes, read as type `type`; trailing bytes are ignored, as cty ignores them. */
export function decodeValue(bytes: Uint8Array, type: CtyType): CtyValue {
  return new Reader(bytes).value(type);
}

/**
 * The value `bytes` encodes, with its type implied by the encoding (maps are
 * objects, arrays tuples): a path step's key. As plain JSON; an unknown key
 * or trailing bytes are errors.
 */
export function decodeImplied(bytes: Uint8Array): unknown {
  const r = new Reader(bytes);
  const v = r.implied();
  if (!r.atEnd()) throw new Error("msgpack: extra bytes after the value");
  return v;
}

/** A cty type from its JSON form (`"string"`, `["list","number"]`, `["object",{...}]`, ...). */
export function parseType(json: unknown): CtyType {
  if (json === "string" || json === "number" || json === "bool" || json === "dynamic") return json;
  if (Array.isArray(json)) {
    const [kind, arg] = json;
    if ((kind === "list" || kind === "set" || kind === "map") && json.length === 2) return [kind, parseType(arg)];
    if (kind === "tuple" && json.length === 2 && Array.isArray(arg)) return ["tuple", arg.map(parseType)];
    // An object type may name its optional attributes third: they do not change how a value is encoded.
    if (kind === "object" && (json.length === 2 || json.length === 3) && arg && typeof arg === "object" && !Array.isArray(arg)) {
      return ["object", Object.fromEntries(Object.entries(arg).map(([k, t]) => [k, parseType(t)]))];
    }
  }
  throw new Error(`msgpack: unsupported type ${JSON.stringify(json)}`);
}

class Reader {
  private pos = 0;
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  atEnd(): boolean {
    return this.pos === this.bytes.length;
  }

  value(type: CtyType): CtyValue {
    const c = this.peek();
    if (isExt(c)) return this.unknown(type);
    if (type === "dynamic") return this.dynamic();
    if (c === 0xc0) {
      this.pos++;
      return NULL;
    }
    if (type === "string") return { kind: "string", value: this.string() };
    if (type === "number") return { kind: "number", value: this.number() };
    if (type === "bool") return { kind: "bool", value: this.bool() };
    const [kind, arg] = type;
    switch (kind) {
      case "list":
      case "set": {
        const n = this.arrayLength();
        const items: CtyValue[] = [];
        for (let i = 0; i < n; i++) items.push(this.value(arg as CtyType));
        return { kind, items };
      }
      case "tuple": {
        const types = arg as CtyType[];
        const n = this.arrayLength();
        if (n !== 0 && n !== types.length) throw new Error(`msgpack: a tuple of ${types.length} elements holds ${n}`);
        return { kind, items: types.slice(0, n).map((t) => this.value(t)) };
      }
      case "map": {
        const n = this.mapLength();
        const entries = new Map<string, CtyValue>();
        for (let i = 0; i < n; i++) entries.set(this.string(), this.value(arg as CtyType));
        return { kind, entries };
      }
      case "object": {
        const types = arg as Record<string, CtyType>;
        const n = this.mapLength();
        const names = Object.keys(types);
        // An empty map stands for an empty object whatever the type says (cty reads it so).
        if (n !== 0 && n !== names.length) throw new Error(`msgpack: an object of ${names.length} attributes holds ${n}`);
        const entries = new Map<string, CtyValue>();
        for (let i = 0; i < n; i++) {
          const name = this.string();
          if (!Object.hasOwn(types, name)) throw new Error(`msgpack: unexpected attribute ${JSON.stringify(name)}`);
          entries.set(name, this.value(types[name]));
        }
        return { kind, entries };
      }
      default:
        throw new Error(`msgpack: unsupported type ${JSON.stringify(type)}`);
    }
  }

  /** A dynamically-typed value: null, or [type as JSON, value]. */
  private dynamic(): CtyValue {
    if (this.peek() === 0xc0) {
      this.pos++;
      return NULL;
    }
    if (this.arrayLength() !== 2) throw new Error("msgpack: a dynamic value must be a [type, value] pair");
    const type = parseType(JSON.parse(utf8.decode(this.rawBytes())));
    return this.value(type);
  }

  /** An unknown value (an extension), refined or not; some refinements make it known (cty's RefinementBuilder.NewValue). */
  private unknown(type: CtyType): CtyValue {
    const { code, length } = this.extHeader();
    const body = this.take(length);
    if (length <= 1) return { kind: "unknown", type };
    if (code !== REFINED_UNKNOWN) throw new Error(`msgpack: extension type ${code} of length ${length}`);
    if (length > 1024) throw new Error("msgpack: oversize unknown value refinement");
    const r = new Reader(body);
    const n = r.mapLength();
    if (type === "dynamic") return { kind: "unknown", type };
    const collection = Array.isArray(type) && ["list", "set", "map"].includes(type[0]);
    let nullness: boolean | undefined;
    let minLength = 0;
    let maxLength = Infinity;
    const bounds: { value: number; inclusive: boolean }[] = [];
    for (let i = 0; i < n; i++) {
      const key = r.integer();
      switch (key) {
        case 1:
          nullness = r.bool();
          break;
        case 2:
          if (type !== "string") throw new Error("msgpack: string prefix refinement for a non-string");
          r.string();
          break;
        case 3:
        case 4: {
          if (type !== "number") throw new Error("msgpack: number bound refinement for a non-number");
          const bound = r.value(["tuple", ["number", "bool"]]);
          if (bound.kind !== "tuple" || bound.items.length !== 2 || bound.items[0].kind !== "number" || bound.items[1].kind !== "bool") {
            throw new Error("msgpack: a number bound refinement must be [number, bool]");
          }
          if (key === 3) bounds[0] = { value: bound.items[0].value, inclusive: bound.items[1].value };
          else bounds[1] = { value: bound.items[0].value, inclusive: bound.items[1].value };
          break;
        }
        case 5:
        case 6:
          if (!collection) throw new Error("msgpack: length refinement for a non-collection");
          if (key === 5) minLength = r.integer();
          else maxLength = r.integer();
          break;
        default:
          throw new Error(`msgpack: unknown refinement ${key}`);
      }
    }
    if (nullness === true) return NULL;
    if (nullness === false) {
      const [min, max] = bounds;
      if (type === "number" && min?.inclusive && max?.inclusive && min.value === max.value) return { kind: "number", value: min.value };
      if (collection && minLength === maxLength) {
        const [kind, element] = type as ["list" | "set" | "map", CtyType];
        if (minLength === 0) return kind === "map" ? { kind, entries: new Map() } : { kind, items: [] };
        if (kind === "list") return { kind, items: Array.from({ length: minLength }, () => ({ kind: "unknown", type: element }) as const) };
        if (kind === "set" && minLength === 1) return { kind, items: [{ kind: "unknown", type: element }] };
      }
    }
    return { kind: "unknown", type };
  }

  /** A value of the type its encoding implies (cty's msgpack.ImpliedType, then decoded as that type), as plain JSON. */
  implied(): unknown {
    const c = this.peek();
    if (c === 0xc0) {
      this.pos++;
      return null;
    }
    if (isExt(c)) throw new Error("msgpack: an unknown path step key");
    if (c === 0xc2 || c === 0xc3) return this.bool();
    if (isStr(c)) return this.string();
    if (isArray(c)) return Array.from({ length: this.arrayLength() }, () => this.implied());
    if (isMap(c)) {
      const entries: [string, unknown][] = [];
      for (let i = this.mapLength(); i > 0; i--) entries.push([this.string(), this.implied()]);
      return Object.fromEntries(entries);
    }
    if (isNumber(c)) return this.number();
    throw new Error(`msgpack: unsupported code 0x${c.toString(16)} in a path step key`);
  }

  private number(): number {
    const c = this.peek();
    let n: number;
    if (isNumber(c) && c !== 0xca && c !== 0xcb) n = this.integer();
    else if (c === 0xca) n = this.view.getFloat32(this.advance(5) + 1);
    else if (c === 0xcb) n = this.view.getFloat64(this.advance(9) + 1);
    else {
      const s = this.string();
      if (!DECIMAL.test(s)) throw new Error(`msgpack: ${JSON.stringify(s)} is not a number`);
      n = Number(s);
    }
    // terraform cannot write infinity (or NaN) as JSON: `show` fails on it.
    if (!Number.isFinite(n)) throw new Error("msgpack: a number that is not finite");
    return n;
  }

  /** Any msgpack integer, as the nearest double (as JSON.parse reads terraform's digits). */
  private integer(): number {
    const c = this.byte();
    if (c <= 0x7f) return c;
    if (c >= 0xe0) return c - 0x100;
    const at = this.pos;
    switch (c) {
      case 0xcc:
        return this.bytes[this.advance(1)];
      case 0xcd:
        return this.view.getUint16(this.advance(2));
      case 0xce:
        return this.view.getUint32(this.advance(4));
      case 0xcf:
        return Number(this.view.getBigUint64(this.advance(8)));
      case 0xd0:
        return this.view.getInt8(this.advance(1));
      case 0xd1:
        return this.view.getInt16(this.advance(2));
      case 0xd2:
        return this.view.getInt32(this.advance(4));
      case 0xd3:
        return Number(this.view.getBigInt64(this.advance(8)));
      default:
        throw new Error(`msgpack: an integer is required at ${at - 1} (code 0x${c.toString(16)})`);
    }
  }

  private bool(): boolean {
    const c = this.byte();
    if (c === 0xc2) return false;
    if (c === 0xc3) return true;
    throw new Error(`msgpack: a bool is required (code 0x${c.toString(16)})`);
  }

  /** A string (str or bin, as cty's decoder takes both), NFC-normalized as cty.StringVal does. */
  private string(): string {
    const s = utf8.decode(this.rawBytes());
    // cty stores strings in NFC; only non-ASCII text can need it.
    return /[^\x00-\x7f]/.test(s) ? s.normalize("NFC") : s;
  }

  private rawBytes(): Uint8Array {
    const c = this.byte();
    let n: number;
    if (c >= 0xa0 && c <= 0xbf) n = c & 0x1f;
    else if (c === 0xd9 || c === 0xc4) n = this.bytes[this.advance(1)];
    else if (c === 0xda || c === 0xc5) n = this.view.getUint16(this.advance(2));
    else if (c === 0xdb || c === 0xc6) n = this.view.getUint32(this.advance(4));
    else throw new Error(`msgpack: a string is required (code 0x${c.toString(16)})`);
    return this.take(n);
  }

  private arrayLength(): number {
    const c = this.byte();
    if (c >= 0x90 && c <= 0x9f) return c & 0x0f;
    if (c === 0xdc) return this.view.getUint16(this.advance(2));
    if (c === 0xdd) return this.view.getUint32(this.advance(4));
    throw new Error(`msgpack: an array is required (code 0x${c.toString(16)})`);
  }

  private mapLength(): number {
    const c = this.byte();
    if (c >= 0x80 && c <= 0x8f) return c & 0x0f;
    if (c === 0xde) return this.view.getUint16(this.advance(2));
    if (c === 0xdf) return this.view.getUint32(this.advance(4));
    throw new Error(`msgpack: a map is required (code 0x${c.toString(16)})`);
  }

  private extHeader(): { code: number; length: number } {
    const c = this.byte();
    let length: number;
    if (c >= 0xd4 && c <= 0xd8) length = 1 << (c - 0xd4);
    else if (c === 0xc7) length = this.bytes[this.advance(1)];
    else if (c === 0xc8) length = this.view.getUint16(this.advance(2));
    else length = this.view.getUint32(this.advance(4)); // 0xc9: isExt allows nothing else
    return { code: this.view.getInt8(this.advance(1)), length };
  }

  private peek(): number {
    if (this.pos >= this.bytes.length) throw new Error("msgpack: unexpected end of data");
    return this.bytes[this.pos];
  }

  private byte(): number {
    const c = this.peek();
    this.pos++;
    return c;
  }

  /** Moves past `n` bytes and returns where they start. */
  private advance(n: number): number {
    if (this.pos + n > this.bytes.length) throw new Error("msgpack: unexpected end of data");
    const at = this.pos;
    this.pos += n;
    return at;
  }

  private take(n: number): Uint8Array {
    const at = this.advance(n);
    return this.bytes.subarray(at, at + n);
  }
}

const isExt = (c: number) => (c >= 0xd4 && c <= 0xd8) || (c >= 0xc7 && c <= 0xc9);
const isStr = (c: number) => (c >= 0xa0 && c <= 0xbf) || (c >= 0xd9 && c <= 0xdb);
const isArray = (c: number) => (c >= 0x90 && c <= 0x9f) || c === 0xdc || c === 0xdd;
const isMap = (c: number) => (c >= 0x80 && c <= 0x8f) || c === 0xde || c === 0xdf;
/** Integers (fixints included) and floats. */
const isNumber = (c: number) => c <= 0x7f || c >= 0xe0 || (c >= 0xca && c <= 0xd3);
