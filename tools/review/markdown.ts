/**
 * The review report as markdown for a pull-request comment: a summary
 * table, replacements and deletions first under a warning, unchanged stacks
 * in one line, then one collapsed `<details>` per stack with every changed
 * resource and its attributes (long values as unified diffs), outputs,
 * policy findings and cost. Always under GitHub's 65,536-character comment
 * limit: the longest diffs are cut first, and the report says so.
 */
import type { ResourceReport, ReviewReport, StackReport } from "./report";
import { kindOf } from "./report";
import type { AttributeChange } from "./values";
import { asLines, isLong, KNOWN_AFTER_APPLY, unifiedDiff } from "./values";

/** GitHub's limit for an issue or pull-request comment. */
export const GITHUB_COMMENT_LIMIT = 65536;
/** Room kept for the workflow's marker and footer. */
const RESERVE = 1500;

export interface RenderOptions {
  /** Character budget. @default 65,536 less room for the workflow's footer */
  readonly limit?: number;
}

type Detail = "full" | "names" | "summary";

/** The markdown report, within the budget. */
export function renderReview(report: ReviewReport, options: RenderOptions = {}): string {
  const limit = (options.limit ?? GITHUB_COMMENT_LIMIT) - RESERVE;
  const keep: number[] = []; // lines kept of each long-value diff, in order of appearance
  const sizes: number[] = [];
  let text = render(report, "full", keep, sizes);
  // Halve the longest diff (dropping it below 40 lines) until the report fits...
  while (text.length > limit) {
    let best = -1;
    for (let i = 0; i < sizes.length; i++) {
      const kept = keep[i] ?? sizes[i];
      if (kept > 0 && (best < 0 || kept > (keep[best] ?? sizes[best]))) best = i;
    }
    if (best < 0) break;
    const kept = keep[best] ?? sizes[best];
    keep[best] = kept > 40 ? Math.floor(kept / 2) : 0;
    text = render(report, "full", keep, sizes);
  }
  // ... then leave out attribute values, then attribute names.
  if (text.length > limit) text = render(report, "names", keep, sizes);
  if (text.length > limit) text = render(report, "summary", keep, sizes);
  if (text.length > limit) text = `${text.slice(0, limit - 200)}\n\n... (cut at GitHub's comment limit; the whole report is in review.json)\n`;
  return text;
}

