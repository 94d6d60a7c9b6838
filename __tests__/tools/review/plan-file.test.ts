/**
 * The plan file decoder on hand-built bytes: the zip, protobuf and msgpack
 * readers, terraform's JSON rendering of a small plan (unknowns, sensitive
 * values from the plan and from the schema, sets, deposed objects, keys,
 * replace_paths order, dynamic values, outputs), and the fall back to
 * `terraform show -json` for a file it does not know. The check against
 * terraform itself, on a real plan, is in scenarios.test.ts.
 */
import * as fs from "fs";
import * as path from "path";
import { crc32, deflateRawSync } from "zlib";
import { decodeImplied, decodeValue } from "../../../tools/review/msgpack";
import type { readPlan as ReadPlan } from "../../../tools/review/plan-file";
import { decodePlanFile } from "../../../tools/review/plan-file";
import { ProtoMessage } from "../../../tools/review/protobuf";
import type { Schemas } from "../../../tools/review/schema";
import { zipEntry } from "../../../tools/review/zip";
import { tempDir } from "../../helpers/synth";

// --- msgpack, protobuf and zip writers for the fixtures ---

type Bytes = number[];
const be = (n: number, size: number): Bytes => {
  const b = Buffer.alloc(size);
  b.writeUIntBE(n, 0, size);
  return [...b];
};
const mp = {
  nil: (): Bytes => [0xc0],
  bool: (v: boolean): Bytes => [v ? 0xc3 : 0xc2],
  int: (n: number): Bytes => {
    if (n >= 0 && n < 128) return [n];
    if (n < 0 && n >= -32) return [n & 0xff];
    const b = Buffer.alloc(4);
    b.writeInt32BE(n);
    return [0xd2, ...b];
  },
  f64: (x: number): Bytes => {
    const b = Buffer.alloc(8);
    b.writeDoubleBE(x);
    return [0xcb, ...b];
  },
  str: (s: string): Bytes => {
    const b = [...Buffer.from(s, "utf8")];
    return b.length < 32 ? [0xa0 | b.length, ...b] : [0xd9, b.length, ...b];
  },
  arr: (...items: Bytes[]): Bytes => [0x90 | items.length, ...items.flat()],
  map: (entries: Record<string, Bytes>): Bytes => [0x80 | Object.keys(entries).length, ...Object.entries(entries).flatMap(([k, v]) => [...mp.str(k), ...v])],
  intMap: (entries: [number, Bytes][]): Bytes => [0x80 | entries.length, ...entries.flatMap(([k, v]) => [k, ...v])],
  unknown: (): Bytes => [0xd4, 0, 0],
  refined: (refinements: [number, Bytes][]): Bytes => {
    const body = mp.intMap(refinements);
    return [0xc7, body.length, 0x0c, ...body];
  },
  dynamic: (type: unknown, value: Bytes): Bytes => mp.arr(mp.str(JSON.stringify(type)), value),
};

