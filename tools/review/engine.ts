/**
 * Plans head versions of stacks against offline baselines of their base
 * versions, with terraform's own decisions, in as few terraform runs as
 * possible:
 *
 *   root 1  every distinct base, rewritten (baseline.ts), planned from empty
 *           -> one baseline state per base
 *   root 2  every base as it is + every head, all on their baselines, planned
 *           once: a base must plan clean (else its baseline is corrected from
 *           what terraform planned and root 2 runs again, a few rounds at most);
 *           a head's plan is the review's answer.
 *
 * A stack that breaks a run (its plan fails) is taken out with terraform's
 * message and the run is repeated without it, so the others still get their
 * answer.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { runTerraform } from "../terraform";
import type { Baseline, PlannedChange } from "./baseline";
import { baselineFromPlan, correctResource, ctyTypeOf, resourceProviderSource, rewriteForFirstPlan, stateResource } from "./baseline";
import type { Schemas } from "./schema";
import type { ProviderInstall } from "./schema";
import { installProviders, linkInstall, loadSchemas } from "./schema";
import type { LaunchTemplate, OfflineAws, OfflineFacts, Tag } from "./offline-aws";
import { startOfflineAws } from "./offline-aws";
import type { ModuleSpec, StackSource, TfJson } from "./workspace";
import { moduleName, OFFLINE_PROVIDER_SETTINGS, writeRoot } from "./workspace";
import { contentKey } from "./sources";

/** One question: what does `head` do to a stack deployed from `base`? Either side may be absent (added, removed). */
export interface Comparison {
  readonly id: string;
  readonly base?: StackSource;
  readonly head?: StackSource;
}

export interface OutputChange {
  readonly actions: readonly string[];
  readonly before?: unknown;
  readonly after?: unknown;
  readonly after_unknown?: unknown;
  readonly before_sensitive?: unknown;
  readonly after_sensitive?: unknown;
}

export interface ComparisonResult {
  readonly id: string;
  readonly ok: boolean;
  /** Why there is no plan: the baseline could not be built, or the head does not plan. */
  readonly error?: string;
  /** terraform's resource changes of the head, addresses relative to the stack. */
  readonly changes: readonly PlannedChange[];
  readonly outputChanges: Readonly<Record<string, OutputChange>>;
  /** Rounds the base needed to plan clean against its baseline (1 = at once). */
  readonly baselineRounds: number;
  /** Seconds from the start of the run until this answer was known. */
  readonly seconds: number;
}

export interface EngineOptions {
  /** Scratch folder (roots, states, plans). */
  readonly workDir: string;
  /** terraform's environment (tools/terraform.ts terraformEnv, offline). */
  readonly env: NodeJS.ProcessEnv;
  readonly cacheDir: string;
  /** Progress lines. */
  readonly log?: (line: string) => void;
  /** Rounds of baseline correction before a base is reported as failing. @default 4 */
  readonly maxRounds?: number;
  /** Use (and keep) baselines of earlier reviews from the cache folder. @default true */
  readonly reuseBaselines?: boolean;
}

interface BaseEntry {
  readonly key: string;
  readonly module: string;
  readonly source: StackSource;
  baseline?: Baseline;
  error?: string;
}

const LINEAGE = "00000000-0000-4000-8000-0000000ff11e";

/** Plans every comparison; never throws for one stack's failure. */
export async function compareStacks(comparisons: readonly Comparison[], options: EngineOptions): Promise<ComparisonResult[]> {
  const started = Date.now();
  fs.mkdirSync(options.workDir, { recursive: true });

  const required: Record<string, { source?: string; version?: string }> = {};
  for (const c of comparisons) for (const s of [c.base, c.head]) Object.assign(required, s?.json.terraform?.required_providers ?? {});
  fs.mkdirSync(options.cacheDir, { recursive: true });
  const [install, aws] = await Promise.all([installProviders(required, options.cacheDir, options.env), startOfflineAws()]);
  const schemas = await loadSchemas(install, options.cacheDir, options.env);
  try {
    return await compareWith(comparisons, options, schemas, install, aws, started);
  } finally {
    await aws.close();
  }
}

