/**
 * The review report: per stack, what the change does, from terraform's
 * plan (actions, replacement reasons, moves), with the attributes that
 * change, probable construct renames, policy findings that appear or go,
 * and the cost per hour before -> after. The JSON form is the contract for
 * machines (`--json`); markdown.ts renders it for people.
 */
import type { PlannedChange } from "./baseline";
import type { ComparisonResult } from "./engine";
import type { OutputChange } from "./root";
import type { AttributeChange } from "./values";
import { attributeChanges } from "./values";
import { cdktfMoveCall, movedBlock, probableRenames } from "./renames";
import type { StackSource, TfJson } from "./workspace";
import { checkStackJson } from "../../modules/policy/report";
import { stackCost, stackRegion } from "../cost-model";

export type StackStatus = "changed" | "unchanged" | "added" | "removed" | "error";

export interface ResourceReport {
  readonly address: string;
  /** The construct that made it (cdktf's `//` metadata): where to look in the code. */
  readonly construct_path?: string;
  /** terraform's actions, as it writes them: `["update"]`, `["delete","create"]`, ... */
  readonly actions: readonly string[];
  /** terraform's reason for a replacement or deletion (`replace_because_cannot_update`, ...). */
  readonly action_reason?: string;
  /** Attribute paths that force the replacement, from terraform. */
  readonly replace_paths?: ReadonlyArray<ReadonlyArray<string | number>>;
  /** The address a declared `moved` block takes the resource from. */
  readonly moved_from?: string;
  /** On a create: the deleted address this probably is, renamed. */
  readonly probable_rename_from?: string;
  /** On a create that is a probable rename: the `moved` block to paste. */
  readonly fix?: string;
  /** The same fix as a cdktf call on the new construct's resource. */
  readonly fix_cdktf?: string;
  /** On a delete that is a probable rename: the address it probably became. */
  readonly probable_rename_to?: string;
  readonly attributes: Readonly<Record<string, AttributeChange>>;
}

export interface PolicyDelta {
  readonly rule: string;
  readonly level: string;
  readonly path: string;
  readonly message: string;
}

export interface StackReport {
  readonly status: StackStatus;
  readonly error?: string;
  /** Resources by kind of change (a move that also updates counts once, as an update). */
  readonly counts: { readonly create: number; readonly update: number; readonly replace: number; readonly delete: number; readonly move: number };
  readonly changes: readonly ResourceReport[];
  readonly outputs: Readonly<Record<string, { readonly actions: readonly string[]; readonly before: unknown; readonly after: unknown; readonly after_unknown?: true; readonly sensitive?: true }>>;
  readonly policy: { readonly new: readonly PolicyDelta[]; readonly fixed: readonly PolicyDelta[] };
  readonly cost?: { readonly region: string; readonly before_hourly: number; readonly after_hourly: number };
  /** Seconds until this stack's answer was known. */
  readonly seconds?: number;
}

export interface ReviewReport {
  readonly mode: "offline" | "online";
  readonly base: string;
  readonly head: string;
  readonly stacks: Readonly<Record<string, StackReport>>;
}

const ZERO = { create: 0, update: 0, replace: 0, delete: 0, move: 0 };

/** The kind of change terraform's action list stands for. */
export function kindOf(actions: readonly string[]): "create" | "update" | "replace" | "delete" | "none" {
  if (actions.includes("delete") && actions.includes("create")) return "replace";
  if (actions.includes("create")) return "create";
  if (actions.includes("delete")) return "delete";
  if (actions.includes("update")) return "update";
  return "none";
}

/** The construct path cdktf recorded for an address. */
export function constructPath(json: TfJson | undefined, address: string): string | undefined {
  const dot = address.indexOf(".");
  const meta = json?.resource?.[address.slice(0, dot)]?.[address.slice(dot + 1)]?.["//"] as { metadata?: { path?: string } } | undefined;
  return meta?.metadata?.path;
}

/** The report of one planned stack. */
export function stackReport(stack: string, base: StackSource | undefined, head: StackSource | undefined, result: ComparisonResult | undefined): StackReport {
  const policy = policyDelta(stack, base?.json, head?.json);
  const cost = costDelta(stack, base?.json, head?.json);
  if (!result) {
    return { status: "unchanged", counts: ZERO, changes: [], outputs: {}, policy, ...(cost ? { cost } : {}) };
  }
  if (!result.ok) {
    return { status: "error", error: result.error, counts: ZERO, changes: [], outputs: {}, policy, ...(cost ? { cost } : {}), seconds: result.seconds };
  }
  const changes = resourceReports(result.changes, base?.json, head?.json);
  const outputs = outputReports(result.outputChanges);
  const counts = { ...ZERO };
  for (const c of changes) {
    const k = kindOf(c.actions);
    if (k !== "none") counts[k]++;
    else if (c.moved_from) counts.move++;
  }
  const changed = changes.length > 0 || Object.keys(outputs).length > 0;
  const status: StackStatus = !base ? "added" : !head ? "removed" : changed ? "changed" : "unchanged";
  return { status, counts, changes, outputs, policy, ...(cost ? { cost } : {}), seconds: result.seconds };
}