const varint = (n: number): Bytes => {
  const out: Bytes = [];
  for (; n >= 128; n = Math.floor(n / 128)) out.push((n % 128) | 128);
  return [...out, n];
};
const pb = {
  v: (field: number, n: number): Bytes => [...varint(field * 8), ...varint(n)],
  b: (field: number, data: Bytes | string): Bytes => {
    const bytes = typeof data === "string" ? [...Buffer.from(data, "utf8")] : data;
    return [...varint(field * 8 + 2), ...varint(bytes.length), ...bytes];
  },
};
const dv = (msgpack: Bytes) => pb.b(1, msgpack);
const attr = (name: string) => pb.b(1, name);
const key = (msgpack: Bytes) => pb.b(2, dv(msgpack));
const pathOf = (...steps: Bytes[]) => steps.flatMap((s) => pb.b(1, s));
const change = (o: { action: number; values: Bytes[]; beforePaths?: Bytes[]; afterPaths?: Bytes[]; importing?: Bytes; generated?: string }): Bytes => [
  ...pb.v(1, o.action),
  ...o.values.flatMap((v) => pb.b(2, dv(v))),
  ...(o.beforePaths ?? []).flatMap((p) => pb.b(3, p)),
  ...(o.afterPaths ?? []).flatMap((p) => pb.b(4, p)),
  ...(o.importing ? pb.b(5, o.importing) : []),
  ...(o.generated ? pb.b(6, o.generated) : []),
];
const PROVIDER = "registry.terraform.io/hashicorp/test";
const resourceChange = (o: { addr: string; prev?: string; deposed?: string; provider?: string; change: Bytes; replace?: Bytes[]; reason?: number }): Bytes => [
  ...pb.b(13, o.addr),
  ...(o.prev ? pb.b(14, o.prev) : []),
  ...(o.deposed ? pb.b(7, o.deposed) : []),
  ...pb.b(8, o.provider ?? `provider["${PROVIDER}"]`),
  ...pb.b(9, o.change),
  ...(o.replace ?? []).flatMap((p) => pb.b(11, p)),
  ...(o.reason ? pb.v(12, o.reason) : []),
];
const outputChange = (name: string, c: Bytes, sensitive = false): Bytes => [...pb.b(1, name), ...pb.b(2, c), ...(sensitive ? pb.v(3, 1) : [])];
const plan = (o: { version?: number; terraform?: string; resources?: Bytes[]; outputs?: Bytes[] }): Bytes => [
  ...pb.v(1, o.version ?? 3),
  ...(o.resources ?? []).flatMap((r) => pb.b(3, r)),
  ...(o.outputs ?? []).flatMap((r) => pb.b(4, r)),
  ...pb.b(14, o.terraform ?? "1.11.4"),
];

/** A zip archive as Go's archive/zip writes one: local headers, central directory, end record. */
function zip(entries: Record<string, Buffer>, deflate = true): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of Object.entries(entries)) {
    const stored = deflate ? deflateRawSync(data) : data;
    const n = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(deflate ? 8 : 0, 8);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(stored.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(n.length, 26);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    local.copy(entry, 6, 4, 30); // version needed .. extra length, as in the local header
    entry.writeUInt32LE(offset, 42);
    parts.push(local, n, stored);
    central.push(entry, n);
    offset += 30 + n.length + stored.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, directory, end]);
}

function planFile(bytes: Bytes, deflate = true): string {
  const file = path.join(tempDir("plan-file"), "tfplan");
  fs.writeFileSync(file, zip({ tfstate: Buffer.from("{}"), tfplan: Buffer.from(bytes) }, deflate));
  return file;
}

// --- a schema of a made-up provider ---

const schemas: Schemas = {
  resources: {
    [PROVIDER]: {
      test_thing: {
        version: 0,
        block: {
          attributes: {
            id: { type: "string", computed: true },
            name: { type: "string", required: true },
            password: { type: "string", optional: true, sensitive: true },
            tags: { type: ["map", "string"], optional: true },
            ports: { type: ["list", "number"], optional: true },
            config: { nested: { nesting: "single", attributes: { token: { type: "string", sensitive: true }, size: { type: "number" } } }, optional: true },
          },
          blocks: {
            rule: { nesting: "set", block: { attributes: { cidr: { type: "string" }, key: { type: "string", sensitive: true } }, blocks: {} } },
            setting: { nesting: "list", block: { attributes: { value: { type: "string" } }, blocks: {} } },
          },
        },
      },
    },
  },
  dataSources: {
    [PROVIDER]: {
      test_source: {
        version: 0,
        block: { attributes: { id: { type: "string", computed: true }, filter: { type: ["list", "string"], optional: true }, secret: { type: "string", computed: true, sensitive: true } }, blocks: {} },
      },
    },
  },
};

const thing = (o: Partial<Record<"id" | "name" | "password" | "tags" | "ports" | "config" | "rule" | "setting", Bytes>>): Bytes =>
  mp.map({ id: mp.nil(), name: mp.nil(), password: mp.nil(), tags: mp.nil(), ports: mp.nil(), config: mp.nil(), rule: mp.arr(), setting: mp.arr(), ...o });

