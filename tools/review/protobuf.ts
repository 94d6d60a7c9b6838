/**
 * A protobuf wire-format reader, just enough for terraform's plan file
 * (plan-file.ts) and a provider's schema answer (schema-only-provider.ts):
 * a message is read into its fields by number, and the caller says what
 * each field is. Anything the plan file's messages never
 * hold (groups, a singular field written twice, a wire type that does not
 * fit) is an error, so a file this reader does not understand is never
 * read as something else.
 */

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * A varint (as a number: exact up to 2^53, which every field read here fits), the bytes of a
 * length-delimited field, or null for a fixed-width one (no field of the plan file is: an error if read).
 */
type FieldValue = number | Uint8Array | null;

/** One field as written: its number, its value, and the bytes of the whole field (key included). */
export interface ProtoField {
  readonly field: number;
  readonly value: FieldValue;
  readonly raw: Uint8Array;
}

/**
 * The fields of a message in the order they were written. The raw bytes let
 * a caller copy fields through unchanged (the schema-only provider drops
 * map entries from terraform's schema answer and keeps the rest as is).
 */
export function* protoFields(bytes: Uint8Array): Generator<ProtoField> {
  let pos = 0;
  const varint = (): number => {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (pos >= bytes.length) throw new Error("protobuf: truncated varint");
      const b = bytes[pos++];
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 128;
    }
    throw new Error("protobuf: varint longer than 10 bytes");
  };
  while (pos < bytes.length) {
    const start = pos;
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (field === 0) throw new Error("protobuf: field number 0");
    let value: FieldValue;
    if (wire === 0) {
      value = varint();
    } else if (wire === 2) {
      const length = varint();
      if (pos + length > bytes.length) throw new Error(`protobuf: field ${field} runs past the end of its message`);
      value = bytes.subarray(pos, pos + length);
      pos += length;
    } else if (wire === 1 || wire === 5) {
      pos += wire === 1 ? 8 : 4;
      if (pos > bytes.length) throw new Error(`protobuf: field ${field} runs past the end of its message`);
      value = null;
    } else {
      throw new Error(`protobuf: wire type ${wire} (field ${field}) is not supported`);
    }
    yield { field, value, raw: bytes.subarray(start, pos) };
  }
}

/** One message's fields, by field number, in the order they were written. */
export class ProtoMessage {
  private readonly fields = new Map<number, FieldValue[]>();

  constructor(bytes: Uint8Array) {
    for (const { field, value } of protoFields(bytes)) {
      const list = this.fields.get(field);
      if (list) list.push(value);
      else this.fields.set(field, [value]);
    }
  }

  /** A varint field (enum, bool, integer); 0 when absent, as proto3 reads it. */
  varint(field: number): number {
    const v = this.single(field);
    if (v === undefined) return 0;
    if (typeof v !== "number") throw new Error(`protobuf: field ${field} is not a varint`);
    return v;
  }

  bool(field: number): boolean {
    return this.varint(field) !== 0;
  }

  /** A string field; "" when absent. */
  string(field: number): string {
    const v = this.bytes(field);
    return v ? utf8.decode(v) : "";
  }

  /** A bytes field, undefined when absent. */
  bytes(field: number): Uint8Array | undefined {
    const v = this.single(field);
    if (v === undefined || v instanceof Uint8Array) return v;
    throw new Error(`protobuf: field ${field} is not length-delimited`);
  }

  /** An embedded message, undefined when absent. */
  message(field: number): ProtoMessage | undefined {
    const v = this.bytes(field);
    return v && new ProtoMessage(v);
  }

  /** A repeated embedded message field. */
  messages(field: number): ProtoMessage[] {
    return (this.fields.get(field) ?? []).map((v) => {
      if (!(v instanceof Uint8Array)) throw new Error(`protobuf: field ${field} is not length-delimited`);
      return new ProtoMessage(v);
    });
  }

  has(field: number): boolean {
    return this.fields.has(field);
  }

  private single(field: number): FieldValue | undefined {
    const list = this.fields.get(field);
    if (list && list.length > 1) throw new Error(`protobuf: singular field ${field} written ${list.length} times`);
    return list?.[0];
  }
}