function resourceReports(planned: readonly PlannedChange[], base: TfJson | undefined, head: TfJson | undefined): ResourceReport[] {
  const reports: ResourceReport[] = [];
  for (const rc of planned) {
    if (rc.mode !== "managed") continue;
    const kind = kindOf(rc.change.actions);
    if (kind === "none" && !rc.previous_address) continue;
    reports.push({
      address: rc.address,
      construct_path: constructPath(kind === "delete" ? base : head, rc.address) ?? constructPath(base, rc.address),
      actions: rc.change.actions,
      ...(rc.action_reason ? { action_reason: rc.action_reason } : {}),
      ...(rc.change.replace_paths?.length ? { replace_paths: rc.change.replace_paths } : {}),
      ...(rc.previous_address ? { moved_from: rc.previous_address } : {}),
      attributes: kind === "delete" ? {} : attributeChanges(rc.change),
    });
  }
  if (base && head) {
    const deleted = reports.filter((r) => kindOf(r.actions) === "delete").map((r) => r.address);
    const created = reports.filter((r) => kindOf(r.actions) === "create").map((r) => r.address);
    for (const rename of probableRenames(deleted, created, base, head)) {
      const i = reports.findIndex((r) => r.address === rename.to);
      const j = reports.findIndex((r) => r.address === rename.from);
      reports[i] = { ...reports[i], probable_rename_from: rename.from, fix: movedBlock(rename.from, rename.to), fix_cdktf: cdktfMoveCall(rename.from) };
      reports[j] = { ...reports[j], probable_rename_to: rename.to };
    }
  }
  return reports.sort((a, b) => rank(a) - rank(b) || a.address.localeCompare(b.address));
}

/** Replacements and deletions first: what loses data. */
function rank(r: ResourceReport): number {
  return { replace: 0, delete: 1, create: 2, update: 3, none: 4 }[kindOf(r.actions)];
}

function outputReports(changes: Readonly<Record<string, OutputChange>>): StackReport["outputs"] {
  const out: Record<string, StackReport["outputs"][string]> = {};
  for (const [name, o] of Object.entries(changes).sort(([a], [b]) => a.localeCompare(b))) {
    if (o.actions.every((a) => a === "no-op")) continue;
    const sensitive = o.before_sensitive === true || o.after_sensitive === true;
    const unknown = o.after_unknown === true;
    out[name] = {
      actions: o.actions,
      before: sensitive && o.before != null ? "(sensitive)" : (o.before ?? null),
      after: unknown ? null : sensitive && o.after != null ? "(sensitive)" : (o.after ?? null),
      ...(unknown ? { after_unknown: true as const } : {}),
      ...(sensitive ? { sensitive: true as const } : {}),
    };
  }
  return out;
}

/** Findings of the project's policy pack that the head adds or removes (suppressed ones do not count). */
export function policyDelta(stack: string, base: TfJson | undefined, head: TfJson | undefined): StackReport["policy"] {
  const findings = (json: TfJson | undefined): PolicyDelta[] =>
    json
      ? checkStackJson(stack, json)
          .findings.filter((f) => !f.suppressedBecause)
          .map((f) => ({ rule: f.rule.id, level: f.rule.level, path: f.resource.path, message: f.message }))
      : [];
  const key = (d: PolicyDelta) => `${d.rule}\0${d.path}\0${d.message}`;
  const before = findings(base);
  const after = findings(head);
  const had = new Set(before.map(key));
  const has = new Set(after.map(key));
  return { new: after.filter((d) => !had.has(key(d))), fixed: before.filter((d) => !has.has(key(d))) };
}

function costDelta(stack: string, base: TfJson | undefined, head: TfJson | undefined): StackReport["cost"] {
  const region = stackRegion((head ?? base) as never);
  if (!region) return undefined;
  try {
    const hourly = (json: TfJson | undefined) => (json ? stackCost(stack, json, stackRegion(json as never) ?? region).hourly : 0);
    return { region, before_hourly: round(hourly(base)), after_hourly: round(hourly(head)) };
  } catch {
    return undefined; // a region the price table does not have
  }
}

function round(n: number): number {
  return Math.round(n * 10000) / 10000;
}
