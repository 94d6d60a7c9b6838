/**
 * `npm run config:reference`: writes docs/configuration.md (every key: type,
 * default, limits, meaning) and config/infra.config.schema.json (JSON Schema
 * for editors: `"$schema": "./config/infra.config.schema.json"`), both
 * generated from the zod schema, so the reference cannot drift from what synth
 * accepts. `--check` exits 1 when either file is stale (a test runs it).
 */
import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import { InfraConfigSchema } from "../config/schema";
import { ENV_OVERRIDES } from "../config/load";

const ROOT = path.resolve(__dirname, "..");
export const REFERENCE_FILE = path.join(ROOT, "docs", "configuration.md");
export const SCHEMA_FILE = path.join(ROOT, "config", "infra.config.schema.json");

type JsonSchema = {
  type?: string;
  enum?: unknown[];
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  additionalProperties?: JsonSchema | boolean;
};

export function jsonSchema(): JsonSchema & Record<string, unknown> {
  return z.toJSONSchema(InfraConfigSchema, { io: "input", unrepresentable: "any" }) as never;
}

/**
 * `/** text *\/` comments right above `key:` lines, from one source file, in
 * source order per key (the schema lists properties in source order, so a
 * key that appears twice, like `region`, is taken in turn).
 */
function comments(file: string): Docs {
  const out: Docs = new Map();
  if (!fs.existsSync(file)) return out;
  const re = /\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*\n\s*([A-Za-z$][A-Za-z0-9]*)\s*:/g;
  const text = fs.readFileSync(file, "utf8");
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const doc = m[1]
      .split("\n")
      .map((l) => l.replace(/^\s*\*\s?/, "").trim())
      .filter((l) => l && !l.startsWith("@"))
      .join(" ");
    out.set(m[2], [...(out.get(m[2]) ?? []), doc]);
  }
  return out;
}

type Docs = Map<string, string[]>;

/** The next comment for `key` (consumed), or "". */
function take(docs: Docs, key: string): string {
  return docs.get(key)?.shift() ?? "";
}

const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function typeOf(s: JsonSchema): string {
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(" \\| ");
  if (s.anyOf) return s.anyOf.map(typeOf).join(" \\| ");
  if (s.type === "array") return `${s.items ? typeOf(s.items) : "any"}[]`;
  return s.type ?? "any";
}

function limits(s: JsonSchema): string {
  const parts: string[] = [];
  const bound = (n: number | undefined) => (n === undefined || Math.abs(n) > 1e15 ? "" : String(n));
  if (bound(s.minimum) || bound(s.maximum)) parts.push(`${bound(s.minimum)}..${bound(s.maximum)}`);
  if (s.minLength !== undefined && s.minLength > 0) parts.push(`length >= ${s.minLength}`);
  return parts.join(", ");
}

export function renderReference(): string {
  const schema = jsonSchema();
  const top = comments(path.join(ROOT, "config", "schema.ts"));
  const envByPath = new Map(Object.entries(ENV_OVERRIDES).map(([k, v]) => [v.path.join("."), k]));
  const rows: string[] = [];
  const walk = (s: JsonSchema, at: string[], docs: Docs, required: boolean) => {
    if (s.type === "object" && s.properties) {
      for (const [key, child] of Object.entries(s.properties)) {
        if (key === "$schema") continue;
        const here = [...at, key];
        const childDocs = at.length === 1 && at[0] === "stacks" ? comments(path.join(ROOT, "config", "stacks", `${kebab(key)}.ts`)) : docs;
        const meaning = take(docs, key).replace(/\|/g, "\\|");
        if (child.type === "object" && child.properties) {
          walk(child, here, childDocs, (s.required ?? []).includes(key));
        } else {
          const req = required && (s.required ?? []).includes(key) && child.default === undefined;
          const dflt = child.default === undefined ? (req ? "**required**" : "") : `\`${JSON.stringify(child.default)}\``;
          const env = envByPath.get(here.join(".")) ? `\`${envByPath.get(here.join("."))}\`` : "";
          rows.push(`| \`${here.join(".")}\` | ${typeOf(child)} | ${dflt} | ${limits(child)} | ${env} | ${meaning} |`);
        }
      }
    }
  };
  walk(schema, [], top, true);
  return [
    "# Configuration reference",
    "",
    "Generated from the zod schema (`config/schema.ts`, `config/stacks/*.ts`) by `npm run config:reference`;",
    "a test fails when this file is stale. Sources, later ones winning: schema defaults, `infra.config.json`",
    "(or `INFRA_CONFIG`), `infra.config.local.json`, `INFRA_*` variables. Unknown keys are refused.",
    "Editors validate the files with `\"$schema\": \"./config/infra.config.schema.json\"`.",
    "",
    "| key | type | default | limits | env | meaning |",
    "|---|---|---|---|---|---|",
    ...rows,
    "",
  ].join("\n");
}

export function renderSchema(): string {
  return `${JSON.stringify(jsonSchema(), null, 2)}\n`;
}

/**
 * Writes (or with `check`, compares) the generated files and prints one line
 * saying what it did: the files written, that they were already current, or
 * which are stale. Returns the exit code.
 */
export function writeReference(
  options: { readonly check?: boolean; readonly files?: readonly (readonly [string, string])[]; readonly print?: (line: string) => void } = {},
): number {
  const files = options.files ?? [
    [REFERENCE_FILE, renderReference()],
    [SCHEMA_FILE, renderSchema()],
  ];
  const print = options.print ?? ((line: string) => console.log(line));
  const rel = (file: string) => path.relative(ROOT, file);
  const stale = files.filter(([file, text]) => (fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "") !== text);
  const all = files.map(([file]) => rel(file)).join(" and ");
  if (options.check) {
    print(stale.length ? `${stale.map(([f]) => rel(f)).join(" and ")} stale: run npm run config:reference` : `${all} are up to date`);
    return stale.length ? 1 : 0;
  }
  for (const [file, text] of stale) fs.writeFileSync(file, text);
  const current = files.filter((f) => !stale.includes(f)).map(([f]) => rel(f));
  const wrote = `wrote ${stale.map(([f]) => rel(f)).join(" and ")}${current.length ? `; ${current.join(" and ")} already up to date` : ""}`;
  print(stale.length ? wrote : `${all} are up to date (nothing written)`);
  return 0;
}

if (require.main === module) {
  process.exitCode = writeReference({ check: process.argv.includes("--check"), print: (line) => (line.includes("stale") ? console.error(line) : console.log(line)) });
}