function render(report: ReviewReport, detail: Detail, keep: readonly number[], sizes: number[]): string {
  let blockIndex = 0;
  let cutCount = 0;
  const diffBlock = (lines: string[]): string[] => {
    const i = blockIndex++;
    sizes[i] = lines.length;
    const kept = Math.min(keep[i] ?? lines.length, lines.length);
    if (kept === lines.length) return ["```diff", ...lines, "```"];
    cutCount++;
    return kept
      ? ["```diff", ...lines.slice(0, kept), "```", `_(${lines.length - kept} more diff lines cut to fit the comment; see review.json)_`]
      : [`_(a diff of ${lines.length} lines, cut to fit the comment; see review.json)_`];
  };

  const stacks = Object.entries(report.stacks).sort(([a], [b]) => a.localeCompare(b));
  const out: string[] = [];
  out.push(`## Infrastructure review (${report.mode})`, "");
  out.push(
    report.mode === "offline"
      ? `\`${report.head}\` planned by terraform against an offline state of \`${report.base}\` (no AWS account): every action below is terraform's own.`
      : `\`${report.head}\` planned by terraform against the real state (\`${report.base}\` for policy and cost).`,
    "",
  );
  const unchanged = stacks.filter(([, s]) => s.status === "unchanged").map(([n]) => n);
  const touched = stacks.filter(([, s]) => s.status !== "unchanged");
  if (touched.length === 0) {
    out.push(`No changes: every stack is unchanged (${unchanged.join(", ")}).`, "");
    return out.join("\n");
  }
  out.push("| stack | status | replace | delete | create | update | move | USD/h before -> after |", "|---|---|---:|---:|---:|---:|---:|---|");
  for (const [name, s] of touched) {
    const c = s.counts;
    const warn = (n: number) => (n ? `**${n}** :warning:` : "0");
    out.push(`| ${name} | ${s.status} | ${warn(c.replace)} | ${warn(c.delete)} | ${c.create} | ${c.update} | ${c.move} | ${costCell(s)} |`);
  }
  out.push("");
  if (unchanged.length) out.push(`Unchanged: ${unchanged.join(", ")}.`, "");

  const destructive = touched.flatMap(([name, s]) => s.changes.filter((r) => ["replace", "delete"].includes(kindOf(r.actions))).map((r) => ({ name, r })));
  if (destructive.length) {
    out.push("> [!CAUTION]", `> ${destructive.length} resource(s) will be destroyed (replaced or deleted); whatever they hold is lost:`);
    for (const { name, r } of destructive) out.push(`> - ${name}: ${destructiveLine(r)}`);
    out.push("");
  }
  const errors = touched.filter(([, s]) => s.status === "error");
  if (errors.length) {
    out.push("> [!WARNING]", `> ${errors.length} stack(s) could not be planned: ${errors.map(([n]) => n).join(", ")} (details below).`, "");
  }

  for (const [name, s] of touched) {
    out.push("<details>", `<summary><b>${name}</b>: ${summaryLine(s)}</summary>`, "");
    if (s.status === "error") {
      out.push("```", (s.error ?? "").trim().slice(0, 6000), "```", "");
    }
    const renames = s.changes.filter((r) => r.probable_rename_from);
    if (renames.length) {
      out.push("**Probable construct renames** (delete + create of nearly the same configuration). Declare the move to keep the resource:", "");
      for (const r of renames) {
        out.push(`- \`${r.probable_rename_from}\` -> \`${r.address}\`${r.construct_path ? ` (\`${r.construct_path}\`)` : ""}: call \`${r.fix_cdktf}\` on the new construct's resource, or add`, "", "  ```hcl", ...r.fix!.split("\n").map((l) => `  ${l}`), "  ```", "");
      }
    }
    if (detail !== "summary") {
      const tagOnly = s.changes.filter((r) => kindOf(r.actions) === "update" && !r.moved_from && isTagsOnly(r));
      const rest = s.changes.filter((r) => !tagOnly.includes(r));
      for (const r of rest) out.push(...resourceSection(r, detail, diffBlock));
      if (tagOnly.length) {
        out.push(`**${tagOnly.length} resource(s) change only their tags** (update in place): ${tagChange(tagOnly[0])}`, "");
        out.push(tagOnly.map((r) => `\`${r.address}\``).join(", "), "");
      }
    } else if (s.changes.length) {
      out.push(s.changes.map((r) => `- ${kindOf(r.actions)} \`${r.address}\``).join("\n"), "");
    }
    const outputs = Object.entries(s.outputs);
    if (outputs.length) {
      out.push("**Outputs**", "", "| output | change | before | after |", "|---|---|---|---|");
      for (const [o, v] of outputs) out.push(`| \`${o}\` | ${v.actions.join(", ")} | ${cell(v.before)} | ${v.after_unknown ? `_${KNOWN_AFTER_APPLY}_` : cell(v.after)} |`);
      out.push("");
    }
    if (s.policy.new.length || s.policy.fixed.length) {
      out.push("**Policy pack**", "");
      for (const f of s.policy.new) out.push(`- new ${f.level}: [${f.rule}] \`${f.path}\`: ${f.message}`);
      for (const f of s.policy.fixed) out.push(`- fixed: [${f.rule}] \`${f.path}\``);
      out.push("");
    }
    out.push("</details>", "");
  }
  if (cutCount || detail !== "full") {
    out.push(`_This comment was shortened to fit GitHub's ${GITHUB_COMMENT_LIMIT}-character limit (${cutCount ? `${cutCount} diff(s) cut` : ""}${cutCount && detail !== "full" ? ", " : ""}${detail !== "full" ? "attribute details left out" : ""}); the whole report is in review.json._`);
  }
  return out.join("\n");
}

