import * as fs from "fs";
import * as path from "path";
import { types } from "util";
import { App } from "cdktf";
import { ConfigError, LoadedConfig, howToSet, loadConfigWithSources, placeholderWarnings } from "../config/load";
import { configWarnings } from "../config/warnings";
import { STACKS } from "./app";

type Env = Readonly<Record<string, string | undefined>>;

export interface SynthesizeOptions {
  /** Folder holding the configuration files. @default the project root */
  readonly dir?: string;
  /** `INFRA_*`, `CDKTF_OUTDIR`, `DEBUG`, `INFRA_STRICT`... @default process.env */
  readonly env?: Env;
  /** Where the synthesized app goes. @default `CDKTF_OUTDIR`, else `cdktf.out` */
  readonly outdir?: string;
  /** Stacks to build. @default all */
  readonly only?: readonly string[];
  /** Where problems and warnings are printed, one line per call. @default stderr */
  readonly print?: (line: string) => void;
}

export interface SynthesizeResult {
  readonly ok: boolean;
  readonly outdir: string;
  /** One line per problem, in the user's words (configuration key path, value, source). */
  readonly problems: readonly string[];
  readonly warnings: readonly string[];
  /** On success, the stacks written: `synthesized 9 stacks into cdktf.out`. */
  readonly summary?: string;
}

/**
 * What `npm run synth`, `cdktf synth/deploy/diff` and `npm run plan` run
 * (main.ts): the configuration, every stack, synthesized into a folder next
 * to the output folder that replaces it only when the whole app
 * synthesized - a failed run leaves the previous output as it was, never a
 * half-written one a later `plan` or `deploy` would use. Terraform's
 * working files in the old output (`.terraform/`, `.terraform.lock.hcl`)
 * are carried over.
 *
 * Problems print as one list, in the user's words: configuration errors
 * from the schema, and errors a construct raises about a value that came
 * from the configuration, mapped back to its key path (no stack trace
 * unless `DEBUG=1`). Warnings (placeholders, construct warnings such as a
 * non-GPU type for the GPU image) print on stderr; `INFRA_STRICT=1` makes
 * them errors.
 */
export function synthesizeApp(options: SynthesizeOptions = {}): SynthesizeResult {
  const env = options.env ?? process.env;
  const print = options.print ?? ((line: string) => process.stderr.write(`${line}\n`));
  const outdir = path.resolve(options.outdir ?? env.CDKTF_OUTDIR ?? "cdktf.out");
  const debug = env.DEBUG === "1";
  const fail = (problems: string[], warnings: string[] = []): SynthesizeResult => {
    print("Invalid configuration:");
    for (const p of problems) print(`  - ${p}`);
    return { ok: false, outdir, problems, warnings };
  };

  let loaded: LoadedConfig;
  try {
    loaded = loadConfigWithSources({ dir: options.dir, env });
  } catch (e) {
    if (e instanceof ConfigError) return fail([...e.problems]);
    throw e;
  }

  const partial = `${outdir}.partial-${process.pid}`;
  fs.rmSync(partial, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(outdir), { recursive: true });
  try {
    const problems: string[] = [];
    const app = new App({ outdir: partial, stackTraces: debug });
    for (const name of options.only ?? Object.keys(STACKS)) {
      const build = STACKS[name];
      if (!build) throw new Error(`unknown stack ${name}; stacks are ${Object.keys(STACKS).join(", ")}`);
      // Each stack on its own, so one run reports the problems of all of them.
      try {
        build(app, loaded.config);
      } catch (e) {
        if (debug) print(String((e as Error).stack));
        problems.push(describeConstructError(e, name, loaded));
      }
    }
    if (problems.length > 0) return fail(problems);
    try {
      app.synth();
    } catch (e) {
      if (debug) print(String((e as Error).stack));
      return fail(synthErrorLines(e).map((line) => describeConstructError(new Error(line.message), line.stack, loaded)));
    }

    const placeholders = placeholderWarnings(loaded.config);
    const fromConfig = [...placeholders, ...configWarnings(loaded.config)];
    const warnings = [...fromConfig, ...constructWarnings(partial, loaded, new Set(fromConfig.map(keyOf)))];
    // INFRA_QUIET_PLACEHOLDERS=1 (review, benchmarks) silences the placeholder lines, not INFRA_STRICT's judgement.
    const quiet = env.INFRA_QUIET_PLACEHOLDERS === "1" ? new Set(placeholders) : new Set<string>();
    for (const w of warnings) if (!quiet.has(w)) print(`warning: ${w}`);
    if (env.INFRA_STRICT === "1" && warnings.length > 0) {
      if (quiet.size > 0) for (const w of quiet) print(`warning: ${w}`);
      return fail([`INFRA_STRICT=1 turns the ${warnings.length} warning(s) above into errors; fix them or unset INFRA_STRICT`], warnings);
    }
    replaceOutdir(partial, outdir);
    const count = (options.only ?? Object.keys(STACKS)).length;
    const shown = path.relative(process.cwd(), outdir);
    const summary = `synthesized ${count} stack${count === 1 ? "" : "s"} into ${shown && !shown.startsWith("..") ? shown : outdir}`;
    return { ok: true, outdir, problems: [], warnings, summary };
  } finally {
    fs.rmSync(partial, { recursive: true, force: true });
  }
}

