/**
 * A baseline state made with no AWS: the state a stack would have right
 * after it was deployed, so terraform can plan a change against it.
 *
 * 1. Rewrite the stack for a first plan from an empty state: a reference to
 *    an attribute that only exists after apply (`aws_vpc.x.id`, a role's
 *    `arn`) becomes the literal value the baseline will hold, so everything
 *    computed from it - IAM documents, hashes, JSON bodies - is known.
 * 2. Plan that from empty; the planned values, with the same literals in the
 *    places still unknown, are the baseline's attributes.
 * 3. The unmodified stack is then planned against the baseline: it must show
 *    no changes (the engine checks it and corrects what terraform reports).
 */
import type { FillContext } from "./fill";
import { fillAt, fillString, schemaAt } from "./fill";
import { hclLiteral, rewriteTemplate } from "./expressions";
import type { BlockSchema, Schemas } from "./schema";
import { providerSourceAddress, resourceSchema } from "./schema";
import type { TfJson } from "./workspace";

export type Path = readonly (string | number)[];

export interface BaselineResource {
  readonly type: string;
  readonly name: string;
  readonly schemaVersion: number;
  attributes: Record<string, unknown>;
  sensitivePaths: Path[];
}

export interface Baseline {
  /** Module-relative address -> resource. */
  readonly resources: Map<string, BaselineResource>;
  /** Output name -> value (outputs whose value is known). */
  readonly outputs: Map<string, { value: unknown; sensitive: boolean }>;
}

/** Values chosen for unknown attributes before the first plan: address -> path (JSON) -> value. */
export type Fills = Map<string, Map<string, unknown>>;

/** Attributes that are computed but known at plan time, so never replaced by a literal. */
const KNOWN_AT_PLAN = new Set(["tags_all"]);

const SKIP_KEYS = new Set(["//", "depends_on", "lifecycle", "provider", "provisioner", "connection"]);

/** The region a stack's default AWS provider uses (for ARNs). */
export function regionOf(json: TfJson): string {
  const aws = json.provider?.aws?.find((p) => !p.alias) ?? json.provider?.aws?.[0];
  return typeof aws?.region === "string" ? aws.region : "us-east-1";
}

function providerSourceOf(json: TfJson, type: string): string {
  const local = type.split("_")[0];
  return providerSourceAddress(json.terraform?.required_providers?.[local]?.source, local);
}

/** Step 1: the stack with after-apply references replaced by literals, and the literals chosen. */
export function rewriteForFirstPlan(json: TfJson, schemas: Schemas): { json: TfJson; fills: Fills } {
  const fills: Fills = new Map();
  const region = regionOf(json);
  const resources = json.resource ?? {};
  const types = new Set([...Object.keys(resources), ...Object.keys(json.data ?? {})]);
  const isType = (t: string) => types.has(t);

  const replace = (ref: { mode: string; type: string; name: string; steps: readonly (string | number)[]; splat: boolean }): string | undefined => {
    if (ref.mode !== "managed" || ref.splat || typeof ref.steps[0] !== "string") return undefined;
    const target = resources[ref.type]?.[ref.name];
    const schema = resourceSchema(schemas, providerSourceOf(json, ref.type), ref.type);
    if (!target || !schema) return undefined;
    const attr = ref.steps[0];
    if (KNOWN_AT_PLAN.has(attr) || target[attr] !== undefined) return undefined;
    const at = schema.block.attributes[attr];
    if (!at?.computed) return undefined;
    const address = `${ref.type}.${ref.name}`;
    const ctx: FillContext = { address, type: ref.type, region, known: target as Record<string, unknown> };
    const value = ref.type === "terraform_data" && attr === "output" ? terraformDataOutput(ctx, target.input, ref.steps.slice(1)) : fillAt(ctx, schema.block, ref.steps);
    if (value === null || value === undefined) return undefined;
    let byPath = fills.get(address);
    if (!byPath) fills.set(address, (byPath = new Map()));
    byPath.set(JSON.stringify(ref.steps), value);
    return hclLiteral(value);
  };

  const rewrite = (v: unknown, key?: string): unknown => {
    if (key && SKIP_KEYS.has(key)) return v;
    if (typeof v === "string") return v.includes("${") ? rewriteTemplate(v, isType, replace) : v;
    if (Array.isArray(v)) return v.map((x) => rewrite(x));
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, rewrite(x, k)]));
    return v;
  };

  const out: Record<string, unknown> = { ...json };
  for (const section of ["resource", "data", "output", "locals"] as const) {
    const s = json[section];
    if (!s) continue;
    if (section === "resource" || section === "data") {
      out[section] = Object.fromEntries(
        Object.entries(s as Record<string, Record<string, unknown>>).map(([type, byName]) => [type, Object.fromEntries(Object.entries(byName).map(([n, cfg]) => [n, rewrite(cfg)]))]),
      );
    } else {
      out[section] = rewrite(s);
    }
  }
  return { json: out as TfJson, fills };
}