function costCell(s: StackReport): string {
  if (!s.cost) return "";
  const f = (n: number) => n.toFixed(4);
  return s.cost.before_hourly === s.cost.after_hourly ? f(s.cost.after_hourly) : `${f(s.cost.before_hourly)} -> **${f(s.cost.after_hourly)}**`;
}

function summaryLine(s: StackReport): string {
  if (s.status === "error") return "could not be planned";
  const c = s.counts;
  const parts = [
    c.replace && `${c.replace} to replace`,
    c.delete && `${c.delete} to delete`,
    c.create && `${c.create} to create`,
    c.update && `${c.update} to update`,
    c.move && `${c.move} moved`,
  ].filter(Boolean);
  const outputs = Object.keys(s.outputs).length;
  if (outputs) parts.push(`${outputs} output(s) change`);
  return `${s.status}${parts.length ? `, ${parts.join(", ")}` : ""}`;
}

function destructiveLine(r: ResourceReport): string {
  const kind = kindOf(r.actions);
  const why =
    kind === "replace"
      ? r.replace_paths?.length
        ? `forced by ${r.replace_paths.map((p) => `\`${pathText(p)}\``).join(", ")}`
        : reason(r.action_reason)
      : r.probable_rename_to
        ? `probably renamed to \`${r.probable_rename_to}\` (declare the move, see below)`
        : reason(r.action_reason);
  return `**${kind}** \`${r.address}\`${r.construct_path ? ` (\`${r.construct_path}\`)` : ""}${why ? ` - ${why}` : ""}`;
}

function reason(r: string | undefined): string {
  switch (r) {
    case "replace_because_cannot_update":
      return "an argument cannot change in place";
    case "replace_because_tainted":
      return "tainted";
    case "replace_by_request":
      return "replacement requested";
    case "replace_by_triggers":
      return "replace_triggered_by";
    case "delete_because_no_resource_config":
      return "removed from the configuration";
    case "delete_because_no_module":
      return "its stack was removed";
    default:
      return r ?? "";
  }
}

function pathText(p: ReadonlyArray<string | number>): string {
  return p.map((s, i) => (typeof s === "number" ? `[${s}]` : i ? `.${s}` : s)).join("");
}

function isTagsOnly(r: ResourceReport): boolean {
  const names = Object.keys(r.attributes);
  return names.length > 0 && names.every((n) => n === "tags" || n === "tags_all");
}

function tagChange(r: ResourceReport): string {
  const a = r.attributes.tags_all ?? r.attributes.tags;
  return a ? mapDelta(a.before as Record<string, unknown> | null, a.after as Record<string, unknown> | null, (t) => `\`${t}\``) : "";
}