/** Stack name (`web-fleet`) -> its settings key (`webFleet`). */
export function settingsKey(stack: string): string {
  return stack.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * An error a construct raised while building `stack`, in the user's words
 * when its value came from the configuration. Module messages name their
 * own prop and the value - `minSize (2) must be...`, `path: metadataHopLimit
 * (70) must be...`; the configuration leaf under `stacks.<stack>` (or the
 * top level) with that name and value, or failing that the only leaf with
 * that value, is the key the user wrote. Without a match the message keeps
 * the construct's words and names the stack's settings.
 */
export function describeConstructError(error: unknown, stack: string | undefined, loaded: LoadedConfig): string {
  const message = types.isNativeError(error) ? error.message : String(error);
  const m = /^(?:(\S+): )?([A-Za-z][\w.]*(?:\[\d+\])*(?:\.[A-Za-z]\w*)*) \((.*?)\) ([\s\S]*)$/.exec(message);
  const settings = stack ? `stacks.${settingsKey(stack)}` : undefined;
  if (m) {
    const [, , prop, shown, rest] = m;
    const leaf = prop.replace(/\[\d+\]/g, "").split(".").pop()!;
    const leaves = configLeaves(loaded.config as unknown as Record<string, unknown>).filter(
      ([key]) => settings === undefined || key.startsWith(`${settings}.`) || !key.startsWith("stacks."),
    );
    const sameValue = leaves.filter(([, value]) => sameShown(value, shown));
    const byName = sameValue.filter(([key]) => key.split(".").pop() === leaf);
    const hit = byName.length === 1 ? byName[0] : sameValue.length === 1 ? sameValue[0] : undefined;
    if (hit) {
      const [key, value] = hit;
      const from = loaded.sources.get(key);
      return `${key} (${JSON.stringify(value)}, ${from ? `from ${from}` : "the default"}) ${rest.replace(/\.$/, "")} (${stack ? `stack ${stack}, ` : ""}${prop}). ${howToSet(key.split("."))}.`;
    }
  }
  const where = settings ? ` Check ${settings} in ${sourcesUnder(settings, loaded) || "the configuration"}.` : "";
  return `${stack ? `stack ${stack}: ` : ""}${message.replace(/\.$/, "")}.${where}`;
}

function sameShown(value: unknown, shown: string): boolean {
  const text = shown.replace(/^"(.*)"$/, "$1");
  if (Array.isArray(value)) return value.join(", ") === text || JSON.stringify(value) === shown;
  return String(value) === text || JSON.stringify(value) === shown;
}

function configLeaves(obj: Record<string, unknown>, at: string[] = []): [string, unknown][] {
  return Object.entries(obj).flatMap(([k, v]) =>
    v !== null && typeof v === "object" && !Array.isArray(v) ? configLeaves(v as Record<string, unknown>, [...at, k]) : [[[...at, k].join("."), v] as [string, unknown]],
  );
}

function sourcesUnder(prefix: string, loaded: LoadedConfig): string {
  const files = new Set([...loaded.sources].filter(([k]) => k === prefix || k.startsWith(`${prefix}.`)).map(([, v]) => v));
  return [...files].join(", ");
}

/** cdktf's "[construct/path] message" lines of a failed synth (error annotations, validations), by stack. */
function synthErrorLines(e: unknown): Array<{ stack?: string; message: string }> {
  // isNativeError, not instanceof: under jest, cdktf's errors come from another realm (tools/jest-runtime.js).
  const text = types.isNativeError(e) ? e.message : String(e);
  const lines = text.split("\n").map((l) => l.trim()).filter(Boolean);
  const found = lines.map((l) => /^\[([^\]/]+)(?:\/[^\]]*)?\] ([\s\S]*)$/.exec(l)).filter((x): x is RegExpExecArray => x !== null);
  if (found.length === 0) return [{ message: text.replace(/\s+/g, " ").trim() }];
  return found.map((f) => ({ stack: f[1] in STACKS ? f[1] : undefined, message: f[2] }));
}

/** The configuration key a problem line starts with (`stacks.x.y (value...`), if any. */
function keyOf(line: string): string | undefined {
  return /^([A-Za-z$][\w$]*(?:\.[\w$]+)*) \(/.exec(line)?.[1];
}

/**
 * Warning annotations from the synthesized manifest, in the user's words
 * where they are about a configured value (mapped like errors); a warning
 * about a key the configuration already warned about is not repeated.
 */
function constructWarnings(outdir: string, loaded: LoadedConfig, covered: ReadonlySet<string | undefined>): string[] {
  const file = path.join(outdir, "manifest.json");
  if (!fs.existsSync(file)) return [];
  const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as { stacks?: Record<string, { annotations?: Array<{ constructPath: string; level: string; message: unknown }> }> };
  return Object.entries(manifest.stacks ?? {}).flatMap(([stack, s]) =>
    (s.annotations ?? [])
      .filter((a) => a.level === "@cdktf/warn")
      .flatMap((a) => {
        const mapped = describeConstructError(new Error(String(a.message)), stack, loaded);
        const key = keyOf(mapped);
        if (key !== undefined && covered.has(key)) return [];
        return [key !== undefined ? mapped : `[${a.constructPath}] ${String(a.message)}`];
      }),
  );
}

/** Puts `fresh` in place of `outdir`, keeping terraform's working files of the stacks that are still there. */
function replaceOutdir(fresh: string, outdir: string): void {
  const old = `${outdir}.old-${process.pid}`;
  if (fs.existsSync(outdir)) {
    for (const carried of [".terraform", ".terraform.lock.hcl"]) {
      const stacksDir = path.join(outdir, "stacks");
      if (!fs.existsSync(stacksDir)) break;
      for (const stack of fs.readdirSync(stacksDir)) {
        const from = path.join(stacksDir, stack, carried);
        const to = path.join(fresh, "stacks", stack, carried);
        if (fs.existsSync(from) && fs.existsSync(path.dirname(to)) && !fs.existsSync(to)) fs.renameSync(from, to);
      }
    }
    fs.renameSync(outdir, old);
  }
  fs.renameSync(fresh, outdir);
  fs.rmSync(old, { recursive: true, force: true });
}