/** `terraform_data.output` mirrors `input`; unknown parts of the input (`uuid()`) get a fill. */
function terraformDataOutput(ctx: FillContext, input: unknown, steps: readonly (string | number)[]): unknown {
  let v: unknown = input;
  for (const s of steps) v = v && typeof v === "object" ? (v as Record<string | number, unknown>)[s] : undefined;
  if (typeof v === "string" && v.includes("${")) return fillString(ctx, ["output", ...steps]);
  if (v === undefined || (v && typeof v === "object")) return undefined;
  return v;
}

/** A resource change of `terraform show -json`, the part read here. */
export interface PlannedChange {
  readonly address: string;
  readonly module_address?: string;
  readonly mode: string;
  readonly type: string;
  readonly name: string;
  readonly index?: string | number;
  readonly previous_address?: string;
  readonly action_reason?: string;
  readonly change: {
    readonly actions: readonly string[];
    readonly before?: any;
    readonly after?: any;
    readonly after_unknown?: any;
    readonly before_sensitive?: any;
    readonly after_sensitive?: any;
    readonly replace_paths?: ReadonlyArray<ReadonlyArray<string | number>>;
  };
}

/** Step 2: the baseline from the first plan's changes of one module. */
export function baselineFromPlan(
  json: TfJson,
  changes: readonly PlannedChange[],
  outputs: Record<string, { after?: unknown; after_unknown?: unknown; after_sensitive?: unknown }>,
  fills: Fills,
  schemas: Schemas,
): Baseline {
  const region = regionOf(json);
  const resources = new Map<string, BaselineResource>();
  for (const rc of changes) {
    if (rc.mode !== "managed" || rc.index !== undefined) {
      if (rc.mode === "managed") throw new Error(`${rc.address}: resources with count or for_each are not supported by the offline baseline yet`);
      continue;
    }
    const address = `${rc.type}.${rc.name}`;
    const schema = resourceSchema(schemas, providerSourceOf(json, rc.type), rc.type);
    if (!schema) throw new Error(`${address}: no provider schema for ${rc.type}`);
    const known = { ...(rc.change.after ?? {}) };
    const ctx: FillContext = { address, type: rc.type, region, known };
    const chosen = fills.get(address) ?? new Map<string, unknown>();
    // terraform_data's output mirrors its input: both get the fill chosen for the output.
    const key = (p: Path) => (rc.type === "terraform_data" && p[0] === "input" ? ["output", ...p.slice(1)] : p);
    const attributes = materialize(rc.change.after ?? {}, rc.change.after_unknown ?? {}, [], (p) => {
      const c = chosen.get(JSON.stringify(key(p)));
      if (c !== undefined) return c;
      if (rc.type === "terraform_data" && p.length > 1) return fillString(ctx, key(p));
      // An optional+computed string nobody refers to starts empty: a made-up value can be one the
      // provider normalizes on every plan (aws_lb_target_group upper-cases protocol_version,
      // aws_instance hashes user_data again) and so never planned clean.
      const at = schemaAt(schema.block, p);
      if (p[p.length - 1] !== "id" && at?.kind === "type" && at.type === "string" && at.attribute?.optional && at.attribute.computed) return "";
      return fillAt(ctx, schema.block, p);
    }) as Record<string, unknown>;
    if (rc.type === "terraform_data") attributes.output = attributes.input ?? null;
    else for (const [p, v] of chosen) setPath(attributes, JSON.parse(p), v);
    if (isPluginSdkResource(schema.block)) zeroNestedNulls(attributes, schema.block);
    resources.set(address, {
      type: rc.type,
      name: rc.name,
      schemaVersion: schema.version,
      attributes,
      sensitivePaths: sensitivePaths(rc.change.after_sensitive),
    });
  }
  const out = new Map<string, { value: unknown; sensitive: boolean }>();
  for (const [name, o] of Object.entries(outputs)) {
    if (o.after_unknown === true || o.after === undefined) continue;
    out.set(name, { value: o.after, sensitive: o.after_sensitive === true });
  }
  return { resources, outputs: out };
}

/**
 * Resources of the provider's older SDK (an optional+computed `id`, which the
 * SDK adds) store unset attributes of nested blocks as zero values ("", 0,
 * false, [], {}), not null: the first plan of an update writes them so, which would
 * show as changes of every such attribute. The baseline stores them as AWS's
 * state would after a refresh.
 */
function isPluginSdkResource(block: BlockSchema): boolean {
  const id = block.attributes.id;
  return !!id?.optional && !!id.computed;
}

