/**
 * Construct renames. A renamed construct id changes the Terraform address,
 * so terraform plans a delete of the old address and a create of the new
 * one; whatever the resource holds is lost. A delete and a create of the
 * same type in one stack whose configurations are the same or nearly the
 * same (references compared by type, names and the cdktf metadata ignored)
 * are a probable rename, and the fix is a `moved` block.
 */
import type { TfJson } from "./workspace";

export interface RenameCandidate {
  readonly from: string;
  readonly to: string;
  /** Share of configuration values that are equal, 0..1. */
  readonly similarity: number;
}

/** Below this share of equal configuration values, a delete and a create are two resources. */
export const RENAME_SIMILARITY = 0.75;

/** Pairs deleted and created addresses of one stack into probable renames, best matches first. */
export function probableRenames(deleted: readonly string[], created: readonly string[], base: TfJson, head: TfJson): RenameCandidate[] {
  const scored: RenameCandidate[] = [];
  for (const from of deleted) {
    const [type] = from.split(".");
    const before = configOf(base, from);
    if (!before) continue;
    for (const to of created) {
      if (!to.startsWith(`${type}.`)) continue;
      const after = configOf(head, to);
      if (!after) continue;
      const similarity = similarityOf(before, after);
      if (similarity >= RENAME_SIMILARITY) scored.push({ from, to, similarity });
    }
  }
  scored.sort((a, b) => b.similarity - a.similarity || a.from.localeCompare(b.from));
  const usedFrom = new Set<string>();
  const usedTo = new Set<string>();
  const out: RenameCandidate[] = [];
  for (const c of scored) {
    if (usedFrom.has(c.from) || usedTo.has(c.to)) continue;
    usedFrom.add(c.from);
    usedTo.add(c.to);
    out.push(c);
  }
  return out;
}

/** The `moved` block that keeps the resource (HCL, as in `terraform plan` docs). */
export function movedBlock(from: string, to: string): string {
  return `moved {\n  from = ${from}\n  to   = ${to}\n}`;
}

/** The cdktf call that declares the move, on the resource of the new construct. */
export function cdktfMoveCall(from: string): string {
  return `.moveFromId("${from}")`;
}

function configOf(json: TfJson, address: string): Record<string, unknown> | undefined {
  const dot = address.indexOf(".");
  const type = address.slice(0, dot);
  const name = address.slice(dot + 1);
  return json.resource?.[type]?.[name];
}

/** Leaves of a configuration as path=value, with references reduced to their type and attribute. */
function leaves(v: unknown, path: string, out: Map<string, string>): void {
  if (Array.isArray(v)) {
    v.forEach((x, i) => leaves(x, `${path}[${i}]`, out));
    return;
  }
  if (v && typeof v === "object") {
    for (const [k, x] of Object.entries(v)) {
      if (k === "//" || k === "depends_on") continue;
      leaves(x, path ? `${path}.${k}` : k, out);
    }
    return;
  }
  const s = typeof v === "string" ? v.replace(/\$\{([a-z0-9_]+)\.[A-Za-z0-9_-]+\.([^}]*)\}/g, "${$1.*.$2}") : JSON.stringify(v);
  out.set(path, s);
}

function similarityOf(a: Record<string, unknown>, b: Record<string, unknown>): number {
  const la = new Map<string, string>();
  const lb = new Map<string, string>();
  leaves(a, "", la);
  leaves(b, "", lb);
  const keys = new Set([...la.keys(), ...lb.keys()]);
  if (keys.size === 0) return 1;
  let same = 0;
  for (const k of keys) if (la.has(k) && la.get(k) === lb.get(k)) same++;
  return same / keys.size;
}