describe("msgpack: cty values", () => {
  const bytes = (b: Bytes) => Uint8Array.from(b);

  test("primitives, null of any type, numbers in every encoding (a 64-bit integer as the nearest double, as JSON.parse reads it)", () => {
    expect(decodeValue(bytes(mp.str("e\u0301")), "string")).toEqual({ kind: "string", value: "\u00e9" }); // NFC, as cty.StringVal
    expect(decodeValue(bytes(mp.bool(true)), "bool")).toEqual({ kind: "bool", value: true });
    expect(decodeValue(bytes(mp.nil()), ["list", "string"])).toEqual({ kind: "null" });
    const numbers: [Bytes, number][] = [
      [mp.int(5), 5],
      [mp.int(-3), -3],
      [mp.int(-70000), -70000],
      [[0xcd, 0x12, 0x34], 0x1234],
      [[0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], 2 ** 64], // 18446744073709551615, as JSON.parse reads it
      [[0xd3, 0x00, 0x20, 0, 0, 0, 0, 0, 1], 2 ** 53], // 2^53 + 1
      [[0xd3, 0x80, 0, 0, 0, 0, 0, 0, 1], -(2 ** 63)], // -2^63 + 1
      [[0xca, ...be(0x3fc00000, 4)], 1.5],
      [mp.f64(0.1), 0.1],
      [mp.str("123456789012345678901234567890.5"), 123456789012345678901234567890.5],
    ];
    for (const [b, n] of numbers) expect(decodeValue(bytes(b), "number")).toEqual({ kind: "number", value: n });
    expect(() => decodeValue(bytes(mp.str("1e400")), "number")).toThrow(/not finite/);
    expect(() => decodeValue(bytes(mp.str("12abc")), "number")).toThrow(/not a number/);
  });

  test("nested objects, lists, sets, maps and tuples, in their stored order; an empty map is an empty object", () => {
    const type = ["object", { l: ["list", "number"], s: ["set", "string"], m: ["map", ["object", { x: "bool" }]], t: ["tuple", ["string", "number"]], e: ["object", { y: "string" }] }] as const;
    const v = decodeValue(bytes(mp.map({ l: mp.arr(mp.int(2), mp.int(1)), s: mp.arr(mp.str("b"), mp.str("a")), m: mp.map({ k: mp.map({ x: mp.bool(false) }) }), t: mp.arr(mp.str("a"), mp.int(1)), e: mp.map({}) })), type as any);
    expect(v).toEqual({
      kind: "object",
      entries: new Map<string, unknown>([
        ["l", { kind: "list", items: [{ kind: "number", value: 2 }, { kind: "number", value: 1 }] }],
        ["s", { kind: "set", items: [{ kind: "string", value: "b" }, { kind: "string", value: "a" }] }],
        ["m", { kind: "map", entries: new Map([["k", { kind: "object", entries: new Map([["x", { kind: "bool", value: false }]]) }]]) }],
        ["t", { kind: "tuple", items: [{ kind: "string", value: "a" }, { kind: "number", value: 1 }] }],
        ["e", { kind: "object", entries: new Map() }],
      ]),
    });
    expect(() => decodeValue(bytes(mp.map({ z: mp.nil() })), ["object", { y: "string" }])).toThrow(/unexpected attribute "z"/);
    expect(() => decodeValue(bytes(mp.arr(mp.str("a"))), ["tuple", ["string", "number"]])).toThrow(/tuple of 2/);
    expect(() => decodeValue(bytes([0x92, 0xa1]), ["list", "string"])).toThrow(/end of data/);
  });

  test("dynamic values carry their type: the value is read as that type; null and unknown need none", () => {
    expect(decodeValue(bytes(mp.dynamic(["list", "number"], mp.arr(mp.str("7")))), "dynamic")).toEqual({ kind: "list", items: [{ kind: "number", value: 7 }] });
    expect(decodeValue(bytes(mp.nil()), "dynamic")).toEqual({ kind: "null" });
    expect(decodeValue(bytes(mp.unknown()), "dynamic")).toEqual({ kind: "unknown", type: "dynamic" });
    expect(() => decodeValue(bytes(mp.arr(mp.str('"string"'))), "dynamic")).toThrow(/\[type, value\] pair/);
  });

  test("unknown values and refined unknowns; refinements that pin the value make it known, as cty does", () => {
    expect(decodeValue(bytes(mp.unknown()), ["map", "string"])).toEqual({ kind: "unknown", type: ["map", "string"] });
    expect(decodeValue(bytes(mp.refined([[1, mp.bool(false)], [2, mp.str("arn:")]])), "string")).toEqual({ kind: "unknown", type: "string" });
    expect(decodeValue(bytes(mp.refined([[1, mp.bool(true)]])), "string")).toEqual({ kind: "null" });
    const bound = mp.arr(mp.int(4), mp.bool(true));
    expect(decodeValue(bytes(mp.refined([[1, mp.bool(false)], [3, bound], [4, bound]])), "number")).toEqual({ kind: "number", value: 4 });
    expect(decodeValue(bytes(mp.refined([[3, bound], [4, bound]])), "number")).toEqual({ kind: "unknown", type: "number" }); // null not ruled out
    expect(decodeValue(bytes(mp.refined([[1, mp.bool(false)], [5, mp.int(2)], [6, mp.int(2)]])), ["list", "string"])).toEqual({
      kind: "list",
      items: [{ kind: "unknown", type: "string" }, { kind: "unknown", type: "string" }],
    });
    expect(decodeValue(bytes(mp.refined([[1, mp.bool(false)], [6, mp.int(0)]])), ["set", "string"])).toEqual({ kind: "set", items: [] });
    expect(decodeValue(bytes(mp.refined([[1, mp.bool(false)]])), "dynamic")).toEqual({ kind: "unknown", type: "dynamic" });
    expect(() => decodeValue(bytes(mp.refined([[2, mp.str("x")]])), "number")).toThrow(/string prefix refinement for a non-string/);
    expect(() => decodeValue(bytes(mp.refined([[9, mp.int(1)]])), "string")).toThrow(/unknown refinement 9/);
    expect(() => decodeValue(bytes([0xd5, 3, 1, 2]), "string")).toThrow(/extension type 3/);
  });

  test("path step keys have the type their encoding implies; an unknown key or trailing bytes are errors", () => {
    expect(decodeImplied(bytes(mp.int(3)))).toBe(3);
    expect(decodeImplied(bytes(mp.map({ a: mp.arr(mp.str("x"), mp.nil()) })))).toEqual({ a: ["x", null] });
    expect(() => decodeImplied(bytes(mp.unknown()))).toThrow(/unknown path step key/);
    expect(() => decodeImplied(bytes([...mp.int(1), 0]))).toThrow(/extra bytes/);
  });
});

