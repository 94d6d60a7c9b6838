/**
 * The plan JSON's `resource_changes` and `output_changes` read straight from
 * a plan file, as `terraform show -json` renders them, without terraform:
 * `show` starts the provider and loads its whole schema (~2-3 s) for what is
 * a zip (zip.ts) holding a protobuf message (protobuf.ts) of msgpack-encoded
 * cty values (msgpack.ts).
 *
 * The rendering follows terraform 1.11's internal/command/jsonplan (before /
 * after with unknowns left out, after_unknown, before_sensitive and
 * after_sensitive from the plan's sensitive paths plus the schema's
 * sensitive attributes, replace_paths in cty's path-set order, the address
 * order), checked against terraform itself on the review's scenario corpus
 * (scenarios.test.ts). A plan file of another format or terraform version,
 * or anything this reader does not understand, is read by `terraform show
 * -json` instead (readPlan), never guessed at.
 */
import * as fs from "fs";
import * as path from "path";
import { runTerraform } from "../terraform";
import type { PlannedChange } from "./baseline";
import type { CtyValue } from "./msgpack";
import { decodeImplied, decodeValue, parseType } from "./msgpack";
import { ProtoMessage } from "./protobuf";
import type { AttributeSchema, BlockSchema, CtyType, Schemas } from "./schema";
import { resourceSchema } from "./schema";
import { zipEntry } from "./zip";

export interface OutputChange {
  readonly actions: readonly string[];
  readonly before?: unknown;
  readonly after?: unknown;
  readonly after_unknown?: unknown;
  readonly before_sensitive?: unknown;
  readonly after_sensitive?: unknown;
}

/** The plan JSON (`terraform show -json`), the parts this project reads. */
export interface PlanJson {
  readonly resource_changes?: readonly PlannedChange[];
  readonly output_changes?: Record<string, OutputChange>;
}

/** The tfplan format version read here (terraform's tfplanFormatVersion). */
const FORMAT_VERSION = 3;
/** The terraform versions whose plan files and JSON rendering this follows (1.11.0 to 1.11.4 share them). */
const TERRAFORM_VERSIONS = /^1\.11\.[0-4]$/;

/** planproto.Action -> the JSON actions, and which of the change's values are before and after (-1: none). */
const ACTIONS: Record<number, readonly [readonly string[], number, number]> = {
  0: [["no-op"], 0, 0],
  1: [["create"], -1, 0],
  2: [["read"], 0, 1],
  3: [["update"], 0, 1],
  5: [["delete"], 0, -1],
  6: [["delete", "create"], 0, 1],
  7: [["create", "delete"], 0, 1],
  8: [["forget"], 0, -1],
  9: [["create", "forget"], 0, 1],
};
const DELETE = 5;

/** planproto.ResourceInstanceActionReason -> action_reason ("" for none: left out). */
const ACTION_REASONS: Record<number, string> = {
  0: "",
  1: "replace_because_tainted",
  2: "replace_by_request",
  3: "replace_because_cannot_update",
  4: "delete_because_no_resource_config",
  5: "delete_because_wrong_repetition",
  6: "delete_because_count_index",
  7: "delete_because_each_key",
  8: "delete_because_no_module",
  9: "replace_by_triggers",
  10: "read_because_config_unknown",
  11: "read_because_dependency_pending",
  12: "delete_because_no_move_target",
  13: "read_because_check_nested",
};

/** How the plan JSON was read: decoded here, or by terraform because the decoder could not. */
export interface PlanRead {
  readonly plan: PlanJson;
  readonly via: "decoded" | "terraform show";
}

/**
 * The plan JSON of `dir`'s `tfplan`: decoded here, or - for a file the
 * decoder does not know - from `terraform show -json`, with one log line
 * saying why. An error is terraform's message when `show` fails.
 */
