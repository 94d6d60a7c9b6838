/**
 * The provider schemas the baseline builder needs: each resource type's
 * schema version (state must carry it) and the type of every attribute (a
 * value filled in for an unknown attribute must have the right shape); the
 * plan file decoder (plan-file.ts) reads resources' and data sources'
 * values with the same types and sensitive flags.
 *
 * `terraform providers schema -json` takes ~4 s and prints 13 MB for the AWS
 * provider, so its answer is kept, stripped to types and flags, in a cache
 * folder keyed by the terraform and provider versions.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { runTerraform } from "../terraform";
import type { Launchers } from "./provider-launchers";

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

/** The cache folder for the review's schemas and baselines. */
export function cacheRoot(projectRoot: string): string {
  return process.env.AWS_COURSE_REVIEW_CACHE ?? path.join(projectRoot, "node_modules", ".cache", "aws-course-review");
}

/** A folder where terraform installed the providers once; every review root links to it instead of running init. */
export interface ProviderInstall {
  readonly key: string;
  readonly dir: string;
  readonly terraformVersion: string;
  /** `required_providers` it was made for (local name -> source/version). */
  readonly required: Readonly<Record<string, { source?: string; version?: string }>>;
}

/**
 * `terraform init` of the providers `requiredProviders` names (as in a
 * stack's `terraform.required_providers`), once per terraform and provider
 * versions, in the cache folder. Made in a private folder and renamed into
 * place, so concurrent reviews never see half of one.
 */
export async function installProviders(
  requiredProviders: Record<string, { source?: string; version?: string }>,
  cacheDir: string,
  env: NodeJS.ProcessEnv,
): Promise<ProviderInstall> {
  const terraformVersion = await versionOfTerraform(env);
  const required = Object.fromEntries(Object.entries(requiredProviders).sort(([a], [b]) => a.localeCompare(b)));
  const key = crypto.createHash("sha256").update(JSON.stringify({ terraformVersion, required, cli: env.TF_CLI_CONFIG_FILE ? fs.readFileSync(env.TF_CLI_CONFIG_FILE, "utf8") : "" })).digest("hex").slice(0, 16);
  const dir = path.join(cacheDir, `providers-${key}`);
  await onceAcrossProcesses(`${dir}.lock`, () => fs.existsSync(path.join(dir, ".terraform.lock.hcl")), async () => {
    const tmp = `${dir}.${process.pid}.tmp`;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(tmp, { recursive: true });
    fs.writeFileSync(path.join(tmp, "main.tf.json"), JSON.stringify({ terraform: { required_providers: required } }));
    const init = await runTerraform(["init", "-input=false", "-no-color", "-backend=false"], tmp, env);
    if (init.code !== 0) throw new Error(`terraform init of the providers failed:\n${init.stderr || init.stdout}`);
    try {
      fs.renameSync(tmp, dir);
    } catch {
      fs.rmSync(tmp, { recursive: true, force: true }); // another review made it meanwhile
    }
  });
  return { key, dir, terraformVersion, required };
}

/** The schemas of the installed providers, from the cache or from `terraform providers schema -json`. */
export async function loadSchemas(install: ProviderInstall, cacheDir: string, env: NodeJS.ProcessEnv): Promise<Schemas> {
  // v2: with the data sources' schemas.
  const file = path.join(cacheDir, `schemas-v2-${install.key}.json`);
  await onceAcrossProcesses(`${file}.lock`, () => fs.existsSync(file), () => writeSchemas(install, file, env));
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

async function writeSchemas(install: ProviderInstall, file: string, env: NodeJS.ProcessEnv): Promise<void> {
  const out = await runTerraform(["providers", "schema", "-json"], install.dir, env);
  if (out.code !== 0) throw new Error(`terraform providers schema failed:\n${out.stderr || out.stdout}`);
  const raw = JSON.parse(out.stdout).provider_schemas as Record<string, { resource_schemas?: Record<string, any>; data_source_schemas?: Record<string, any> }>;
  const strip = (schemas: Record<string, any> | undefined) =>
    Object.fromEntries(Object.entries(schemas ?? {}).map(([t, s]) => [t, { version: s.version ?? 0, block: stripBlock(s.block) }]));
  const schemas: Schemas = {
    resources: Object.fromEntries(Object.entries(raw).map(([source, p]) => [source, strip(p.resource_schemas)])),
    dataSources: Object.fromEntries(Object.entries(raw).map(([source, p]) => [source, strip(p.data_source_schemas)])),
  };
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(schemas));
  fs.renameSync(tmp, file); // atomic: a concurrent reader sees the whole file or none
}

/** How long a process waits for another to finish a cache entry before making it itself. */
export const CACHE_LOCK_WAIT_MS = 300_000;

