/**
 * One terraform root for many stacks: each synthesized stack becomes a child
 * module (`m/<name>/cdk.tf.json`) of a root that holds the provider
 * configurations, so one `terraform plan` loads the provider schema once for
 * every stack instead of once per stack (the AWS provider takes ~3 s to
 * start). Identical provider configurations are shared; the stack's own
 * backend is dropped (the root's state is local).
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { OFFLINE_PROVIDER_SETTINGS } from "../terraform";

/** A stack's synthesized Terraform JSON. */
export interface TfJson {
  readonly "//"?: unknown;
  readonly terraform?: { readonly required_providers?: Record<string, { source?: string; version?: string }>; readonly backend?: unknown };
  readonly provider?: Record<string, ReadonlyArray<Record<string, unknown>>>;
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly output?: Record<string, { readonly value: unknown; readonly sensitive?: boolean }>;
  readonly [key: string]: unknown;
}

/** A synthesized stack: its JSON and the folder its relative asset paths start from. */
export interface StackSource {
  readonly json: TfJson;
  /** The stack's folder in a cdktf output (`cdktf.out/stacks/<stack>`), holding `assets/`. */
  readonly dir: string;
}

export interface ModuleSpec {
  /** Module name in the root (a terraform identifier). */
  readonly name: string;
  readonly json: TfJson;
  /** Folder whose `assets/` the module's relative paths point into. */
  readonly assetsFrom?: string;
  /** Provider configurations to use when the module has none of its own (a removed stack's empty module). */
  readonly providersFrom?: TfJson;
}


