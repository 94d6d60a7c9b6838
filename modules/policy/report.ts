/**
 * Runs the pack over a whole synthesized app (a cdktf output folder) and
 * renders what `npm run policy` prints: findings by stack, then every
 * suppression with its rule and reason. Same engine as the synth aspect.
 */
import * as fs from "fs";
import * as path from "path";
import type { Finding, PolicyRule, ResourceView } from "./rule";
import { indexStack } from "./stack-index";
import { evaluate, formatFinding } from "./engine";
import { address } from "./helpers";
import { COURSE_PACK } from "./pack";

export interface StackReport {
  readonly stack: string;
  /** How many rules ran on the stack (the whole pack). */
  readonly rulesRun: number;
  readonly findings: readonly Finding[];
  /** Every suppression recorded in the stack, whether or not a rule fired on it. */
  readonly suppressions: readonly { readonly rule: string; readonly path: string; readonly reason: string; readonly used: boolean }[];
}

/** Checks one stack's Terraform JSON. */
export function checkStackJson(stack: string, json: object, rules: readonly PolicyRule[] = COURSE_PACK): StackReport {
  const index = indexStack(stack, json as never);
  const all: ResourceView[] = [...index.resources, ...index.dataSources];
  const findings = evaluate(index, rules);
  const used = (r: ResourceView, rule: string) => findings.some((f) => f.resource === r && f.rule.id === rule);
  return {
    stack,
    rulesRun: rules.length,
    findings,
    suppressions: all.flatMap((r) => r.suppressions.map((s) => ({ rule: s.rule, path: r.path, reason: s.reason, used: used(r, s.rule) }))),
  };
}

/** Checks every stack of a cdktf output folder (`cdktf.out`). */
export function checkOutdir(outdir: string, rules: readonly PolicyRule[] = COURSE_PACK): StackReport[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
  return Object.entries(manifest.stacks as Record<string, { synthesizedStackPath: string }>)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, s]) => checkStackJson(name, JSON.parse(fs.readFileSync(path.join(outdir, s.synthesizedStackPath), "utf8")), rules));
}

/** Unsuppressed findings of level error: what fails synth and `npm run policy`. */
export function blockingFindings(reports: readonly StackReport[]): Finding[] {
  return reports.flatMap((r) => r.findings.filter((f) => f.rule.level === "error" && !f.suppressedBecause));
}

/** The text `npm run policy` prints. */
export function renderReport(reports: readonly StackReport[], rules: readonly PolicyRule[] = COURSE_PACK): string {
  const count = (level: PolicyRule["level"]) => rules.filter((r) => r.level === level).length;
  const out: string[] = [`Policy pack: ${rules.length} rules (${count("error")} errors, ${count("warning")} warnings, ${count("info")} info)`, ""];
  for (const r of reports) {
    const open = r.findings.filter((f) => !f.suppressedBecause);
    const n = (level: PolicyRule["level"]) => open.filter((f) => f.rule.level === level).length;
    out.push(`${r.stack}: ${r.rulesRun} rules run; ${n("error")} error(s), ${n("warning")} warning(s), ${n("info")} info, ${r.suppressions.length} suppression(s)`);
    for (const f of open) out.push(`  ${f.rule.level === "error" ? "ERROR  " : f.rule.level === "warning" ? "warning" : "info   "} ${formatFinding(f)}`);
    for (const s of r.suppressions) out.push(`  suppressed [${s.rule}] ${s.path}: ${s.reason}${s.used ? "" : " (nothing to suppress here now)"}`);
  }
  out.push("", "Suppressions (rule, resource, reason):");
  const all = reports.flatMap((r) => r.suppressions);
  if (all.length === 0) out.push("  (none)");
  for (const s of all) out.push(`  [${s.rule}] ${s.path}: ${s.reason}${s.used ? "" : " (nothing to suppress here now)"}`);
  const blocking = blockingFindings(reports).length;
  out.push("", blocking ? `FAILED: ${blocking} unsuppressed error finding(s)` : "OK: no unsuppressed error findings");
  return out.join("\n");
}

/** The machine-readable report (`npm run policy -- --json`): findings with their Terraform address, suppressions, counts. */
export function reportJson(reports: readonly StackReport[], rules: readonly PolicyRule[] = COURSE_PACK): object {
  const levels = ["error", "warning", "info"] as const;
  return {
    rules: { total: rules.length, ...Object.fromEntries(levels.map((l) => [l, rules.filter((r) => r.level === l).length])) },
    unsuppressedErrors: blockingFindings(reports).length,
    stacks: reports.map((r) => ({
      stack: r.stack,
      rulesRun: r.rulesRun,
      open: Object.fromEntries(levels.map((l) => [l, r.findings.filter((f) => !f.suppressedBecause && f.rule.level === l).length])),
      findings: r.findings.map((f) => ({
        rule: f.rule.id,
        level: f.rule.level,
        path: f.resource.path,
        address: address(f.resource),
        message: f.message,
        suppressed: f.suppressedBecause,
      })),
      suppressions: r.suppressions,
    })),
  };
}

/** The rule table of docs/policy.md. */
export function renderRulesMarkdown(rules: readonly PolicyRule[] = COURSE_PACK): string {
  const esc = (s: string) => s.replace(/\|/g, "\\|");
  const rows = rules.map(
    (r) =>
      `| \`${r.id}\` | ${r.level} | ${esc(r.description)} | ${esc(r.equivalents.checkov ?? "")} | ${esc(r.equivalents.trivy ?? "")} | ${esc(r.equivalents.cdkNag ?? "")} | ${esc(r.moduleDefault ?? "")} |`,
  );
  return [
    "| id | level | what compliant infrastructure does | checkov | trivy | cdk-nag | module default |",
    "|---|---|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}