describe("protobuf and zip readers", () => {
  test("fields by number: varints (several bytes), strings, repeated messages; proto3 defaults when absent", () => {
    const m = new ProtoMessage(Uint8Array.from([...pb.v(1, 300), ...pb.b(2, "héllo"), ...pb.b(3, pb.v(1, 1)), ...pb.b(3, pb.v(1, 2)), ...pb.v(1000, 2 ** 40)]));
    expect([m.varint(1), m.string(2), m.messages(3).map((x) => x.varint(1)), m.varint(1000), m.varint(4), m.string(5), m.message(6)]).toEqual([300, "héllo", [1, 2], 2 ** 40, 0, "", undefined]);
  });

  test("what a plan file never holds is an error, not a guess", () => {
    expect(() => new ProtoMessage(Uint8Array.from([...pb.v(1, 1), 0x80]))).toThrow(/truncated varint/);
    expect(() => new ProtoMessage(Uint8Array.from([...varint(1 * 8 + 3)]))).toThrow(/wire type 3/);
    expect(() => new ProtoMessage(Uint8Array.from([...pb.b(2, "abc")].slice(0, 4)))).toThrow(/past the end/);
    expect(() => new ProtoMessage(Uint8Array.from([...pb.v(1, 1), ...pb.v(1, 2)])).varint(1)).toThrow(/written 2 times/);
    expect(() => new ProtoMessage(Uint8Array.from(pb.v(2, 1))).string(2)).toThrow(/not length-delimited/);
    expect(() => new ProtoMessage(Uint8Array.from([...varint(1 * 8 + 1), 0, 0, 0, 0, 0, 0, 0, 0])).varint(1)).toThrow(/not a varint/);
    expect(() => new ProtoMessage(Uint8Array.from(pb.b(2, [0xff]))).string(2)).toThrow();
  });

  test("zip: an entry by name, deflated or stored, checked against its CRC-32", () => {
    const data = Buffer.from("tfplan bytes ".repeat(100));
    for (const deflate of [true, false]) expect(zipEntry(zip({ a: Buffer.from("x"), tfplan: data }, deflate), "tfplan")).toEqual(data);
    expect(() => zipEntry(zip({ a: Buffer.from("x") }), "tfplan")).toThrow(/no tfplan/);
    const corrupt = zip({ tfplan: data }, false);
    corrupt[40] ^= 1; // a byte of the stored data
    expect(() => zipEntry(corrupt, "tfplan")).toThrow(/CRC-32/);
    expect(() => zipEntry(Buffer.from("not a zip file at all, just bytes"), "tfplan")).toThrow(/not a zip/);
  });
});