function zeroNestedNulls(value: Record<string, unknown>, block: BlockSchema): void {
  for (const [name, nested] of Object.entries(block.blocks)) {
    if (name === "timeouts") continue;
    const v = value[name];
    const elements = Array.isArray(v) ? v : v && typeof v === "object" ? [v] : [];
    for (const e of elements) {
      if (!e || typeof e !== "object") continue;
      const obj = e as Record<string, unknown>;
      for (const [attr, a] of Object.entries(nested.block.attributes)) {
        if (obj[attr] !== null && obj[attr] !== undefined) continue;
        const kind = Array.isArray(a.type) ? a.type[0] : a.type;
        if (kind === "string") obj[attr] = "";
        else if (kind === "number") obj[attr] = 0;
        else if (kind === "bool") obj[attr] = false;
        else if (kind === "list" || kind === "set") obj[attr] = [];
        else if (kind === "map") obj[attr] = {};
      }
      zeroNestedNulls(obj, nested.block);
    }
  }
}

/** Known values of `after` with every unknown path filled. */
function materialize(after: unknown, unknown: unknown, path: Path, fill: (p: Path) => unknown): unknown {
  if (unknown === true) return fill(path);
  if (Array.isArray(unknown)) {
    const list = Array.isArray(after) ? after : [];
    const n = Math.max(list.length, unknown.length);
    return Array.from({ length: n }, (_, i) => materialize(list[i], unknown[i], [...path, i], fill));
  }
  if (unknown && typeof unknown === "object") {
    const obj = after && typeof after === "object" && !Array.isArray(after) ? (after as Record<string, unknown>) : {};
    const keys = new Set([...Object.keys(obj), ...Object.keys(unknown)]);
    return Object.fromEntries([...keys].map((k) => [k, materialize(obj[k], (unknown as Record<string, unknown>)[k], [...path, k], fill)]));
  }
  return after === undefined ? null : after;
}

/** Corrects a baseline resource with what the unmodified stack planned against it (known values win). */
export function correctResource(resource: BaselineResource, after: unknown, afterUnknown: unknown, afterSensitive: unknown): void {
  resource.attributes = materialize(after, afterUnknown, [], (p) => getPath(resource.attributes, p) ?? null) as Record<string, unknown>;
  resource.sensitivePaths = sensitivePaths(afterSensitive);
}

function getPath(v: unknown, p: Path): unknown {
  let cur: unknown = v;
  for (const s of p) cur = cur && typeof cur === "object" ? (cur as Record<string | number, unknown>)[s] : undefined;
  return cur;
}

function setPath(target: Record<string, unknown>, p: Path, value: unknown): void {
  let cur: any = target;
  for (let i = 0; i < p.length - 1; i++) {
    const s = p[i];
    if (cur[s] === null || cur[s] === undefined || typeof cur[s] !== "object") cur[s] = typeof p[i + 1] === "number" ? [] : {};
    cur = cur[s];
  }
  cur[p[p.length - 1]] = value;
}

/** `after_sensitive` (a tree of `true` leaves) as a list of paths. */
export function sensitivePaths(tree: unknown, path: Path = []): Path[] {
  if (tree === true) return [path];
  if (Array.isArray(tree)) return tree.flatMap((t, i) => sensitivePaths(t, [...path, i]));
  if (tree && typeof tree === "object") return Object.entries(tree).flatMap(([k, t]) => sensitivePaths(t, [...path, k]));
  return [];
}

/** A cty type for a JSON value (for `dynamic` attributes and outputs, which state stores with their type). */
export function ctyTypeOf(v: unknown): unknown {
  if (v === null || v === undefined) return "dynamic";
  if (typeof v === "string") return "string";
  if (typeof v === "number") return "number";
  if (typeof v === "boolean") return "bool";
  if (Array.isArray(v)) return ["tuple", v.map(ctyTypeOf)];
  return ["object", Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, ctyTypeOf(x)]))];
}

/** One resource as a state v4 entry inside `module`, with its provider's address. */
export function stateResource(r: BaselineResource, module: string, provider: string, schemas: Schemas, providerSource: string): object {
  const schema = resourceSchema(schemas, providerSource, r.type);
  const attributes: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r.attributes)) {
    const at = schema ? schemaAt(schema.block, [k]) : undefined;
    attributes[k] = at?.kind === "type" && at.type === "dynamic" && v !== null ? { value: v, type: ctyTypeOf(v) } : v;
  }
  return {
    module,
    mode: "managed",
    type: r.type,
    name: r.name,
    provider: r.type === "terraform_data" ? 'provider["terraform.io/builtin/terraform"]' : provider,
    instances: [
      {
        schema_version: r.schemaVersion,
        attributes,
        sensitive_attributes: r.sensitivePaths.map((p) =>
          p.map((s) => (typeof s === "number" ? { type: "index", value: { value: s, type: "number" } } : { type: "get_attr", value: s })),
        ),
      },
    ],
  };
}

/** The provider source address of a resource type in a stack. */
export function resourceProviderSource(json: TfJson, type: string): string {
  return providerSourceOf(json, type);
}