async function compareWith(
  comparisons: readonly Comparison[],
  options: EngineOptions,
  schemas: Schemas,
  install: ProviderInstall,
  aws: OfflineAws,
  started: number,
): Promise<ComparisonResult[]> {
  const terraformVersion = install.terraformVersion;
  const log = options.log ?? (() => undefined);
  const maxRounds = options.maxRounds ?? 4;
  const elapsed = () => (Date.now() - started) / 1000;
  // Every AWS call goes to the loopback stub (offline-aws.ts).
  const env: NodeJS.ProcessEnv = { ...options.env, AWS_ENDPOINT_URL: aws.url };
  const providerSettings = { ...OFFLINE_PROVIDER_SETTINGS, max_retries: 1 };

  // Distinct bases (the test corpus has many comparisons on one base).
  const bases = new Map<string, BaseEntry>();
  const baseOf = new Map<string, BaseEntry>();
  for (const c of comparisons) {
    if (!c.base) continue;
    const key = contentKey(c.base);
    let entry = bases.get(key);
    if (!entry) bases.set(key, (entry = { key, module: moduleName(`b-${c.id}`), source: c.base }));
    baseOf.set(c.id, entry);
  }

  // Root 1: the bases, rewritten, from empty.
  const rewritten = new Map<string, ReturnType<typeof rewriteForFirstPlan>>();
  for (const b of bases.values()) {
    try {
      rewritten.set(b.key, rewriteForFirstPlan(b.source.json, schemas));
    } catch (e) {
      b.error = `the baseline could not be prepared: ${(e as Error).message}`;
    }
  }
  const cache = new BaselineCache(path.join(options.cacheDir, "baselines"), install.key);
  if (options.reuseBaselines ?? true) for (const b of bases.values()) if (!b.error) b.baseline = cache.get(b.key);
  const cached = [...bases.values()].filter((b) => b.baseline).length;
  if (cached) log(`baseline: ${cached} base stack(s) from the cache`);
  let pending = [...bases.values()].filter((b) => !b.error && !b.baseline);
  if (pending.length) log(`baseline: planning ${pending.length} base stack(s) from an empty state (terraform plan)`);
  const root1 = path.join(options.workDir, "baseline");
  while (pending.length) {
    const modules: ModuleSpec[] = pending.map((b) => ({ name: b.module, json: rewritten.get(b.key)!.json, assetsFrom: b.source.dir }));
    const run = await planRoot(root1, modules, undefined, providerSettings, install, env, log, "baseline");
    if (run.failures.size) {
      for (const b of pending) if (run.failures.has(b.module)) b.error = `the baseline could not be built: terraform plan failed:\n${run.failures.get(b.module)}`;
      pending = pending.filter((b) => !run.failures.has(b.module));
      continue;
    }
    for (const b of pending) {
      try {
        b.baseline = baselineFromPlan(
          b.source.json,
          moduleChanges(run.plan, b.module),
          moduleOutputs(run.plan, b.module),
          rewritten.get(b.key)!.fills,
          schemas,
        );
      } catch (e) {
        b.error = `the baseline could not be built: ${(e as Error).message}`;
      }
    }
    pending = [];
  }

  // Root 2: bases as they are (must plan clean) and heads, on the baselines.
  const results = new Map<string, ComparisonResult>();
  // Per base: how many times it was corrected. A run repeated because another stack broke it does not count.
  const corrections = new Map<BaseEntry, number>();
  for (const c of comparisons) {
    const b = baseOf.get(c.id);
    if (b?.error) results.set(c.id, failed(c.id, b.error, elapsed()));
  }
  let todo = comparisons.filter((c) => !results.has(c.id));
  const root2 = path.join(options.workDir, "review");
  for (let run = 1; todo.length && run <= maxRounds + comparisons.length; run++) {
    const usedBases = [...new Set(todo.map((c) => baseOf.get(c.id)).filter((b): b is BaseEntry => !!b))];
    const modules: ModuleSpec[] = [
      ...usedBases.map((b) => ({ name: b.module, json: b.source.json, assetsFrom: b.source.dir })),
      ...todo.map((c) => ({
        name: moduleName(`h-${c.id}`),
        json: c.head?.json ?? {},
        assetsFrom: c.head?.dir,
        providersFrom: c.head ? undefined : c.base?.json,
      })),
    ];
    const state = (providerAddresses: ReadonlyMap<string, ReadonlyMap<string, string>>) =>
      stateFile(
        [
          ...usedBases.map((b) => ({ module: b.module, json: b.source.json, baseline: b.baseline! })),
          ...todo.flatMap((c) => {
            const b = baseOf.get(c.id);
            return b ? [{ module: moduleName(`h-${c.id}`), json: b.source.json, baseline: b.baseline! }] : [];
          }),
        ],
        providerAddresses,
        schemas,
        terraformVersion,
      );
    aws.setFacts(offlineFacts(usedBases.map((b) => b.baseline!)));
    log(`review: planning ${todo.length} stack(s) against their baselines${run > 1 ? ` (again)` : ""}`);
    const result = await planRoot(root2, modules, state, providerSettings, install, env, log, "review");

    const next: Comparison[] = [];
    const corrected = new Set<BaseEntry>(); // a base shared by several comparisons is corrected once per run
    const correctedBefore = new Map(corrections);
    for (const c of todo) {
      const b = baseOf.get(c.id);
      const head = moduleName(`h-${c.id}`);
      const baseFailure = b && result.failures.get(b.module);
      const headFailure = result.failures.get(head);
      if (baseFailure) {
        results.set(c.id, failed(c.id, `the base does not plan against its baseline:\n${baseFailure}`, elapsed()));
        continue;
      }
      if (headFailure) {
        results.set(c.id, failed(c.id, `terraform plan failed:\n${headFailure}`, elapsed()));
        continue;
      }
      if (result.failures.size) {
        next.push(c); // another stack broke this run: plan again without it
        continue;
      }
      if (b) {
        const noise = moduleChanges(result.plan, b.module).filter((rc) => !isNoop(rc.change.actions));
        const outputNoise = Object.entries(moduleOutputs(result.plan, b.module)).filter(([, o]) => !isNoop(o.actions ?? []));
        if (noise.length || outputNoise.length) {
          const done = correctedBefore.get(b) ?? 0;
          if (done + 1 >= maxRounds) {
            const what = [...noise.map((rc) => `${rc.address.replace(/^module\.[^.]+\./, "")} (${rc.change.actions.join(",")})`), ...outputNoise.map(([o]) => `output ${o}`)];
            results.set(c.id, failed(c.id, `the baseline still differs from the base after ${maxRounds} rounds of correction: ${what.join(", ")}`, elapsed()));
          } else {
            if (!corrected.has(b)) {
              corrected.add(b);
              corrections.set(b, done + 1);
              correctBaseline(b, noise, outputNoise);
            }
            next.push(c);
          }
          continue;
        }
      }
      if (b) cache.put(b.key, b.baseline!);
      results.set(c.id, {
        id: c.id,
        ok: true,
        changes: moduleChanges(result.plan, head),
        outputChanges: moduleOutputs(result.plan, head),
        baselineRounds: (b ? (corrections.get(b) ?? 0) : 0) + 1,
        seconds: elapsed(),
      });
    }
    todo = next;
  }
  for (const c of todo) if (!results.has(c.id)) results.set(c.id, failed(c.id, "not planned: too many failed runs", elapsed()));
  return comparisons.map((c) => results.get(c.id)!);
}

