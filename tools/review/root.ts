/**
 * One run of terraform on a root of many stacks (workspace.ts): linked to
 * the shared provider install (or initialized), planned with no refresh
 * (plan validates; its diagnostics are kept per module when asked for),
 * and its plan file read as `terraform show -json` renders it
 * (plan-file.ts: terraform only for a file the decoder does not know). A
 * failure is attributed to the modules terraform names, so the caller can
 * plan the others again.
 */
import * as fs from "fs";
import * as path from "path";
import { heartbeat } from "../process";
import { runTerraform } from "../terraform";
import type { PlannedChange } from "./baseline";
import type { OutputChange, PlanJson } from "./plan-file";
import { readPlan } from "./plan-file";
import type { ProviderInstall } from "./install";
import { linkInstall } from "./install";
import type { Schemas } from "./schema";
import { launchersServe, providerLaunchers, rootSchemaTypes, schemaOnlyEnv } from "./provider-launchers";
import type { ModuleSpec } from "./workspace";
import { writeRoot } from "./workspace";

export type { OutputChange, PlanJson } from "./plan-file";

export function moduleChanges(plan: PlanJson, module: string): PlannedChange[] {
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

export function moduleOutputs(plan: PlanJson, module: string): Record<string, OutputChange> {
  const prefix = `${module}__`;
  return Object.fromEntries(Object.entries(plan.output_changes ?? {}).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]));
}

export interface RootRun {
  readonly plan: PlanJson;
  /** module name -> terraform's error, for modules that made the plan fail. */
  readonly failures: Map<string, string>;
  /** The configuration's diagnostics by module (what `terraform validate` reports, from the plan's output), when asked for. */
  readonly validation?: Map<string, ValidateDiagnostic[]>;
}

export interface ValidateDiagnostic {
  readonly severity: string;
  readonly summary: string;
  readonly detail?: string;
}

/** init + plan of a root, and its plan read; failures are attributed to modules where terraform says which. */
export async function planRoot(
  dir: string,
  modules: readonly ModuleSpec[],
  state: ((providerAddresses: ReadonlyMap<string, ReadonlyMap<string, string>>) => object) | undefined,
  providerSettings: Record<string, unknown>,
  install: ProviderInstall,
  schemas: Schemas,
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
  label: string,
  options: { readonly validate?: boolean } = {},
): Promise<RootRun> {
  const layout = writeRoot(dir, modules, providerSettings);
  const stateJson = state?.(layout.providerAddresses);
  if (stateJson) fs.writeFileSync(path.join(dir, "terraform.tfstate"), JSON.stringify(stateJson));
  // Through the launchers, terraform's schema read gets the types of this root only (provider-launchers.ts).
  const launchers = launchersServe(install.terraformVersion) ? await providerLaunchers(install, env) : undefined;
  const runEnv = launchers ? schemaOnlyEnv(dir, rootSchemaTypes(modules, stateJson as { resources?: { mode?: string; type?: string }[] } | undefined), env) : env;
  const all = new Map(modules.map((m) => [m.name, ""]));
  const tick = heartbeat(log, (seconds) => `${label}: terraform still working (${seconds} s)`);
  let stepStarted = Date.now();
  const step = (what: string) => {
    log(`${label}: terraform ${what} ${((Date.now() - stepStarted) / 1000).toFixed(1)} s`);
    stepStarted = Date.now();
  };
  try {
    if (!linkInstall(dir, install, modules.map((m) => m.name), layout.requiredProviders, launchers)) {
      const init = await runTerraform(["init", "-input=false", "-no-color"], dir, env);
      step("init");
      if (init.code !== 0) return { plan: {}, failures: attribute(init.stderr || init.stdout, [], all) };
    } else {
      step("init skipped (providers linked from the shared install)");
    }
    // `plan` validates the configuration first and reports the same diagnostics `validate` would (plus the
    // plan's own), so asked-for validation is read from the plan's JSON lines: one provider start less.
    const validation = options.validate ? new Map<string, ValidateDiagnostic[]>(modules.map((m) => [m.name, []])) : undefined;
    const diagnostics: any[] = [];
    const seen = new Set<string>();
    const plan = await runTerraform(["plan", "-input=false", "-no-color", "-lock=false", "-refresh=false", "-json", "-out=tfplan"], dir, runEnv, {
      onLine: (line) => {
        if (!line.includes('"diagnostic"')) return;
        try {
          const msg = JSON.parse(line);
          if (msg.type !== "diagnostic" || !msg.diagnostic) return;
          const d = msg.diagnostic;
          if (d.severity === "error") diagnostics.push(d);
          // Plan reports a configuration warning once while validating and again while planning: keep one.
          const key = JSON.stringify([d.severity, d.summary, d.detail, d.address, d.range]);
          if (validation && !seen.has(key)) {
            seen.add(key);
            const m = /m\/([A-Za-z0-9_-]+)\//.exec(d.range?.filename ?? "")?.[1] ?? /^module\.([A-Za-z0-9_-]+)\./.exec(d.address ?? "")?.[1];
            for (const name of m && validation.has(m) ? [m] : validation.keys()) validation.get(name)!.push({ severity: d.severity, summary: d.summary, ...(d.detail ? { detail: d.detail } : {}) });
          }
        } catch {
          // not a JSON line
        }
      },
    });
    step(`plan (${modules.length} module${modules.length === 1 ? "" : "s"})`);
    if (plan.code !== 0) return { plan: {}, failures: attribute(plan.stderr, diagnostics, all), validation };
    const read = await readPlan(dir, schemas, runEnv, (line) => log(`${label}: ${line}`));
    if ("error" in read) {
      step("show -json");
      return { plan: {}, failures: attribute(read.error, [], all) };
    }
    step(read.via === "decoded" ? "plan file read (no show -json)" : "show -json");
    return { plan: read.plan, failures: new Map(), validation };
  } finally {
    tick();
  }
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
