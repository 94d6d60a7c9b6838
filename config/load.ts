import * as fs from "fs";
import * as path from "path";
import type { z } from "zod";
import { closestMatch, didYouMean } from "../modules/core/did-you-mean";
import { InfraConfig, InfraConfigSchema, PLACEHOLDER_SSH_CIDR, PLACEHOLDER_STATE_BUCKET } from "./schema";

/** The committed configuration with safe placeholder values. */
export const CONFIG_FILE = "infra.config.json";
/** Your own values (git-ignored), merged over {@link CONFIG_FILE}. */
export const LOCAL_CONFIG_FILE = "infra.config.local.json";

/** Environment variables that override single fields; they win over both files. */
export const ENV_OVERRIDES: Readonly<Record<string, { path: readonly string[]; type: "string" | "boolean" }>> = {
  INFRA_REGION: { path: ["region"], type: "string" },
  INFRA_ENVIRONMENT: { path: ["environment"], type: "string" },
  INFRA_STATE_BUCKET: { path: ["state", "bucket"], type: "string" },
  INFRA_STATE_KEY_PREFIX: { path: ["state", "keyPrefix"], type: "string" },
  INFRA_STATE_REGION: { path: ["state", "region"], type: "string" },
  INFRA_SSH_KEY_NAME: { path: ["ssh", "keyName"], type: "string" },
  INFRA_SSH_CIDR: { path: ["ssh", "ingressCidr"], type: "string" },
  INFRA_SSH_ALLOW_WORLD_OPEN: { path: ["ssh", "allowWorldOpen"], type: "boolean" },
};

/** Values shipped in {@link CONFIG_FILE} that must be replaced before a real deploy. */
export const PLACEHOLDERS: ReadonlyArray<{ path: readonly string[]; value: string; why: string }> = [
  { path: ["ssh", "ingressCidr"], value: PLACEHOLDER_SSH_CIDR, why: "a documentation address (RFC 5737): SSH will not reach you" },
  { path: ["state", "bucket"], value: PLACEHOLDER_STATE_BUCKET, why: "a placeholder: pick a globally unique bucket name" },
];

/** A configuration that failed validation; `problems` has one line per bad field. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export interface LoadConfigOptions {
  /** Folder holding the config files. @default the project root */
  readonly dir?: string;
  /** Environment to read `INFRA_*` overrides from. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Replaces the base file (`INFRA_CONFIG` does the same from the environment). @default infra.config.json */
  readonly file?: string;
}

type Json = Record<string, unknown>;

/**
 * Reads the configuration: schema defaults < `infra.config.json` (or
 * `INFRA_CONFIG`) < `infra.config.local.json` < `INFRA_*` variables.
 * Throws {@link ConfigError} naming every bad field, its value, where the
 * value came from and how to set it.
 */
export function loadConfig(options: LoadConfigOptions = {}): InfraConfig {
  return loadConfigWithSources(options).config;
}

/** A loaded configuration with the raw merged layers and, per key path, the file or variable each value came from. */
export interface LoadedConfig {
  readonly config: InfraConfig;
  /** The merged layers before defaults. */
  readonly raw: Readonly<Json>;
  /** `a.b.c` -> `infra.config.local.json` / `INFRA_X` / the base file's name. */
  readonly sources: ReadonlyMap<string, string>;
}