/** What AWS would answer about the baselines' resources: launch templates, and the tags AWS puts on instances launched from one. */
function offlineFacts(baselines: readonly Baseline[]): OfflineFacts {
  const tags: Tag[] = [];
  const launchTemplates: LaunchTemplate[] = [];
  for (const b of baselines) {
    for (const r of b.resources.values()) {
      const a = r.attributes;
      if (r.type === "aws_launch_template" && typeof a.id === "string") {
        launchTemplates.push({ id: a.id, name: String(a.name ?? ""), latestVersion: Number(a.latest_version ?? 1), defaultVersion: Number(a.default_version ?? 1) });
      }
      const lt = (r.attributes.launch_template as { id?: string; version?: string }[] | undefined)?.[0];
      if (r.type !== "aws_instance" || !lt?.id || typeof r.attributes.id !== "string") continue;
      const resourceId = r.attributes.id;
      tags.push({ resourceId, resourceType: "instance", key: "aws:ec2launchtemplate:id", value: lt.id });
      if (lt.version) tags.push({ resourceId, resourceType: "instance", key: "aws:ec2launchtemplate:version", value: String(lt.version) });
    }
  }
  return { tags, launchTemplates };
}

/**
 * Baselines kept between reviews, keyed by the base stack's content, the
 * terraform and provider versions and this code: a base reviewed before
 * (the next push of the same pull request, the same branch point) skips the
 * first plan. Only baselines its base planned clean against are kept.
 */