export async function readPlan(dir: string, schemas: Schemas, env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<PlanRead | { readonly error: string }> {
  try {
    return { plan: decodePlanFile(path.join(dir, "tfplan"), schemas), via: "decoded" };
  } catch (e) {
    log(`plan file not decoded (${(e as Error).message}): reading it with terraform show -json`);
  }
  const show = await runTerraform(["show", "-json", "-no-color", "tfplan"], dir, env);
  if (show.code !== 0) return { error: show.stderr || show.stdout };
  return { plan: JSON.parse(show.stdout), via: "terraform show" };
}

/** `terraform show -json`'s resource_changes and output_changes of a plan file; throws for anything it does not know. */
export function decodePlanFile(file: string, schemas: Schemas): PlanJson {
  const plan = new ProtoMessage(zipEntry(fs.readFileSync(file), "tfplan"));
  const version = plan.varint(1);
  if (version !== FORMAT_VERSION) throw new Error(`plan file format version ${version}, this reader knows ${FORMAT_VERSION}`);
  const terraformVersion = plan.string(14);
  if (!TERRAFORM_VERSIONS.test(terraformVersion)) throw new Error(`plan file made by terraform ${terraformVersion || "(no version)"}, this reader follows 1.11.0-1.11.4`);

  const changes = plan
    .messages(3)
    .map(resourceInstanceChange)
    // Data sources' "delete" only cleans up state: terraform leaves it out.
    .filter((rc) => !(rc.address.mode === "data" && rc.change.action === DELETE))
    .sort(compareChanges)
    .map((rc) => resourceChangeJson(rc, schemas));
  const outputs = new Map<string, OutputChange>();
  for (const m of plan.messages(4)) outputs.set(m.string(1), outputChangeJson(required(m.message(2), "output change"), m.bool(3)));
  return {
    ...(changes.length ? { resource_changes: changes } : {}),
    ...(outputs.size ? { output_changes: Object.fromEntries(outputs) } : {}),
  };
}

/** A path into a value: attribute names and index keys (a set element's key is the element itself). */
type Step = { readonly attr: string } | { readonly index: unknown };

/** A schema path's step into a set: the element it names (cty keys a set's elements by their value). */
class SetElement {
  constructor(readonly value: CtyValue) {}
}

interface Change {
  readonly action: number;
  readonly before?: Uint8Array;
  readonly after?: Uint8Array;
  readonly beforeSensitive: readonly (readonly Step[])[];
  readonly afterSensitive: readonly (readonly Step[])[];
  readonly importing?: { readonly id: string; readonly unknown: boolean };
  readonly generatedConfig: string;
}

interface InstanceAddress {
  readonly text: string;
  /** The module part of the address (`module.a.module.b`), "" in the root module. */
  readonly module: string;
  readonly modules: readonly { readonly name: string; readonly key?: string | number }[];
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  readonly key?: string | number;
}

interface ResourceInstanceChange {
  readonly address: InstanceAddress;
  readonly previous: string;
  readonly deposed: string;
  readonly provider: string;
  readonly change: Change;
  readonly replace: readonly (readonly Step[])[];
  readonly reason: string;
}

function resourceInstanceChange(m: ProtoMessage): ResourceInstanceChange {
  const addr = m.string(13);
  if (!addr) throw new Error("a resource change without an address");
  const deposed = m.string(7);
  if (deposed && deposed.length !== 8) throw new Error(`${addr}: deposed key ${JSON.stringify(deposed)}`);
  const reason = ACTION_REASONS[m.varint(12)];
  if (reason === undefined) throw new Error(`${addr}: unknown action reason ${m.varint(12)}`);
  return {
    address: parseAddress(addr),
    previous: m.string(14) ? parseAddress(m.string(14)).text : addr,
    deposed,
    provider: providerSource(m.string(8)),
    change: change(required(m.message(9), `${addr}: change`)),
    replace: m.messages(11).map(pathSteps),
    reason,
  };
}

function change(m: ProtoMessage): Change {
  const action = m.varint(1);
  const known = ACTIONS[action];
  if (!known) throw new Error(`unknown change action ${action}`);
  const values = m.messages(2).map((v) => {
    const bytes = v.bytes(1);
    if (!bytes?.length) throw new Error("a value without its msgpack encoding");
    return bytes;
  });
  const [, beforeIndex, afterIndex] = known;
  if (values.length <= Math.max(beforeIndex, afterIndex)) throw new Error(`${values.length} value(s) for action ${action}`);
  const importing = m.message(5);
  return {
    action,
    ...(beforeIndex >= 0 ? { before: values[beforeIndex] } : {}),
    ...(afterIndex >= 0 ? { after: values[afterIndex] } : {}),
    beforeSensitive: m.messages(3).map(pathSteps),
    afterSensitive: m.messages(4).map(pathSteps),
    ...(importing ? { importing: { id: importing.string(1), unknown: importing.bool(2) } } : {}),
    generatedConfig: m.string(6),
  };
}

function pathSteps(m: ProtoMessage): Step[] {
  return m.messages(1).map((step) => {
    const key = step.message(2);
    if (step.has(1) === !!key) throw new Error("a path step that is not one attribute name or one key");
    if (!key) return { attr: step.string(1) };
    const bytes = key.bytes(1);
    if (!bytes?.length) throw new Error("a path step key without its msgpack encoding");
    return { index: decodeImplied(bytes) };
  });
}

function required(m: ProtoMessage | undefined, what: string): ProtoMessage {
  if (!m) throw new Error(`${what} is missing`);
  return m;
}

function resourceChangeJson(rc: ResourceInstanceChange, schemas: Schemas): PlannedChange {
  const { address: a, change: c } = rc;
  const schema = a.mode === "managed" ? resourceSchema(schemas, rc.provider, a.type) : schemas.dataSources[rc.provider]?.[a.type];
  if (!schema) throw new Error(`no schema for ${a.text} (provider ${rc.provider})`);
  const type = blockType(schema.block);
  const before = c.before ? decodeValue(c.before, type) : NULL;
  const after = c.after ? decodeValue(c.after, type) : NULL;
  const sensitive = (v: CtyValue, paths: readonly (readonly Step[])[]) => {
    const all = [...paths];
    if (blockContainsSensitive(schema.block)) sensitivePaths(schema.block, v, [], all);
    return sensitiveAsBool(v, all);
  };
  const replacePaths = pathSetOrder(rc.replace).map((p) => p.map((s) => ("attr" in s ? s.attr : s.index)));
  return {
    address: a.text,
    ...(rc.previous !== a.text ? { previous_address: rc.previous } : {}),
    ...(a.module ? { module_address: a.module } : {}),
    mode: a.mode,
    type: a.type,
    name: a.name,
    ...(a.key !== undefined ? { index: a.key } : {}),
    provider_name: rc.provider,
    ...(rc.deposed ? { deposed: rc.deposed } : {}),
    change: {
      actions: ACTIONS[c.action][0],
      before: toJson(before),
      ...afterJson(after),
      after_unknown: whollyKnown(after) ? {} : unknownAsBool(after),
      before_sensitive: sensitive(before, c.beforeSensitive),
      after_sensitive: sensitive(after, c.afterSensitive),
      ...(replacePaths.length ? { replace_paths: replacePaths } : {}),
      ...(c.importing ? { importing: c.importing.unknown ? { unknown: true } : c.importing.id ? { id: c.importing.id } : {} } : {}),
      ...(c.generatedConfig ? { generated_config: c.generatedConfig } : {}),
    },
    ...(rc.reason ? { action_reason: rc.reason } : {}),
  } as PlannedChange;
}

function outputChangeJson(m: ProtoMessage, sensitive: boolean): OutputChange {
  const c = change(m);
  // Output values are stored dynamically typed: each carries its own type.
  const before = c.before ? decodeValue(c.before, "dynamic") : NULL;
  const after = c.after ? decodeValue(c.after, "dynamic") : NULL;
  return {
    actions: ACTIONS[c.action][0],
    before: toJson(before),
    ...afterJson(after),
    after_unknown: whollyKnown(after) ? false : unknownAsBool(after),
    before_sensitive: sensitive,
    after_sensitive: sensitive,
  };
}

const NULL: CtyValue = { kind: "null" };

/** `after`, with unknowns left out (nulls in place of unknown elements); absent when the whole value is unknown. */
function afterJson(after: CtyValue): { after?: unknown } {
  if (whollyKnown(after)) return { after: toJson(after) };
  const known = omitUnknowns(after);
  return known === OMITTED ? {} : { after: known };
}

function toJson(v: CtyValue): unknown {
  switch (v.kind) {
    case "null":
      return null;
    case "unknown":
      throw new Error("an unknown value where terraform needs a known one");
    case "list":
    case "set":
    case "tuple":
      return v.items.map(toJson);
    case "map":
    case "object":
      return Object.fromEntries([...v.entries].map(([k, e]) => [k, toJson(e)]));
    default:
      return v.value;
  }
}

function whollyKnown(v: CtyValue): boolean {
  switch (v.kind) {
    case "unknown":
      return false;
    case "list":
    case "set":
    case "tuple":
      return v.items.every(whollyKnown);
    case "map":
    case "object":
      return [...v.entries.values()].every(whollyKnown);
    default:
      return true;
  }
}

const OMITTED = Symbol("omitted");

/** jsonplan's omitUnknowns. */
function omitUnknowns(v: CtyValue): unknown {
  switch (v.kind) {
    case "unknown":
      return OMITTED;
    case "list":
    case "set":
    case "tuple":
      return v.items.map((e) => {
        const k = omitUnknowns(e);
        return k === OMITTED ? null : k;
      });
    case "map":
    case "object":
      return Object.fromEntries([...v.entries].map(([k, e]) => [k, omitUnknowns(e)]).filter(([, e]) => e !== OMITTED));
    default:
      return toJson(v);
  }
}

/** jsonplan's unknownAsBool: true for each unknown, known leaves false (left out of objects). */
function unknownAsBool(v: CtyValue): unknown {
  switch (v.kind) {
    case "unknown":
      return true;
    case "list":
    case "set":
    case "tuple":
      return v.items.map(unknownAsBool);
    case "map":
    case "object":
      return Object.fromEntries([...v.entries].map(([k, e]) => [k, unknownAsBool(e)]).filter(([, e]) => e !== false));
    default:
      return false;
  }
}

/**
 * jsonstate's SensitiveAsBool of the value with `paths` marked sensitive
 * (cty's MarkWithPaths): true where a path ends; a mark anywhere inside a
 * set's elements marks the whole set, as cty moves element marks to the set.
 */
function sensitiveAsBool(v: CtyValue, paths: readonly (readonly Step[])[]): unknown {
  return marked(
    v,
    paths.map((steps) => ({ steps, at: 0 })),
  ).json;
}

interface LivePath {
  readonly steps: readonly Step[];
  /** How many steps the walk has matched. */
  readonly at: number;
}

function marked(v: CtyValue, live: readonly LivePath[]): { json: unknown; inside: boolean } {
  if (!live.length) return { json: unmarkedSensitivity(v), inside: false };
  const self = live.some((p) => p.at === p.steps.length);
  const pending = live.filter((p) => p.at < p.steps.length);
  let inside = self;
  const child = (e: CtyValue, matches: (s: Step) => boolean) => {
    const r = marked(
      e,
      pending.filter((p) => matches(p.steps[p.at])).map((p) => ({ steps: p.steps, at: p.at + 1 })),
    );
    inside ||= r.inside;
    return r.json;
  };
  let json: unknown;
  switch (v.kind) {
    case "list":
    case "tuple":
      json = v.items.map((e, i) => child(e, (s) => "index" in s && s.index === i));
      break;
    case "set":
      json = v.items.map((e) => child(e, (s) => "index" in s && isSetKey(s.index, e)));
      if (inside) return { json: true, inside };
      break;
    case "map":
      json = Object.fromEntries([...v.entries].map(([k, e]) => [k, child(e, (s) => "index" in s && s.index === k)]).filter(([, s]) => s !== false));
      break;
    case "object":
      json = Object.fromEntries([...v.entries].map(([k, e]) => [k, child(e, (s) => "attr" in s && s.attr === k)]).filter(([, s]) => s !== false));
      break;
    default:
      json = unmarkedSensitivity(v);
  }
  return { json: self ? true : json, inside };
}

/** Whether a path step's key names this set element (cty compares keys by value; a plan file's paths never step into a set's objects). */
function isSetKey(key: unknown, element: CtyValue): boolean {
  if (key instanceof SetElement) return key.value === element;
  if (key !== null && typeof key === "object") throw new Error("a sensitive path through an element of a set of collections");
  return (
    (element.kind === "string" || element.kind === "number" || element.kind === "bool") && typeof key === typeof element.value && key === element.value
  );
}

function unmarkedSensitivity(v: CtyValue): unknown {
  switch (v.kind) {
    case "unknown":
      // An unknown collection's contents cannot be said to be sensitive or not.
      if (typeof v.type === "string") return false;
      return v.type[0] === "map" || v.type[0] === "object" ? {} : [];
    case "list":
    case "set":
    case "tuple":
      return v.items.map(unmarkedSensitivity);
    case "map":
    case "object":
      return Object.fromEntries([...v.entries].map(([k, e]) => [k, unmarkedSensitivity(e)]).filter(([, s]) => s !== false));
    default:
      return false;
  }
}

/** configschema's Block.SensitivePaths: every sensitive attribute the schema declares, where the value has it. */
function sensitivePaths(block: BlockSchema, v: CtyValue, base: readonly Step[], out: (readonly Step[])[]): void {
  if (v.kind === "null" || v.kind === "unknown") return;
  for (const [name, a] of Object.entries(block.attributes)) {
    if (a.sensitive) out.push([...base, { attr: name }]);
    if (a.nested && nestedContainsSensitive(a.nested)) nestedSensitivePaths(a.nested, attribute(v, name), [...base, { attr: name }], out);
  }
  for (const [name, b] of Object.entries(block.blocks)) {
    if (!blockContainsSensitive(b.block)) continue;
    const bv = attribute(v, name);
    if (bv.kind === "null" || bv.kind === "unknown") continue;
    const path = [...base, { attr: name }];
    if (b.nesting === "single" || b.nesting === "group") sensitivePaths(b.block, bv, path, out);
    else for (const [key, e] of elements(bv)) sensitivePaths(b.block, e, [...path, { index: key }], out);
  }
}

/** configschema's Object.SensitivePaths (nested attributes). */
function nestedSensitivePaths(o: NonNullable<AttributeSchema["nested"]>, v: CtyValue, base: readonly Step[], out: (readonly Step[])[]): void {
  if (v.kind === "null" || v.kind === "unknown") return;
  for (const [name, a] of Object.entries(o.attributes)) {
    if (!a.sensitive && !(a.nested && nestedContainsSensitive(a.nested))) continue;
    if (o.nesting === "single") {
      const path = [...base, { attr: name }];
      if (a.sensitive) out.push(path);
      else nestedSensitivePaths(a.nested!, attribute(v, name), path, out);
    } else if (o.nesting === "list" || o.nesting === "set" || o.nesting === "map") {
      for (const [key, e] of elements(v)) {
        // Nothing inside an unknown element can be marked.
        if (e.kind === "unknown") continue;
        const path = [...base, { index: key }, { attr: name }];
        if (a.sensitive) out.push(path);
        else nestedSensitivePaths(a.nested!, attribute(e, name), path, out);
      }
    } else {
      throw new Error(`nested attribute nesting ${o.nesting}`);
    }
  }
}

function attribute(v: CtyValue, name: string): CtyValue {
  const a = v.kind === "object" ? v.entries.get(name) : undefined;
  if (!a) throw new Error(`no attribute ${name} in the value`);
  return a;
}

/** A collection's elements with cty's keys: list and tuple indexes, map keys, set elements themselves. */
function elements(v: CtyValue): [unknown, CtyValue][] {
  switch (v.kind) {
    case "list":
    case "tuple":
      return v.items.map((e, i) => [i, e]);
    case "set":
      return v.items.map((e) => [new SetElement(e), e]);
    case "map":
    case "object":
      return [...v.entries];
    default:
      throw new Error(`a ${v.kind} where the schema has a collection`);
  }
}

const containsSensitive = new WeakMap<object, boolean>();

function blockContainsSensitive(b: BlockSchema): boolean {
  let r = containsSensitive.get(b);
  if (r === undefined) {
    r =
      Object.values(b.attributes).some((a) => a.sensitive || (a.nested && nestedContainsSensitive(a.nested))) ||
      Object.values(b.blocks).some((nb) => blockContainsSensitive(nb.block));
    containsSensitive.set(b, r);
  }
  return r;
}

function nestedContainsSensitive(o: NonNullable<AttributeSchema["nested"]>): boolean {
  let r = containsSensitive.get(o);
  if (r === undefined) {
    r = Object.values(o.attributes).some((a) => a.sensitive || (a.nested && nestedContainsSensitive(a.nested)));
    containsSensitive.set(o, r);
  }
  return r;
}

const impliedTypes = new WeakMap<BlockSchema, CtyType>();

/** configschema's Block.ImpliedType: the type values of the block are encoded with. */
function blockType(b: BlockSchema): CtyType {
  let t = impliedTypes.get(b);
  if (!t) {
    const attrs: Record<string, CtyType> = {};
    for (const [name, a] of Object.entries(b.attributes)) attrs[name] = attributeType(a);
    for (const [name, nb] of Object.entries(b.blocks)) {
      // A block named like an attribute is ignored, as terraform's decoder spec ignores it.
      if (Object.hasOwn(attrs, name)) continue;
      const inner = blockType(nb.block);
      if (nb.nesting === "single" || nb.nesting === "group") attrs[name] = inner;
      // A list or map of blocks with dynamically-typed attributes is a tuple or an object: dynamic as a whole.
      else if (nb.nesting === "list" || nb.nesting === "map") attrs[name] = hasDynamic(inner) ? "dynamic" : [nb.nesting, inner];
      else if (nb.nesting === "set") attrs[name] = ["set", inner];
      else throw new Error(`block nesting ${nb.nesting}`);
    }
    t = ["object", attrs];
    impliedTypes.set(b, t);
  }
  return t;
}

function attributeType(a: AttributeSchema): CtyType {
  if (!a.nested) return parseType(a.type);
  const obj: CtyType = ["object", Object.fromEntries(Object.entries(a.nested.attributes).map(([n, x]) => [n, attributeType(x)]))];
  const nesting = a.nested.nesting;
  if (nesting === "single") return obj;
  if (nesting === "list" || nesting === "set" || nesting === "map") return [nesting, obj];
  throw new Error(`nested attribute nesting ${nesting}`);
}

function hasDynamic(t: CtyType): boolean {
  if (typeof t === "string") return t === "dynamic";
  const [kind, arg] = t;
  if (kind === "object") return Object.values(arg as Record<string, CtyType>).some(hasDynamic);
  if (kind === "tuple") return (arg as CtyType[]).some(hasDynamic);
  return hasDynamic(arg as CtyType);
}

/**
 * cty.PathSet's List order for replace_paths: by bucket (a CRC-64 of the
 * attribute names, `#` for each index step, as a signed 64-bit integer), in
 * the order the paths were added within a bucket; equal paths once.
 */
function pathSetOrder(paths: readonly (readonly Step[])[]): (readonly Step[])[] {
  const seen = new Set<string>();
  const unique = paths.filter((p) => {
    const key = JSON.stringify(p);
    return !seen.has(key) && !!seen.add(key);
  });
  const hash = (p: readonly Step[]) => BigInt.asIntN(64, crc64(Buffer.from(p.map((s) => ("attr" in s ? s.attr : "#")).join(""), "utf8")));
  return unique
    .map((p, i) => ({ p, i, h: hash(p) }))
    .sort((x, y) => (x.h < y.h ? -1 : x.h > y.h ? 1 : x.i - y.i))
    .map((x) => x.p);
}

const CRC64_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = BigInt(n);
  for (let k = 0; k < 8; k++) c = c & 1n ? (c >> 1n) ^ 0xd800000000000000n : c >> 1n;
  return c;
});