function resourceSection(r: ResourceReport, detail: Exclude<Detail, "summary">, diffBlock: (lines: string[]) => string[]): string[] {
  const kind = kindOf(r.actions);
  const head = `**${kind === "none" ? "move" : kind}** \`${r.address}\`${r.construct_path ? ` (\`${r.construct_path}\`)` : ""}`;
  const out: string[] = [];
  const notes: string[] = [];
  if (r.moved_from) notes.push(`moved from \`${r.moved_from}\``);
  if (kind === "replace") notes.push(r.replace_paths?.length ? `forced by ${r.replace_paths.map((p) => `\`${pathText(p)}\``).join(", ")}` : reason(r.action_reason));
  if (kind === "delete") notes.push(reason(r.action_reason));
  if (r.probable_rename_from) notes.push(`probably \`${r.probable_rename_from}\` renamed`);
  out.push(`${head}${notes.filter(Boolean).length ? ` - ${notes.filter(Boolean).join("; ")}` : ""}`, "");
  if (kind === "delete" || kind === "create") {
    if (kind === "create" && detail === "full") {
      const known = Object.entries(r.attributes).filter(([, a]) => !a.after_unknown && a.after !== null && !isLong(a.after));
      if (known.length) out.push(`<sub>${known.map(([k, a]) => `${k} = ${inline(a.after)}`).join(", ")}</sub>`, "");
    }
    return out;
  }
  // A replacement makes every computed attribute new: show what is configured and what forces it.
  const attrs = Object.entries(r.attributes).filter(([k, a]) => kind !== "replace" || !a.after_unknown || forces(r, k));
  if (attrs.length === 0) return out;
  if (detail === "names") {
    out.push(`<sub>changes: ${attrs.map(([k]) => `\`${k}\``).join(", ")}</sub>`, "");
    return out;
  }
  const short = attrs.filter(([, a]) => isFlatMap(a.before, a.after) || (!isLong(a.before) && !isLong(a.after)));
  const long = attrs.filter((e) => !short.includes(e));
  if (short.length) {
    out.push("| attribute | before | after |", "|---|---|---|");
    for (const [k, a] of short) {
      if (!a.after_unknown && !a.sensitive && isFlatMap(a.before, a.after) && a.before !== null && a.after !== null) {
        out.push(`| \`${k}\`${forces(r, k)} | ${Object.keys(a.before as object).length} entries | ${cell(mapDelta(a.before as Record<string, unknown>, a.after as Record<string, unknown>))} |`);
      } else out.push(`| \`${k}\`${forces(r, k)} | ${cell(a.before)} | ${afterCell(a)} |`);
    }
    out.push("");
  }
  for (const [k, a] of long) {
    if (a.after_unknown) {
      out.push(`\`${k}\`${forces(r, k)}: ${KNOWN_AFTER_APPLY} (was ${Array.isArray(a.before) ? "a list" : typeof a.before === "string" ? `${a.before.length} characters` : "set"})`, "");
      continue;
    }
    const { lines, note } = diffOf(a);
    out.push(`\`${k}\`${forces(r, k)}${note ? ` (${note})` : ""}:`, "");
    out.push(...diffBlock(lines), "");
  }
  return out;
}

/** Maps of plain values (tags, environment variables) are shown key by key. */
function isFlatMap(before: unknown, after: unknown): boolean {
  const flat = (v: unknown) => v === null || (typeof v === "object" && !Array.isArray(v) && Object.values(v as object).every((x) => x === null || typeof x !== "object"));
  return flat(before) && flat(after) && (before !== null || after !== null);
}

/** Key by key: `+ k=v`, `- k`, `k: old -> new`, each piece passed through `quote`. */
function mapDelta(before: Record<string, unknown> | null, after: Record<string, unknown> | null, quote: (text: string) => string = (t) => t): string {
  const b = before ?? {};
  const a = after ?? {};
  const parts: string[] = [];
  for (const k of [...new Set([...Object.keys(b), ...Object.keys(a)])].sort()) {
    if (!(k in b)) parts.push(`+ ${quote(`${k}=${String(a[k])}`)}`);
    else if (!(k in a)) parts.push(`- ${quote(k)}`);
    else if (b[k] !== a[k]) parts.push(`${quote(k)}: ${quote(String(b[k]))} -> ${quote(String(a[k]))}`);
  }
  return parts.join(", ");
}

/** Diffs are computed once per attribute, however often the report is rendered to fit. */
const DIFFS = new WeakMap<AttributeChange, { lines: string[]; note?: string }>();

function diffOf(a: AttributeChange): { lines: string[]; note?: string } {
  let d = DIFFS.get(a);
  if (!d) {
    const before = asLines(a.before);
    const after = asLines(a.after);
    d = { lines: unifiedDiff(before.lines, after.lines), note: before.note ?? after.note };
    DIFFS.set(a, d);
  }
  return d;
}

function forces(r: ResourceReport, attr: string): string {
  return r.replace_paths?.some((p) => p[0] === attr) ? " (forces replacement)" : "";
}

function afterCell(a: AttributeChange): string {
  if (a.after_unknown) return `_${KNOWN_AFTER_APPLY}_`;
  return cell(a.after);
}

function inline(v: unknown): string {
  return typeof v === "string" ? JSON.stringify(v) : JSON.stringify(v);
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return "_null_";
  const text = typeof v === "string" ? v : JSON.stringify(v);
  return `\`${text.replace(/\|/g, "\\|").replace(/`/g, "'")}\``;
}