describe("decodePlanFile: terraform show -json's resource_changes and output_changes", () => {
  const replaced = change({
    action: 6,
    values: [
      thing({ id: mp.str("i-1"), name: mp.str("old"), tags: mp.map({ env: mp.str("dev") }), ports: mp.arr(mp.int(80)), config: mp.map({ token: mp.str("t"), size: mp.int(1) }), rule: mp.arr(mp.map({ cidr: mp.str("10.0.0.0/8"), key: mp.nil() })) }),
      thing({
        id: mp.refined([[1, mp.bool(false)], [2, mp.str("i-")]]),
        name: mp.str("new"),
        password: mp.str("p"),
        tags: mp.unknown(),
        ports: mp.arr(mp.int(80), mp.unknown()),
        setting: mp.arr(mp.map({ value: mp.unknown() })),
      }),
    ],
    beforePaths: [pathOf(attr("ports"), key(mp.int(0)))],
    afterPaths: [pathOf(attr("tags"))],
  });
  const bytes = plan({
    resources: [
      resourceChange({
        addr: 'module.m["k"].test_thing.b[1]',
        prev: 'module.m["k"].test_thing.old[1]',
        change: replaced,
        reason: 3,
        replace: [pathOf(attr("name")), pathOf(attr("setting"), key(mp.int(0)), attr("value")), pathOf(attr("ports")), pathOf(attr("name")), pathOf(attr("tags"), key(mp.str("b"))), pathOf(attr("tags"), key(mp.str("a")))],
      }),
      resourceChange({ addr: "test_thing.a", deposed: "deadbeef", change: change({ action: 5, values: [thing({ id: mp.str("old-a"), name: mp.str("a") })] }) }),
      resourceChange({
        addr: "test_thing.a",
        change: change({
          action: 1,
          values: [thing({ id: mp.str("x"), name: mp.str("a"), config: mp.map({ token: mp.nil(), size: mp.int(2) }), rule: mp.arr(mp.map({ cidr: mp.str("c"), key: mp.str("k") })), setting: mp.arr(mp.map({ value: mp.str("v") })) })],
          importing: pb.b(1, "imp-1"),
          generated: 'resource "test_thing" "a" {}',
        }),
      }),
      resourceChange({ addr: 'test_thing.n["a\\"b.c"]', change: change({ action: 0, values: [thing({ id: mp.str("n"), name: mp.str("n") })] }) }),
      resourceChange({ addr: "data.test_source.x", change: change({ action: 2, values: [mp.nil(), mp.map({ id: mp.unknown(), filter: mp.arr(mp.str("a")), secret: mp.unknown() })] }), reason: 11 }),
      resourceChange({ addr: "data.test_source.gone", change: change({ action: 5, values: [mp.map({ id: mp.str("g"), filter: mp.nil(), secret: mp.nil() })] }) }),
      resourceChange({
        addr: "terraform_data.d",
        provider: 'provider["terraform.io/builtin/terraform"]',
        change: change({ action: 1, values: [mp.map({ id: mp.unknown(), input: mp.dynamic(["object", { a: ["list", "string"] }], mp.map({ a: mp.arr(mp.str("x")) })), output: mp.unknown(), triggers_replace: mp.nil() })] }),
      }),
    ],
    outputs: [
      outputChange("secret", change({ action: 1, values: [mp.dynamic("string", mp.str("s3cret"))] }), true),
      outputChange("later", change({ action: 1, values: [mp.unknown()] })),
      outputChange("mixed", change({ action: 3, values: [mp.dynamic("number", mp.int(1)), mp.dynamic(["object", { a: "string", b: "number" }], mp.map({ a: mp.unknown(), b: mp.int(2) }))] })),
    ],
  });

  test("every field, in terraform's order: data before managed, root module first, deposed after current; data deletes left out", () => {
    const decoded = decodePlanFile(planFile(bytes), schemas);
    const common = { mode: "managed", type: "test_thing", provider_name: PROVIDER };
    expect(decoded.resource_changes).toStrictEqual([
      {
        address: "data.test_source.x",
        mode: "data",
        type: "test_source",
        name: "x",
        provider_name: PROVIDER,
        change: { actions: ["read"], before: null, after: { filter: ["a"] }, after_unknown: { id: true, filter: [false], secret: true }, before_sensitive: false, after_sensitive: { filter: [false], secret: true } },
        action_reason: "read_because_dependency_pending",
      },
      {
        address: "terraform_data.d",
        mode: "managed",
        type: "terraform_data",
        name: "d",
        provider_name: "terraform.io/builtin/terraform",
        change: {
          actions: ["create"],
          before: null,
          after: { input: { a: ["x"] }, triggers_replace: null },
          after_unknown: { id: true, input: { a: [false] }, output: true },
          before_sensitive: false,
          after_sensitive: { input: { a: [false] } },
        },
      },
      {
        address: "test_thing.a",
        ...common,
        name: "a",
        change: {
          actions: ["create"],
          before: null,
          after: { id: "x", name: "a", password: null, tags: null, ports: null, config: { token: null, size: 2 }, rule: [{ cidr: "c", key: "k" }], setting: [{ value: "v" }] },
          after_unknown: {},
          before_sensitive: false,
          // a sensitive attribute inside a set element marks the whole set (cty keeps no marks on set elements)
          after_sensitive: { password: true, config: { token: true }, rule: true, setting: [{}] },
          importing: { id: "imp-1" },
          generated_config: 'resource "test_thing" "a" {}',
        },
      },
      {
        address: "test_thing.a",
        ...common,
        name: "a",
        deposed: "deadbeef",
        change: {
          actions: ["delete"],
          before: { id: "old-a", name: "a", password: null, tags: null, ports: null, config: null, rule: [], setting: [] },
          after: null,
          after_unknown: {},
          before_sensitive: { password: true, rule: [], setting: [] },
          after_sensitive: false,
        },
      },
      {
        address: 'test_thing.n["a\\"b.c"]',
        ...common,
        name: "n",
        index: 'a"b.c',
        change: {
          actions: ["no-op"],
          before: { id: "n", name: "n", password: null, tags: null, ports: null, config: null, rule: [], setting: [] },
          after: { id: "n", name: "n", password: null, tags: null, ports: null, config: null, rule: [], setting: [] },
          after_unknown: {},
          before_sensitive: { password: true, rule: [], setting: [] },
          after_sensitive: { password: true, rule: [], setting: [] },
        },
      },
      {
        address: 'module.m["k"].test_thing.b[1]',
        previous_address: 'module.m["k"].test_thing.old[1]',
        module_address: 'module.m["k"]',
        ...common,
        name: "b",
        index: 1,
        change: {
          actions: ["delete", "create"],
          before: { id: "i-1", name: "old", password: null, tags: { env: "dev" }, ports: [80], config: { token: "t", size: 1 }, rule: [{ cidr: "10.0.0.0/8", key: null }], setting: [] },
          // unknowns left out, or null in their place in a list
          after: { name: "new", password: "p", ports: [80, null], config: null, rule: [], setting: [{}] },
          after_unknown: { id: true, tags: true, ports: [false, true], rule: [], setting: [{ value: true }] },
          // the plan's paths (ports[0] before, tags after: an unknown map marked whole) with the schema's
          before_sensitive: { password: true, tags: {}, ports: [true], config: { token: true }, rule: true, setting: [] },
          after_sensitive: { password: true, tags: true, ports: [false, false], rule: [], setting: [{}] },
          // cty's path-set order (CRC-64 buckets, then as added), the repeated path once
          replace_paths: [["setting", 0, "value"], ["ports"], ["name"], ["tags", "b"], ["tags", "a"]],
        },
        action_reason: "replace_because_cannot_update",
      },
    ]);
    expect(decoded.output_changes).toStrictEqual({
      secret: { actions: ["create"], before: null, after: "s3cret", after_unknown: false, before_sensitive: true, after_sensitive: true },
      later: { actions: ["create"], before: null, after_unknown: true, before_sensitive: false, after_sensitive: false },
      mixed: { actions: ["update"], before: 1, after: { b: 2 }, after_unknown: { a: true }, before_sensitive: false, after_sensitive: false },
    });
  });

  test("a plan with no changes has neither key, as terraform leaves them out", () => {
    expect(decodePlanFile(planFile(plan({}), false), schemas)).toStrictEqual({});
  });

  test("an unknown format or terraform version, enum value, or a type without a schema: an error naming it", () => {
    const withChange = (c: Bytes, reason?: number) => plan({ resources: [resourceChange({ addr: "test_thing.a", change: c, reason })] });
    const create = change({ action: 1, values: [thing({})] });
    const cases: [Bytes, RegExp][] = [
      [plan({ version: 4 }), /format version 4/],
      [plan({ terraform: "1.12.0" }), /made by terraform 1\.12\.0/],
      [withChange(change({ action: 4, values: [] })), /unknown change action 4/],
      [withChange(create, 99), /unknown action reason 99/],
      [withChange(change({ action: 3, values: [thing({})] })), /1 value\(s\) for action 3/],
      [plan({ resources: [resourceChange({ addr: "test_other.a", change: create })] }), /no schema for test_other\.a/],
      [plan({ resources: [resourceChange({ addr: "test_thing.a", provider: "aws", change: create })] }), /provider configuration address/],
      [plan({ resources: [resourceChange({ addr: "ephemeral.test_thing.a", change: create })] }), /resource instance address/],
    ];
    for (const [b, message] of cases) expect(() => decodePlanFile(planFile(b), schemas)).toThrow(message);
  });
});

