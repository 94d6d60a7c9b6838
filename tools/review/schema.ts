/**
 * The provider schemas the baseline builder needs: each resource type's
 * schema version (state must carry it) and the type of every attribute (a
 * value filled in for an unknown attribute must have the right shape); the
 * plan file decoder (plan-file.ts) reads resources' and data sources'
 * values with the same types and sensitive flags.
 *
 * They are decoded from each provider's own answer to terraform's schema
 * call (provider-answers.ts: one provider start, ~1.5 CPU-s, where
 * `terraform providers schema -json` took ~3.5 and printed 13 MB for the
 * AWS provider), stripped to types and flags, and kept in a cache folder
 * keyed by the terraform and provider versions.
 */
import * as fs from "fs";
import * as path from "path";
import { onceAcrossProcesses } from "./cache-lock";
import type { ProviderInstall } from "./install";
import { providerAnswers } from "./provider-answers";
import { ProtoMessage } from "./protobuf";

/** A cty type as terraform writes it in JSON: `"string"`, `["list","string"]`, `["object",{...}]`. */
export type CtyType = string | [string, CtyType] | ["object", Record<string, CtyType>] | ["tuple", CtyType[]];

export interface AttributeSchema {
  readonly type?: CtyType;
  /** Protocol 6 nested attributes (the framework's `SingleNestedAttribute` ...). */
  readonly nested?: { readonly nesting: string; readonly attributes: Record<string, AttributeSchema> };
  readonly optional?: boolean;
  readonly computed?: boolean;
  readonly required?: boolean;
  readonly sensitive?: boolean;
}

export interface BlockSchema {
  readonly attributes: Record<string, AttributeSchema>;
  readonly blocks: Record<string, { readonly nesting: "single" | "list" | "set" | "map" | "group"; readonly block: BlockSchema }>;
}

export interface ResourceSchema {
  readonly version: number;
  readonly block: BlockSchema;
}

/** provider source (`registry.terraform.io/hashicorp/aws`) -> resource (or data source) type -> schema. */
export interface Schemas {
  readonly resources: Record<string, Record<string, ResourceSchema>>;
  /** The plan file decoder reads a data source's planned read with it (plan-file.ts). */
  readonly dataSources: Record<string, Record<string, ResourceSchema>>;
}

/** The schemas of the installed providers, from the install's cache folder or decoded from their schema answers (provider-answers.ts). */
export async function loadSchemas(install: ProviderInstall, env: NodeJS.ProcessEnv): Promise<Schemas> {
  // v2: with the data sources' schemas.
  const file = path.join(install.cacheDir, `schemas-v2-${install.key}.json`);
  await onceAcrossProcesses(`${file}.lock`, () => fs.existsSync(file), () => writeSchemas(install, file, env));
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

async function writeSchemas(install: ProviderInstall, file: string, env: NodeJS.ProcessEnv): Promise<void> {
  const schemas: Schemas = { resources: {}, dataSources: {} };
  for (const a of await providerAnswers(install, env)) {
    const decoded = schemasOfAnswer(fs.readFileSync(a.file), a.protocol);
    (schemas.resources as Record<string, Record<string, ResourceSchema>>)[a.address] = decoded.resources;
    (schemas.dataSources as Record<string, Record<string, ResourceSchema>>)[a.address] = decoded.dataSources;
  }
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(schemas));
  fs.renameSync(tmp, file); // atomic: a concurrent reader sees the whole file or none
}

/** tfplugin's NestingMode values (blocks; nested attributes use the first five), as `providers schema -json` names them. */
const NESTING = ["invalid", "single", "list", "set", "map", "group"] as const;

/**
 * A provider's GetProviderSchema.Response (tfplugin5/6.proto), read into
 * what `terraform providers schema -json` says of its resource and data
 * source types, cut to types and flags: Schema {1 version, 2 block};
 * Block {2 attributes, 3 block_types}; Attribute {1 name, 2 type (cty JSON),
 * 4 required, 5 optional, 6 computed, 7 sensitive, and in protocol 6:
 * 10 nested_type}; NestedBlock {1 type_name, 2 block, 3 nesting}; Object
 * {1 attributes, 3 nesting}.
 */
export function schemasOfAnswer(answer: Uint8Array, protocol: string): { resources: Record<string, ResourceSchema>; dataSources: Record<string, ResourceSchema> } {
  const nesting = (n: number) => {
    const mode = NESTING[n];
    if (!mode || mode === "invalid") throw new Error(`provider schema: nesting mode ${n} is not known`);
    return mode;
  };
  const attribute = (a: ProtoMessage): AttributeSchema => {
    const flags = {
      ...(a.bool(5) ? { optional: true } : {}),
      ...(a.bool(6) ? { computed: true } : {}),
      ...(a.bool(4) ? { required: true } : {}),
      ...(a.bool(7) ? { sensitive: true } : {}),
    };
    const nested = protocol === "6" ? a.message(10) : undefined; // field 10 is write_only in protocol 5
    if (nested) return { nested: { nesting: nesting(nested.varint(3)), attributes: Object.fromEntries(nested.messages(1).map((x) => [x.string(1), attribute(x)])) }, ...flags };
    return { type: JSON.parse(a.string(2)) as CtyType, ...flags };
  };
  const block = (b: ProtoMessage | undefined): BlockSchema => ({
    attributes: Object.fromEntries((b?.messages(2) ?? []).map((a) => [a.string(1), attribute(a)])),
    blocks: Object.fromEntries(
      (b?.messages(3) ?? []).map((n) => [n.string(1), { nesting: nesting(n.varint(3)) as BlockSchema["blocks"][string]["nesting"], block: block(n.message(2)) }]),
    ),
  });
  const types = (entries: ProtoMessage[]) =>
    Object.fromEntries(
      entries.map((e) => {
        const schema = e.message(2);
        return [e.string(1), { version: schema?.varint(1) ?? 0, block: block(schema?.message(2)) }];
      }),
    );
  const response = new ProtoMessage(answer);
  return { resources: types(response.messages(2)), dataSources: types(response.messages(3)) };
}

/** The schema of one resource type, with the builtin `terraform_data` included. */
export function resourceSchema(schemas: Schemas, providerSource: string, type: string): ResourceSchema | undefined {
  if (type === "terraform_data") return TERRAFORM_DATA;
  return schemas.resources[providerSource]?.[type];
}

/** The full provider source address for a `required_providers` entry (`aws` -> `registry.terraform.io/hashicorp/aws`). */
export function providerSourceAddress(source: string | undefined, localName: string): string {
  const s = source ?? localName;
  const parts = s.split("/");
  if (parts.length === 3) return s;
  if (parts.length === 2) return `registry.terraform.io/${s}`;
  return `registry.terraform.io/hashicorp/${s}`;
}

const TERRAFORM_DATA: ResourceSchema = {
  version: 0,
  block: {
    attributes: {
      id: { type: "string", computed: true },
      input: { type: "dynamic", optional: true },
      output: { type: "dynamic", computed: true },
      triggers_replace: { type: "dynamic", optional: true },
    },
    blocks: {},
  },
};