/** {@link loadConfig}, also returning where each value came from (for errors found later, e.g. by a construct). */
export function loadConfigWithSources(options: LoadConfigOptions = {}): LoadedConfig {
  const dir = options.dir ?? path.resolve(__dirname, "..");
  const env = options.env ?? process.env;
  const baseFile = options.file ?? env.INFRA_CONFIG ?? CONFIG_FILE;
  const sources = new Map<string, string>();
  const problems: string[] = [];

  let raw: Json = {};
  for (const file of [baseFile, LOCAL_CONFIG_FILE]) {
    const full = path.resolve(dir, file);
    if (!fs.existsSync(full)) {
      if (file === baseFile) problems.push(`${file} not found (looked in ${dir}); INFRA_CONFIG names another file`);
      continue;
    }
    try {
      const layer = JSON.parse(fs.readFileSync(full, "utf8"));
      if (!isObject(layer)) throw new Error("the top level must be a JSON object");
      raw = merge(raw, layer, [], sources, file);
    } catch (e) {
      problems.push(`${file} is not valid JSON: ${(e as Error).message}`);
    }
  }

  for (const [name, { path: fieldPath, type }] of Object.entries(ENV_OVERRIDES)) {
    const value = env[name];
    if (value === undefined) continue;
    let parsed: unknown = value;
    if (type === "boolean") {
      if (!/^(true|false)$/.test(value)) {
        problems.push(`${name} ("${value}") must be true or false`);
        continue;
      }
      parsed = value === "true";
    }
    raw = merge(raw, nest(fieldPath, parsed), [], sources, name);
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const result = InfraConfigSchema.safeParse(raw);
  if (!result.success) throw new ConfigError(result.error.issues.map((i) => describeIssue(i, raw, sources)));
  return { config: result.data, raw, sources };
}

/** Lines that warn about placeholder values still in use (fine offline, wrong for a deploy). */
export function placeholderWarnings(config: InfraConfig): string[] {
  return PLACEHOLDERS.filter((p) => get(config as unknown as Json, p.path) === p.value).map(
    (p) => `${p.path.join(".")} is "${p.value}", ${p.why}. ${howToSet(p.path)} before deploying.`,
  );
}

/** "Set a.b in infra.config.local.json or INFRA_X." */
export function howToSet(fieldPath: readonly (string | number)[]): string {
  const key = fieldPath.join(".");
  const envName = Object.entries(ENV_OVERRIDES).find(([, o]) => o.path.join(".") === key)?.[0];
  return `Set ${key} in ${LOCAL_CONFIG_FILE}${envName ? ` or ${envName}` : ""}`;
}

function describeIssue(issue: z.core.$ZodIssue, raw: Json, sources: Map<string, string>): string {
  if (issue.code === "unrecognized_keys") {
    const known = knownKeysAt(InfraConfigSchema, issue.path);
    return issue.keys
      .map((k) => {
        const full = [...issue.path, k].join(".");
        const hint = closestMatch(k, known);
        const here = issue.path.length ? `${issue.path.join(".")} takes` : "the top level takes";
        const suggestion =
          hint !== undefined
            ? `; did you mean ${[...issue.path, hint].join(".")}?`
            : known.length > 0
              ? `; ${here} ${known.filter((x) => x !== "$schema").join(", ")} (docs/configuration.md)`
              : "; check its spelling against docs/configuration.md";
        return `${full} is not a known setting (from ${sources.get(full) ?? "config"})${suggestion}`;
      })
      .join("\n  - ");
  }
  const key = issue.path.join(".") || "(top level)";
  const value = get(raw, issue.path as (string | number)[]);
  const from = sources.get(key);
  if (value === undefined) {
    // A cross-field check can point at a key the user left to its default: show the default.
    const fallback = issue.code === "custom" ? defaultAt(InfraConfigSchema, issue.path) : undefined;
    if (fallback === undefined) return `${key} is missing. ${howToSet(issue.path as string[])}.`;
    return `${key} (${JSON.stringify(fallback)}, the default) ${issue.message}. ${howToSet(issue.path as string[])}.`;
  }
  const message =
    issue.code === "invalid_type"
      ? `must be ${TYPE_WORDS[issue.expected] ?? `a ${issue.expected}`}`
      : issue.code === "invalid_value" && typeof value === "string"
        ? `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}${didYouMean(value, issue.values.map(String))}`
        : issue.code === "too_big" || issue.code === "too_small"
          ? boundMessage(issue)
          : issue.message;
  return `${key} (${JSON.stringify(value)}${from ? `, from ${from}` : ""}) ${message}. ${howToSet(issue.path as string[])}.`;
}

/** zod's "Too big: expected number to be <=65535" in the reference's words, keeping custom messages. */
function boundMessage(issue: z.core.$ZodIssueTooBig | z.core.$ZodIssueTooSmall): string {
  if (!/^Too (big|small): expected/.test(issue.message)) return issue.message;
  const big = issue.code === "too_big";
  const limit = big ? (issue as z.core.$ZodIssueTooBig).maximum : (issue as z.core.$ZodIssueTooSmall).minimum;
  const inclusive = issue.inclusive !== false;
  const unit = issue.origin === "string" ? " characters" : issue.origin === "array" || issue.origin === "set" ? " items" : "";
  const bound = big ? (inclusive ? "at most" : "less than") : inclusive ? "at least" : "more than";
  return issue.origin === "string" || issue.origin === "array" || issue.origin === "set" ? `must have ${bound} ${limit}${unit}` : `must be ${bound} ${limit}`;
}

/** zod's type names in the reference's words. */
const TYPE_WORDS: Record<string, string> = {
  int: "a whole number",
  number: "a number",
  string: "a string",
  boolean: "true or false",
  object: "an object",
  array: "a list",
};

/** The schema's default at `at`, if that key has one. */
function defaultAt(schema: z.ZodType, at: readonly PropertyKey[]): unknown {
  const node = schemaAt(schema, at);
  for (let n: unknown = node, guard = 0; n && guard < 20; guard++) {
    const def = (n as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
    if (!def) return undefined;
    if (def.type === "default") {
      const value = def.defaultValue;
      return typeof value === "function" ? (value as () => unknown)() : value;
    }
    n = def.innerType ?? (def.type === "pipe" ? def.in : undefined);
  }
  return undefined;
}

/** The keys an object of the schema accepts at `at` (wrappers such as defaults and optionals looked through). */
export function knownKeysAt(schema: z.ZodType, at: readonly PropertyKey[]): string[] {
  const def = (unwrap(schemaAt(schema, at)) as { _zod?: { def?: Record<string, unknown> } } | undefined)?._zod?.def;
  return def?.type === "object" ? Object.keys(def.shape as Record<string, unknown>) : [];
}

/** Looks through defaults, optionals and pipes to the schema that validates the value. */
function unwrap(n: unknown): unknown {
  for (let guard = 0; guard < 20; guard++) {
    const def = (n as { _zod?: { def?: Record<string, unknown> } })?._zod?.def;
    if (!def) return n;
    if (def.innerType) n = def.innerType;
    else if (def.type === "pipe") n = def.in;
    else return n;
  }
  return n;
}

/** The (wrapped) schema of the key at `at`, or undefined. */
function schemaAt(schema: z.ZodType, at: readonly PropertyKey[]): unknown {
  let node: unknown = schema;
  for (const key of at) {
    const def = (unwrap(node) as { _zod?: { def?: Record<string, unknown> } })?._zod?.def;
    if (!def) return undefined;
    if (def.type === "object") node = (def.shape as Record<string, unknown>)[String(key)];
    else if (def.type === "record") node = def.valueType;
    else if (def.type === "array") node = def.element;
    else return undefined;
    if (node === undefined) return undefined;
  }
  return node;
}

function merge(base: Json, layer: Json, at: string[], sources: Map<string, string>, source: string): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(layer)) {
    const here = [...at, k];
    if (isObject(v) && isObject(out[k]) && k !== "tags") {
      out[k] = merge(out[k] as Json, v, here, sources, source);
    } else {
      out[k] = v;
      markSources(v, here, sources, source);
    }
  }
  return out;
}

function markSources(value: unknown, at: string[], sources: Map<string, string>, source: string): void {
  sources.set(at.join("."), source);
  if (isObject(value)) for (const [k, v] of Object.entries(value)) markSources(v, [...at, k], sources, source);
  // Array items too, so a bad `instanceTypes.1` names its file.
  if (Array.isArray(value)) value.forEach((v, i) => markSources(v, [...at, String(i)], sources, source));
}

function nest(fieldPath: readonly string[], value: unknown): Json {
  return fieldPath.reduceRight<unknown>((acc, key) => ({ [key]: acc }), value) as Json;
}

function get(obj: Json, fieldPath: readonly (string | number)[]): unknown {
  let cur: unknown = obj;
  for (const k of fieldPath) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Json)[k as string];
  }
  return cur;
}

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}