export interface RootLayout {
  readonly dir: string;
  /** The root's `required_providers`. */
  readonly requiredProviders: Record<string, { source?: string; version?: string }>;
  /** module name -> provider key in the module (`aws`, `aws.west`) -> absolute provider address for state. */
  readonly providerAddresses: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

/** Makes a terraform identifier of any label. */
export function moduleName(label: string): string {
  const clean = label.replace(/[^A-Za-z0-9_-]/g, "_");
  return /^[A-Za-z]/.test(clean) ? clean : `m_${clean}`;
}

/** The module (`m/<name>`) form of a stack's JSON: no backend, no provider blocks, aliases declared. */
function moduleJson(json: TfJson, providerKeys: readonly string[]): TfJson {
  const { provider: _provider, ...rest } = json;
  const requiredProviders: Record<string, Record<string, unknown>> = {};
  for (const [local, req] of Object.entries(json.terraform?.required_providers ?? {})) {
    const aliases = providerKeys.filter((k) => k.startsWith(`${local}.`));
    requiredProviders[local] = { ...req, ...(aliases.length ? { configuration_aliases: aliases } : {}) };
  }
  return { ...rest, terraform: { required_providers: requiredProviders } };
}

/** `aws` or `aws.<alias>` for each provider block of a stack. */
function providerBlocks(json: TfJson | undefined): { key: string; local: string; config: Record<string, unknown> }[] {
  const out: { key: string; local: string; config: Record<string, unknown> }[] = [];
  for (const [local, blocks] of Object.entries(json?.provider ?? {})) {
    for (const block of blocks) {
      const { alias, ...config } = block as Record<string, unknown> & { alias?: string };
      out.push({ key: alias ? `${local}.${alias}` : local, local, config });
    }
  }
  return out;
}

function sourceOf(json: TfJson | undefined, local: string): string {
  const s = json?.terraform?.required_providers?.[local]?.source ?? local;
  const parts = s.split("/");
  return parts.length === 3 ? s : parts.length === 2 ? `registry.terraform.io/${s}` : `registry.terraform.io/hashicorp/${s}`;
}

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(",")}]`;
  if (v && typeof v === "object") {
    return `{${Object.keys(v as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v);
}

/**
 * Writes a root with `modules` into `dir` (reusing `.terraform` from an
 * earlier run there). Outputs of every module are re-exported as
 * `<module>__<output>` so the plan reports their changes.
 */
export function writeRoot(dir: string, modules: readonly ModuleSpec[], extraProviderSettings: Record<string, unknown> = OFFLINE_PROVIDER_SETTINGS): RootLayout {
  fs.mkdirSync(dir, { recursive: true });
  for (const entry of fs.readdirSync(dir)) {
    if (entry !== ".terraform" && entry !== ".terraform.lock.hcl") fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
  }
  const requiredProviders: Record<string, { source?: string; version?: string }> = {};
  const rootProviders: Record<string, Record<string, unknown>[]> = {};
  const aliasesTaken = new Set<string>();
  const moduleCalls: Record<string, unknown> = {};
  const outputs: Record<string, unknown> = {};
  const providerAddresses = new Map<string, Map<string, string>>();

  for (const m of modules) {
    const own = providerBlocks(m.json);
    const blocks = own.length ? own : providerBlocks(m.providersFrom);
    const providerSource = m.json.terraform?.required_providers ? m.json : m.providersFrom;
    const mapping: Record<string, string> = {};
    const addresses = new Map<string, string>();
    for (const b of blocks) {
      const req = providerSource?.terraform?.required_providers?.[b.local];
      if (req) requiredProviders[b.local] ??= { ...req };
      const alias = `p_${crypto.createHash("sha256").update(stableJson({ local: b.local, config: b.config })).digest("hex").slice(0, 12)}`;
      if (!aliasesTaken.has(`${b.local}.${alias}`)) {
        aliasesTaken.add(`${b.local}.${alias}`);
        (rootProviders[b.local] ??= []).push({ ...b.config, ...(b.local === "aws" ? extraProviderSettings : {}), alias });
      }
      mapping[b.key] = `${b.local}.${alias}`;
      addresses.set(b.key, `provider["${sourceOf(providerSource, b.local)}"].${alias}`);
    }
    providerAddresses.set(m.name, addresses);

    const moduleDir = path.join(dir, "m", m.name);
    fs.mkdirSync(moduleDir, { recursive: true });
    const json = own.length ? moduleJson(m.json, Object.keys(mapping)) : { terraform: { required_providers: moduleJson(m.providersFrom ?? {}, Object.keys(mapping)).terraform!.required_providers } };
    fs.writeFileSync(path.join(moduleDir, "cdk.tf.json"), JSON.stringify(json, null, 1));
    moduleCalls[m.name] = { source: `./m/${m.name}`, ...(Object.keys(mapping).length ? { providers: mapping } : {}) };
    for (const [o, spec] of Object.entries(m.json.output ?? {})) {
      outputs[`${m.name}__${o}`] = { value: `\${module.${m.name}.${o}}`, ...(spec.sensitive ? { sensitive: true } : {}) };
    }
    if (m.assetsFrom) linkAssets(path.join(m.assetsFrom, "assets"), path.join(dir, "assets"));
  }

  // No backend block: terraform's implicit local backend (terraform.tfstate here) needs no init.
  const root = {
    terraform: { required_providers: requiredProviders },
    ...(Object.keys(rootProviders).length ? { provider: rootProviders } : {}),
    ...(Object.keys(moduleCalls).length ? { module: moduleCalls } : {}),
    ...(Object.keys(outputs).length ? { output: outputs } : {}),
  };
  fs.writeFileSync(path.join(dir, "main.tf.json"), JSON.stringify(root, null, 1));
  return { dir, requiredProviders, providerAddresses };
}

/**
 * cdktf writes asset paths relative to the working directory
 * (`assets/<id>/<hash>/file.zip`), so every module's assets are linked
 * under the root's `assets/`, one link per content hash.
 */
function linkAssets(from: string, to: string): void {
  if (!fs.existsSync(from)) return;
  for (const id of fs.readdirSync(from)) {
    const target = path.join(to, id);
    fs.mkdirSync(target, { recursive: true });
    for (const hash of fs.readdirSync(path.join(from, id))) {
      const link = path.join(target, hash);
      if (!fs.existsSync(link)) fs.symlinkSync(path.resolve(from, id, hash), link);
    }
  }
}
