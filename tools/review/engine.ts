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
import * as fs from "fs";
import * as path from "path";
import { OFFLINE_PROVIDER_SETTINGS } from "../terraform";
import type { Baseline, PlannedChange } from "./baseline";
import { baselineFromPlan, correctResource, ctyTypeOf, resourceProviderSource, rewriteForFirstPlan, stateResource } from "./baseline";
import type { Schemas } from "./schema";
import type { ProviderInstall } from "./install";
import { installProviders } from "./install";
import { loadSchemas } from "./schema";
import { BaselineCache } from "./baseline-cache";
import type { OutputChange, ValidateDiagnostic } from "./root";
import { moduleChanges, moduleOutputs, planRoot } from "./root";
import type { LaunchTemplate, OfflineAws, OfflineFacts, Tag } from "./offline-aws";
import { startOfflineAws } from "./offline-aws";
import type { ModuleSpec, StackSource, TfJson } from "./workspace";
import { moduleName } from "./workspace";
import { contentKey } from "./sources";

/** One question: what does `head` do to a stack deployed from `base`? Either side may be absent (added, removed). */
export interface Comparison {
  readonly id: string;
  readonly base?: StackSource;
  readonly head?: StackSource;
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
  const schemas = await loadSchemas(install, options.env);
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
    const run = await planRoot(root1, modules, undefined, providerSettings, install, schemas, env, log, "baseline");
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
  // A head identical to its base (a forced comparison) is answered by the base's own plan: no module of its own.
  const headKeys = new Map(comparisons.map((c) => [c.id, c.head ? contentKey(c.head) : undefined]));
  const sameAsBase = (c: Comparison) => headKeys.get(c.id) !== undefined && headKeys.get(c.id) === baseOf.get(c.id)?.key;
  const headModule = (c: Comparison) => (sameAsBase(c) ? baseOf.get(c.id)!.module : moduleName(`h-${c.id}`));
  const root2 = reviewRoot(options.workDir);
  for (let run = 1; todo.length && run <= maxRounds + comparisons.length; run++) {
    const usedBases = [...new Set(todo.map((c) => baseOf.get(c.id)).filter((b): b is BaseEntry => !!b))];
    const modules: ModuleSpec[] = [
      ...usedBases.map((b) => ({ name: b.module, json: b.source.json, assetsFrom: b.source.dir })),
      ...todo.filter((c) => !sameAsBase(c)).map((c) => ({
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
            return b && !sameAsBase(c) ? [{ module: moduleName(`h-${c.id}`), json: b.source.json, baseline: b.baseline! }] : [];
          }),
        ],
        providerAddresses,
        schemas,
        terraformVersion,
      );
    aws.setFacts(offlineFacts(usedBases.map((b) => b.baseline!)));
    log(`review: planning ${todo.length} stack(s) against their baselines${run > 1 ? ` (again)` : ""}`);
    const result = await planRoot(root2, modules, state, providerSettings, install, schemas, env, log, "review");

    const next: Comparison[] = [];
    const corrected = new Set<BaseEntry>(); // a base shared by several comparisons is corrected once per run
    const correctedBefore = new Map(corrections);
    for (const c of todo) {
      const b = baseOf.get(c.id);
      const head = headModule(c);
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

/** The folder of root 2 in a work folder: its `tfplan` is the last plan of the heads. */
export function reviewRoot(workDir: string): string {
  return path.join(workDir, "review");
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
      // The resource's own provider (`"provider": "aws.east"` in the JSON), else the default one.
      const own = e.json.resource?.[r.type]?.[r.name]?.provider;
      const provider = (typeof own === "string" ? providers?.get(own) : undefined) ?? providers?.get(local) ?? `provider["${resourceProviderSource(e.json, r.type)}"]`;
      resources.push(stateResource(r, `module.${e.module}`, provider, schemas, resourceProviderSource(e.json, r.type)));
    }
    for (const [name, o] of e.baseline.outputs) {
      outputs[`${e.module}__${name}`] = { value: o.value, type: ctyTypeOf(o.value), ...(o.sensitive ? { sensitive: true } : {}) };
    }
  }
  return { version: 4, terraform_version: terraformVersion, serial: 1, lineage: LINEAGE, outputs, resources, check_results: null };
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
    const schemas = await loadSchemas(install, options.env);
    let todo = [...stacks];
    while (todo.length) {
      const modules = todo.map((s) => ({ name: moduleName(s.id), json: s.source.json, assetsFrom: s.source.dir }));
      const run = await planRoot(options.workDir, modules, undefined, { ...OFFLINE_PROVIDER_SETTINGS, max_retries: 1 }, install, schemas, env, log, "plan", { validate: true });
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