describe("readPlan: terraform show -json for a file the decoder does not know", () => {
  let readPlan: typeof ReadPlan;
  let calls: string;

  beforeAll(() => {
    // A terraform that answers `show` with a plan JSON of its own, and notes that it was asked.
    const bin = path.join(tempDir("fake-terraform"), "terraform");
    calls = `${bin}.calls`;
    fs.writeFileSync(bin, `#!/bin/sh\necho "$@" >> ${calls}\necho '{"resource_changes":[{"address":"from.terraform"}]}'\n`, { mode: 0o755 });
    const saved = process.env.TERRAFORM_BIN;
    process.env.TERRAFORM_BIN = bin;
    jest.isolateModules(() => {
      readPlan = require("../../../tools/review/plan-file").readPlan;
    });
    if (saved === undefined) delete process.env.TERRAFORM_BIN;
    else process.env.TERRAFORM_BIN = saved;
  });

  test.each([
    ["a corrupt file", () => Buffer.from("PK\u0003\u0004 truncated"), /not a zip archive/],
    ["an unknown format version", () => zip({ tfplan: Buffer.from(plan({ version: 9 })) }), /format version 9/],
  ])("%s: one log line saying why, and terraform's answer", async (_, contents, why) => {
    const dir = tempDir("plan-file");
    fs.writeFileSync(path.join(dir, "tfplan"), contents());
    const lines: string[] = [];
    const read = await readPlan(dir, schemas, process.env, (l) => lines.push(l));
    expect(read).toEqual({ plan: { resource_changes: [{ address: "from.terraform" }] }, via: "terraform show" });
    expect(lines).toEqual([expect.stringMatching(why)]);
    expect(lines[0]).toMatch(/reading it with terraform show -json$/);
    expect(fs.readFileSync(calls, "utf8").trim().split("\n").pop()).toBe("show -json -no-color tfplan");
  });

  test("a plan it knows: decoded, terraform not asked", async () => {
    const dir = path.dirname(planFile(plan({ outputs: [outputChange("o", change({ action: 0, values: [mp.dynamic("bool", mp.bool(true))] }))] })));
    const before = fs.existsSync(calls) ? fs.readFileSync(calls, "utf8") : "";
    const lines: string[] = [];
    expect(await readPlan(dir, schemas, process.env, (l) => lines.push(l))).toEqual({
      plan: { output_changes: { o: { actions: ["no-op"], before: true, after: true, after_unknown: false, before_sensitive: false, after_sensitive: false } } },
      via: "decoded",
    });
    expect(lines).toEqual([]);
    expect(fs.existsSync(calls) ? fs.readFileSync(calls, "utf8") : "").toBe(before);
  });
});