class BaselineCache {
  private readonly salt: string;
  constructor(
    private readonly dir: string,
    installKey: string,
  ) {
    const code = ["baseline.ts", "fill.ts", "expressions.ts", "engine.ts"].map((f) => fs.readFileSync(path.join(__dirname, f), "utf8")).join("\0");
    this.salt = crypto.createHash("sha256").update(installKey).update(code).digest("hex");
    fs.mkdirSync(dir, { recursive: true });
    // Entries unused for a month go.
    const old = Date.now() - 30 * 24 * 3600 * 1000;
    for (const f of fs.readdirSync(dir)) if (fs.statSync(path.join(dir, f)).mtimeMs < old) fs.rmSync(path.join(dir, f), { force: true });
  }

  private file(key: string): string {
    return path.join(this.dir, `${crypto.createHash("sha256").update(this.salt).update(key).digest("hex").slice(0, 24)}.json`);
  }

  get(key: string): Baseline | undefined {
    const f = this.file(key);
    if (!fs.existsSync(f)) return undefined;
    try {
      const raw = JSON.parse(fs.readFileSync(f, "utf8"));
      fs.utimesSync(f, new Date(), new Date());
      return { resources: new Map(raw.resources), outputs: new Map(raw.outputs) };
    } catch {
      return undefined; // unreadable: build it again
    }
  }