/**
 * Runs `make` unless `ready()` holds, one process at a time per `lock` (a
 * folder: mkdir is atomic): concurrent reviews (or test files) on a cold
 * cache install the providers and read their schemas once instead of each
 * doing it (~4 s of CPU and 13 MB of JSON per schema read). The others wait
 * and then find it ready. A lock whose process is gone is taken over; after
 * CACHE_LOCK_WAIT_MS a waiter makes the entry itself (entries are renamed
 * into place, so doing it twice is only slower, never wrong).
 */
export async function onceAcrossProcesses(lock: string, ready: () => boolean, make: () => Promise<void>, waitMs = CACHE_LOCK_WAIT_MS): Promise<void> {
  const deadline = Date.now() + waitMs;
  while (!ready()) {
    try {
      fs.mkdirSync(lock);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      if (lockHolderGone(lock)) fs.rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) return make();
      else await new Promise((resolve) => setTimeout(resolve, 200));
      continue;
    }
    try {
      fs.writeFileSync(path.join(lock, "pid"), String(process.pid));
      if (!ready()) await make();
    } finally {
      fs.rmSync(lock, { recursive: true, force: true });
    }
    return;
  }
}

/** The lock's process has exited (a lock just made may not name its process yet: gone only if it stays so for 10 s). */
function lockHolderGone(lock: string): boolean {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(path.join(lock, "pid"), "utf8"));
  } catch {
    try {
      return Date.now() - fs.statSync(lock).mtimeMs > 10_000;
    } catch {
      return false; // released meanwhile
    }
  }
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/**
 * Makes `root` ready for terraform without `terraform init`: the lock file
 * and the providers from the install (through its launchers when given:
 * provider-launchers.ts), and the module list init would write.
 * False when the root needs a provider the install lacks (then run init).
 */
export function linkInstall(
  root: string,
  install: ProviderInstall,
  modules: readonly string[],
  rootRequired: Record<string, { source?: string; version?: string }>,
  launchers?: Launchers,
): boolean {
  for (const [local, req] of Object.entries(rootRequired)) {
    const have = install.required[local];
    if (!have || have.source !== req.source || have.version !== req.version) return false;
  }
  const dot = path.join(root, ".terraform");
  fs.rmSync(dot, { recursive: true, force: true });
  fs.mkdirSync(path.join(dot, "modules"), { recursive: true });
  if (launchers) {
    fs.writeFileSync(path.join(root, ".terraform.lock.hcl"), launchers.lockFile);
    fs.symlinkSync(launchers.providers, path.join(dot, "providers"));
  } else {
    fs.copyFileSync(path.join(install.dir, ".terraform.lock.hcl"), path.join(root, ".terraform.lock.hcl"));
    if (fs.existsSync(path.join(install.dir, ".terraform", "providers"))) fs.symlinkSync(path.join(install.dir, ".terraform", "providers"), path.join(dot, "providers"));
  }
  const entries = [{ Key: "", Source: "", Dir: "." }, ...modules.map((m) => ({ Key: m, Source: `./m/${m}`, Dir: `m/${m}` }))];
  fs.writeFileSync(path.join(dot, "modules", "modules.json"), JSON.stringify({ Modules: entries }));
  return true;
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

async function versionOfTerraform(env: NodeJS.ProcessEnv): Promise<string> {
  const v = await runTerraform(["version", "-json"], process.cwd(), env);
  try {
    return JSON.parse(v.stdout).terraform_version as string;
  } catch {
    return "unknown";
  }
}

function stripBlock(block: any): BlockSchema {
  const attributes: Record<string, AttributeSchema> = {};
  for (const [name, a] of Object.entries<any>(block?.attributes ?? {})) attributes[name] = stripAttribute(a);
  const blocks: BlockSchema["blocks"] = {};
  for (const [name, b] of Object.entries<any>(block?.block_types ?? {})) blocks[name] = { nesting: b.nesting_mode, block: stripBlock(b.block) };
  return { attributes, blocks };
}

function stripAttribute(a: any): AttributeSchema {
  const flags = {
    ...(a.optional ? { optional: true } : {}),
    ...(a.computed ? { computed: true } : {}),
    ...(a.required ? { required: true } : {}),
    ...(a.sensitive ? { sensitive: true } : {}),
  };
  if (a.nested_type) {
    const attributes: Record<string, AttributeSchema> = {};
    for (const [n, x] of Object.entries<any>(a.nested_type.attributes ?? {})) attributes[n] = stripAttribute(x);
    return { nested: { nesting: a.nested_type.nesting_mode, attributes }, ...flags };
  }
  return { type: a.type, ...flags };
}
