/**
 * Turns `terraform show -json` plans into the reviewer summary: per stack,
 * counts by action and resource type, with replacements and deletions first
 * and highlighted (with terraform's reason: which argument forces the
 * replacement, or that the resource left the configuration). Tested on real
 * `terraform show -json` output: `__tests__/fixtures/plan-mixed.json`, made
 * by `tools/fixtures/make-plan-fixture.ts`.
 */
import type { StackRun, TerraformPlanJson } from "./terraform";

/** The parts of a resource change the summary reads beyond TerraformPlanJson's. */
type ResourceChange = NonNullable<TerraformPlanJson["resource_changes"]>[number] & {
  readonly action_reason?: string;
  readonly change: { readonly actions: readonly string[]; readonly replace_paths?: ReadonlyArray<ReadonlyArray<string | number>> };
};

/** Order of the columns and of the one-line summary: what can lose data first. */
const COLUMNS = ["replace", "delete", "update", "create"] as const;

export type Action = "create" | "update" | "replace" | "delete" | "read" | "no-op";
export const ACTIONS: readonly Action[] = ["replace", "delete", "update", "create", "read", "no-op"];

export interface ChangeSummary {
  readonly counts: Record<Action, number>;
  /** type -> action -> count */
  readonly byType: Record<string, Partial<Record<Action, number>>>;
  /** Addresses that will be replaced or deleted: what a reviewer must look at, replacements first. */
  readonly destructive: readonly Destructive[];
}

export interface Destructive {
  readonly address: string;
  readonly action: "replace" | "delete";
  /** Why, in words: `name` forces replacement, removed from the configuration, ... */
  readonly why?: string;
}

/** Terraform's reason for a replacement or deletion, in words. */
export function reasonOf(rc: ResourceChange): string | undefined {
  const paths = (rc.change.replace_paths ?? []).map((p) => `\`${p.join(".")}\``);
  switch (rc.action_reason) {
    case "replace_because_cannot_update":
      return paths.length ? `${paths.join(", ")} cannot change in place` : "cannot be updated in place";
    case "replace_because_tainted":
      return "tainted";
    case "replace_by_request":
      return "replacement requested (-replace)";
    case "replace_by_triggers":
      return "replace_triggered_by";
    case "delete_because_no_resource_config":
      return "removed from the configuration";
    case "delete_because_no_module":
      return "its module was removed";
    case "delete_because_wrong_repetition":
    case "delete_because_count_index":
    case "delete_because_each_key":
      return "count / for_each no longer includes it";
    default:
      return paths.length ? `${paths.join(", ")} forces replacement` : undefined;
  }
}

/** The single action terraform's action list stands for. */
export function actionOf(actions: readonly string[]): Action {
  if (actions.includes("delete") && actions.includes("create")) return "replace";
  const a = actions[0];
  if (a === "create" || a === "update" || a === "delete" || a === "read") return a;
  return "no-op";
}

export function summarizePlan(plan: TerraformPlanJson): ChangeSummary {
  const counts = Object.fromEntries(ACTIONS.map((a) => [a, 0])) as Record<Action, number>;
  const byType: ChangeSummary["byType"] = {};
  const destructive: Destructive[] = [];
  for (const rc of (plan.resource_changes ?? []) as readonly ResourceChange[]) {
    if (rc.mode !== "managed") continue;
    const action = actionOf(rc.change.actions);
    counts[action]++;
    if (action === "no-op") continue;
    const row = (byType[rc.type] ??= {});
    row[action] = (row[action] ?? 0) + 1;
    if (action === "replace" || action === "delete") destructive.push({ address: rc.address, action, why: reasonOf(rc) });
  }
  destructive.sort((a, b) => (a.action === b.action ? a.address.localeCompare(b.address) : a.action === "replace" ? -1 : 1));
  return { counts, byType, destructive };
}

/** One line for the terminal. */
export function oneLine(run: StackRun): string {
  if (!run.ok) return `${run.stack}: FAILED at ${run.failedStep} (${run.seconds.toFixed(1)} s)`;
  const s = summarizePlan(run.plan!);
  const parts = COLUMNS.filter((a) => s.counts[a] > 0).map((a) => `${s.counts[a]} to ${a}`);
  return `${run.stack}: ${parts.join(", ") || "no changes"} (${run.seconds.toFixed(1)} s)`;
}

/** The markdown written to `cdktf.out/plan-summary.md` (and posted on pull requests). */
export function renderMarkdown(runs: readonly StackRun[], title = "Terraform plan summary", notes: ReadonlyMap<string, string> = new Map()): string {
  const out: string[] = [`# ${title}`, ""];
  const table = ["| stack | replace | delete | update | create |", "|---|---:|---:|---:|---:|"];
  const mark = (n: number) => (n > 0 ? `**${n}** :warning:` : "0");
  for (const run of runs) {
    if (!run.ok) {
      table.push(`| ${run.stack} | failed at ${run.failedStep} | | | |`);
      continue;
    }
    const c = summarizePlan(run.plan!).counts;
    table.push(`| ${run.stack} | ${mark(c.replace)} | ${mark(c.delete)} | ${c.update} | ${c.create} |`);
  }
  out.push(...table, "");
  const allDestructive = runs.flatMap((r) => (r.ok ? summarizePlan(r.plan!).destructive.map((d) => ({ stack: r.stack, ...d })) : []));
  if (allDestructive.length > 0) {
    out.push("> [!CAUTION]", `> ${allDestructive.length} resource(s) will be replaced or deleted (whatever they hold is lost):`);
    for (const d of allDestructive) out.push(`> - **${d.action}** \`${d.stack}\` \`${d.address}\`${d.why ? ` - ${d.why}` : ""}`);
    out.push("");
  }

  for (const run of runs) {
    out.push(`## ${run.stack}`, "");
    const note = notes.get(run.stack);
    if (note) out.push(`_${note}_`, "");
    if (!run.ok) {
      out.push(`**Failed at \`terraform ${run.failedStep}\`:**`, "", "```", (run.error ?? "").trim().slice(0, 4000), "```", "");
      continue;
    }
    const s = summarizePlan(run.plan!);
    if (s.destructive.length > 0) {
      out.push("> [!WARNING]", `> ${s.destructive.length} resource(s) will be replaced or deleted:`);
      for (const d of s.destructive) out.push(`> - **${d.action}** \`${d.address}\`${d.why ? ` - ${d.why}` : ""}`);
      out.push("");
    }
    const types = Object.keys(s.byType).sort((a, b) => weight(s.byType[b]) - weight(s.byType[a]) || a.localeCompare(b));
    if (types.length === 0) {
      out.push("No changes.", "");
      continue;
    }
    out.push("| resource type | replace | delete | update | create |", "|---|---:|---:|---:|---:|");
    for (const t of types) {
      const r = s.byType[t];
      out.push(`| \`${t}\` | ${r.replace ? `**${r.replace}**` : ""} | ${r.delete ? `**${r.delete}**` : ""} | ${r.update ?? ""} | ${r.create ?? ""} |`);
    }
    out.push("");
  }
  return out.join("\n");
}

/** Sorts types with replacements and deletions first. */
function weight(row: Partial<Record<Action, number>>): number {
  return (row.replace ?? 0) * 1e6 + (row.delete ?? 0) * 1e3 + (row.update ?? 0);
}