  put(key: string, baseline: Baseline): void {
    const f = this.file(key);
    const tmp = `${f}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ resources: [...baseline.resources], outputs: [...baseline.outputs] }));
    fs.renameSync(tmp, f);
  }
}

function failed(id: string, error: string, seconds: number): ComparisonResult {
  return { id, ok: false, error, changes: [], outputChanges: {}, baselineRounds: 0, seconds };
}

function isNoop(actions: readonly string[]): boolean {
  return actions.length === 0 || actions.every((a) => a === "no-op" || a === "read");
}

/** What terraform planned for the unmodified base becomes its baseline (the values it would have after apply). */
function correctBaseline(b: BaseEntry, noise: readonly PlannedChange[], outputs: readonly [string, OutputChange][]): void {
  for (const rc of noise) {
    if (rc.mode !== "managed") continue;
    const address = rc.address.replace(/^module\.[^.]+\./, "");
    const r = b.baseline!.resources.get(address);
    if (!r) continue;
    correctResource(r, rc.change.after, rc.change.after_unknown, rc.change.after_sensitive);
  }
  for (const [name, o] of outputs) {
    if (o.after_unknown === true) continue;
    b.baseline!.outputs.set(name, { value: o.after, sensitive: o.after_sensitive === true });
  }
}


/** The plan JSON (`terraform show -json`), the parts read here. */
export interface PlanJson {
  readonly resource_changes?: readonly PlannedChange[];
  readonly output_changes?: Record<string, OutputChange>;
}

function moduleChanges(plan: PlanJson, module: string): PlannedChange[] {
  const prefix = `module.${module}.`;
  return (plan.resource_changes ?? [])
    .filter((rc) => rc.module_address === `module.${module}`)
    .map((rc) => ({
      ...rc,
      address: rc.address.slice(prefix.length),
      module_address: undefined,
      ...(rc.previous_address ? { previous_address: rc.previous_address.replace(prefix, "") } : {}),
    }));
}

function moduleOutputs(plan: PlanJson, module: string): Record<string, OutputChange> {
  const prefix = `${module}__`;
  return Object.fromEntries(Object.entries(plan.output_changes ?? {}).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]));
}

interface StateEntry {
  readonly module: string;
  readonly json: TfJson;
  readonly baseline: Baseline;
}

function stateFile(entries: readonly StateEntry[], providerAddresses: ReadonlyMap<string, ReadonlyMap<string, string>>, schemas: Schemas, terraformVersion: string): object {
  const resources: object[] = [];
  const outputs: Record<string, object> = {};
  for (const e of entries) {
    const providers = providerAddresses.get(e.module);
    for (const r of e.baseline.resources.values()) {
      const local = r.type.split("_")[0];
      const provider = providers?.get(local) ?? `provider["${resourceProviderSource(e.json, r.type)}"]`;
      resources.push(stateResource(r, `module.${e.module}`, provider, schemas, resourceProviderSource(e.json, r.type)));
    }
    for (const [name, o] of e.baseline.outputs) {
      outputs[`${e.module}__${name}`] = { value: o.value, type: ctyTypeOf(o.value), ...(o.sensitive ? { sensitive: true } : {}) };
    }
  }
  return { version: 4, terraform_version: terraformVersion, serial: 1, lineage: LINEAGE, outputs, resources, check_results: null };
}

interface RootRun {
  readonly plan: PlanJson;
  /** module name -> terraform's error, for modules that made the plan fail. */
  readonly failures: Map<string, string>;
  /** `terraform validate` diagnostics by module, when asked for. */
  readonly validation?: Map<string, ValidateDiagnostic[]>;
}

export interface ValidateDiagnostic {
  readonly severity: string;
  readonly summary: string;
  readonly detail?: string;
}

/** init + plan + show of a root; failures are attributed to modules where terraform says which. */
async function planRoot(
  dir: string,
  modules: readonly ModuleSpec[],
  state: ((providerAddresses: ReadonlyMap<string, ReadonlyMap<string, string>>) => object) | undefined,
  providerSettings: Record<string, unknown>,
  install: ProviderInstall,
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
  label: string,
  options: { readonly validate?: boolean } = {},
): Promise<RootRun> {
  const layout = writeRoot(dir, modules, providerSettings);
  if (state) fs.writeFileSync(path.join(dir, "terraform.tfstate"), JSON.stringify(state(layout.providerAddresses)));
  const all = new Map(modules.map((m) => [m.name, ""]));
  const tick = heartbeat(log, label);
  try {
    if (!linkInstall(dir, install, modules.map((m) => m.name), layout.requiredProviders)) {
      const init = await runTerraform(["init", "-input=false", "-no-color"], dir, env);
      if (init.code !== 0) return { plan: {}, failures: attribute(init.stderr || init.stdout, [], all) };
    }
    let validation: Map<string, ValidateDiagnostic[]> | undefined;
    if (options.validate) {
      const v = await runTerraform(["validate", "-json", "-no-color"], dir, env);
      validation = new Map(modules.map((m) => [m.name, []]));
      let parsed: { diagnostics?: any[] };
      try {
        parsed = JSON.parse(v.stdout);
      } catch {
        return { plan: {}, failures: attribute(v.stderr || v.stdout, [], all) };
      }
      for (const d of parsed.diagnostics ?? []) {
        const m = /m\/([A-Za-z0-9_-]+)\//.exec(d.range?.filename ?? "")?.[1];
        for (const name of m && validation.has(m) ? [m] : validation.keys()) validation.get(name)!.push({ severity: d.severity, summary: d.summary, ...(d.detail ? { detail: d.detail } : {}) });
      }
      if (v.code !== 0) return { plan: {}, failures: attribute(v.stderr, parsed.diagnostics?.filter((d) => d.severity === "error") ?? [], all), validation };
    }
    const diagnostics: any[] = [];
    const plan = await runTerraform(["plan", "-input=false", "-no-color", "-lock=false", "-refresh=false", "-json", "-out=tfplan"], dir, env, {
      onLine: (line) => {
        if (!line.includes('"diagnostic"')) return;
        try {
          const msg = JSON.parse(line);
          if (msg.type === "diagnostic" && msg.diagnostic?.severity === "error") diagnostics.push(msg.diagnostic);
        } catch {
          // not a JSON line
        }
      },
    });
    if (plan.code !== 0) return { plan: {}, failures: attribute(plan.stderr, diagnostics, all) };
    const show = await runTerraform(["show", "-json", "-no-color", "tfplan"], dir, env);
    if (show.code !== 0) return { plan: {}, failures: attribute(show.stderr || show.stdout, [], all) };
    return { plan: JSON.parse(show.stdout), failures: new Map(), validation };
  } finally {
    tick();
  }
}

export interface EmptyPlan {
  readonly id: string;
  readonly ok: boolean;
  readonly error?: string;
  readonly validateDiagnostics: readonly ValidateDiagnostic[];
  readonly changes: readonly PlannedChange[];
  readonly outputChanges: Readonly<Record<string, OutputChange>>;
}

/**
 * Every stack validated and planned from an empty state, all in one root
 * (one provider start for all of them): what a first deploy would create.
 * A stack that fails is reported with terraform's message; the others are
 * planned again without it.
 */
export async function planFromEmpty(stacks: readonly { id: string; source: StackSource }[], options: EngineOptions): Promise<EmptyPlan[]> {
  const log = options.log ?? (() => undefined);
  const required: Record<string, { source?: string; version?: string }> = {};
  for (const s of stacks) Object.assign(required, s.source.json.terraform?.required_providers ?? {});
  fs.mkdirSync(options.cacheDir, { recursive: true });
  const [install, aws] = await Promise.all([installProviders(required, options.cacheDir, options.env), startOfflineAws()]);
  const env: NodeJS.ProcessEnv = { ...options.env, AWS_ENDPOINT_URL: aws.url };
  const results = new Map<string, EmptyPlan>();
  try {
    let todo = [...stacks];
    while (todo.length) {
      const modules = todo.map((s) => ({ name: moduleName(s.id), json: s.source.json, assetsFrom: s.source.dir }));
      const run = await planRoot(options.workDir, modules, undefined, { ...OFFLINE_PROVIDER_SETTINGS, max_retries: 1 }, install, env, log, "plan", { validate: true });
      const diagnostics = (id: string) => run.validation?.get(moduleName(id)) ?? [];
      if (run.failures.size) {
        for (const s of todo) {
          const f = run.failures.get(moduleName(s.id));
          if (f) results.set(s.id, { id: s.id, ok: false, error: f, validateDiagnostics: diagnostics(s.id), changes: [], outputChanges: {} });
        }
        const next = todo.filter((s) => !results.has(s.id));
        if (next.length === todo.length) break; // nothing attributable: give up below
        todo = next;
        continue;
      }
      for (const s of todo) {
        const name = moduleName(s.id);
        results.set(s.id, { id: s.id, ok: true, validateDiagnostics: diagnostics(s.id), changes: moduleChanges(run.plan, name), outputChanges: moduleOutputs(run.plan, name) });
      }
      todo = [];
    }
  } finally {
    await aws.close();
  }
  return stacks.map((s) => results.get(s.id) ?? { id: s.id, ok: false, error: "not planned: the plan failed with no message naming a stack", validateDiagnostics: [], changes: [], outputChanges: {} });
}

/** Which modules an error belongs to: by the address or file terraform names, else all of them. */
function attribute(text: string, diagnostics: readonly any[], all: ReadonlyMap<string, string>): Map<string, string> {
  const failures = new Map<string, string>();
  for (const d of diagnostics) {
    const where = `${d.address ?? ""} ${d.range?.filename ?? ""}`;
    const m = /module\.([A-Za-z0-9_-]+)/.exec(where) ?? /m\/([A-Za-z0-9_-]+)\//.exec(where);
    const message = [d.summary, d.detail].filter(Boolean).join(": ").trim();
    if (m && all.has(m[1])) failures.set(m[1], [failures.get(m[1]), `Error: ${message}`].filter(Boolean).join("\n"));
  }
  if (failures.size === 0) {
    const message = diagnostics.length ? diagnostics.map((d) => `Error: ${[d.summary, d.detail].filter(Boolean).join(": ")}`).join("\n") : text.trim();
    for (const name of all.keys()) failures.set(name, message || "terraform failed with no message");
  }
  return failures;
}

/** Prints a line every 5 s while a long step runs; returns the function that stops it. */
function heartbeat(log: (line: string) => void, label: string): () => void {
  const started = Date.now();
  const timer = setInterval(() => log(`${label}: terraform still working (${Math.round((Date.now() - started) / 1000)} s)`), 5000);
  timer.unref();
  return () => clearInterval(timer);
}