/** CRC-64 with the ISO polynomial, as Go's hash/crc64. */
function crc64(bytes: Uint8Array): bigint {
  let crc = 0xffffffffffffffffn;
  for (const b of bytes) crc = CRC64_TABLE[Number((crc ^ BigInt(b)) & 0xffn)] ^ (crc >> 8n);
  return crc ^ 0xffffffffffffffffn;
}

/** The source address of a provider configuration address (`module.m.provider["registry.terraform.io/hashicorp/aws"].east`). */
function providerSource(config: string): string {
  const m = /(?:^|\.)provider\["([^"\\]+)"\](?:\.[A-Za-z_][A-Za-z0-9_-]*)?$/.exec(config);
  if (!m) throw new Error(`provider configuration address ${JSON.stringify(config)}`);
  return m[1];
}

/** A resource instance address as terraform writes it: `module.a["k"].module.b[0].data.aws_x.name["key"]`. */
function parseAddress(text: string): InstanceAddress {
  let pos = 0;
  const fail = (): never => {
    throw new Error(`resource instance address ${JSON.stringify(text)}`);
  };
  const name = () => {
    const start = pos;
    while (pos < text.length && !".[]\"".includes(text[pos])) pos++;
    return pos > start ? text.slice(start, pos) : fail();
  };
  const key = (): string | number | undefined => {
    if (text[pos] !== "[") return undefined;
    pos++;
    let k: string | number;
    if (text[pos] === '"') {
      pos++;
      k = "";
      while (text[pos] !== '"') {
        if (pos >= text.length) fail();
        const c = text[pos];
        if (c === "\\") {
          const e = text[pos + 1];
          const simple: Record<string, string> = { n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\" };
          if (simple[e] !== undefined) {
            k += simple[e];
            pos += 2;
          } else if (e === "u" || e === "U") {
            const digits = e === "u" ? 4 : 8;
            const hex = text.slice(pos + 2, pos + 2 + digits);
            if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== digits) fail();
            k += String.fromCodePoint(parseInt(hex, 16));
            pos += 2 + digits;
          } else {
            fail();
          }
        } else if ((c === "$" || c === "%") && text[pos + 1] === c && text[pos + 2] === "{") {
          // A template introducer is written doubled.
          k += c;
          pos += 2;
        } else {
          const cp = text.codePointAt(pos)!;
          k += String.fromCodePoint(cp);
          pos += cp > 0xffff ? 2 : 1;
        }
      }
      pos++;
    } else {
      const start = pos;
      while (/[0-9]/.test(text[pos] ?? "")) pos++;
      if (pos === start) fail();
      k = Number(text.slice(start, pos));
    }
    if (text[pos] !== "]") fail();
    pos++;
    return k;
  };
  const modules: { name: string; key?: string | number }[] = [];
  while (text.startsWith("module.", pos)) {
    pos += "module.".length;
    const n = name();
    const k = key();
    modules.push({ name: n, ...(k !== undefined ? { key: k } : {}) });
    if (text[pos++] !== ".") fail();
  }
  const module = text.slice(0, Math.max(0, pos - 1));
  let mode: "managed" | "data" = "managed";
  if (text.startsWith("data.", pos)) {
    mode = "data";
    pos += "data.".length;
  }
  const type = name();
  if (type === "ephemeral" || text[pos++] !== ".") fail();
  const resourceName = name();
  const k = key();
  if (pos !== text.length) fail();
  return { text, module, modules, mode, type, name: resourceName, ...(k !== undefined ? { key: k } : {}) };
}

/** terraform's order of resource changes: by module path (shorter first), data before managed, type, name, key, then deposed key. */
function compareChanges(x: ResourceInstanceChange, y: ResourceInstanceChange): number {
  const a = x.address;
  const b = y.address;
  if (a.modules.length !== b.modules.length) return a.modules.length - b.modules.length;
  for (let i = 0; i < a.modules.length; i++) {
    const c = compareStrings(a.modules[i].name, b.modules[i].name) || compareKeys(a.modules[i].key, b.modules[i].key);
    if (c) return c;
  }
  if (a.mode !== b.mode) return a.mode === "data" ? -1 : 1;
  return compareStrings(a.type, b.type) || compareStrings(a.name, b.name) || compareKeys(a.key, b.key) || compareStrings(x.deposed, y.deposed);
}

/** addrs.InstanceKeyLess: no key first, then integer keys, then string keys. */
function compareKeys(a: string | number | undefined, b: string | number | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  if (typeof a !== typeof b) return typeof a === "number" ? -1 : 1;
  return typeof a === "number" ? a - (b as number) : compareStrings(a, b as string);
}

/** Go's string order: by UTF-8 bytes. */
function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}
