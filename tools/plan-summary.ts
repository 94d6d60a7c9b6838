/**
 * Turns `terraform show -json` plans into the reviewer summary: per stack,
 * counts by action and resource type, with replacements and deletions first.
 */
import type { StackRun, TerraformPlanJson } from "./terraform";

export type Action = "create" | "update" | "replace" | "delete" | "read" | "no-op";
export const ACTIONS: readonly Action[] = ["replace", "delete", "update", "create", "read", "no-op"];

export interface ChangeSummary {
  readonly counts: Record<Action, number>;
  /** type -> action -> count */
  readonly byType: Record<string, Partial<Record<Action, number>>>;
  /** Addresses that will be replaced or deleted: what a reviewer must look at. */
  readonly destructive: readonly { address: string; action: "replace" | "delete" }[];
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
  const destructive: { address: string; action: "replace" | "delete" }[] = [];
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode !== "managed") continue;
    const action = actionOf(rc.change.actions);
    counts[action]++;
    if (action === "no-op") continue;
    const row = (byType[rc.type] ??= {});
    row[action] = (row[action] ?? 0) + 1;
    if (action === "replace" || action === "delete") destructive.push({ address: rc.address, action });
  }
  destructive.sort((a, b) => (a.action === b.action ? a.address.localeCompare(b.address) : a.action === "replace" ? -1 : 1));
  return { counts, byType, destructive };
}

/** One line for the terminal. */
export function oneLine(run: StackRun): string {
  if (!run.ok) return `${run.stack}: FAILED at ${run.failedStep} (${run.seconds.toFixed(1)} s)`;
  const s = summarizePlan(run.plan!);
  const parts = ACTIONS.filter((a) => a !== "no-op" && a !== "read" && s.counts[a] > 0).map((a) => `${s.counts[a]} to ${a}`);
  return `${run.stack}: ${parts.join(", ") || "no changes"} (${run.seconds.toFixed(1)} s)`;
}

/** The markdown written to `cdktf.out/plan-summary.md` (and posted on pull requests). */
export function renderMarkdown(runs: readonly StackRun[], title = "Terraform plan summary"): string {
  const out: string[] = [`# ${title}`, ""];
  const table = ["| stack | create | update | replace | delete |", "|---|---:|---:|---:|---:|"];
  for (const run of runs) {
    if (!run.ok) {
      table.push(`| ${run.stack} | failed at ${run.failedStep} | | | |`);
      continue;
    }
    const c = summarizePlan(run.plan!).counts;
    const mark = (n: number) => (n > 0 ? `**${n}**` : "0");
    table.push(`| ${run.stack} | ${c.create} | ${c.update} | ${mark(c.replace)} | ${mark(c.delete)} |`);
  }
  out.push(...table, "");

  for (const run of runs) {
    out.push(`## ${run.stack}`, "");
    if (!run.ok) {
      out.push(`**Failed at \`terraform ${run.failedStep}\`:**`, "", "```", (run.error ?? "").trim().slice(0, 4000), "```", "");
      continue;
    }
    const s = summarizePlan(run.plan!);
    if (s.destructive.length > 0) {
      out.push("> [!WARNING]", `> ${s.destructive.length} resource(s) will be replaced or deleted:`);
      for (const d of s.destructive) out.push(`> - **${d.action}** \`${d.address}\``);
      out.push("");
    }
    const types = Object.keys(s.byType).sort((a, b) => weight(s.byType[b]) - weight(s.byType[a]) || a.localeCompare(b));
    if (types.length === 0) {
      out.push("No changes.", "");
      continue;
    }
    out.push("| resource type | create | update | replace | delete |", "|---|---:|---:|---:|---:|");
    for (const t of types) {
      const r = s.byType[t];
      out.push(`| \`${t}\` | ${r.create ?? ""} | ${r.update ?? ""} | ${r.replace ? `**${r.replace}**` : ""} | ${r.delete ? `**${r.delete}**` : ""} |`);
    }
    out.push("");
  }
  return out.join("\n");
}

/** Sorts types with replacements and deletions first. */
function weight(row: Partial<Record<Action, number>>): number {
  return (row.replace ?? 0) * 1e6 + (row.delete ?? 0) * 1e3 + (row.update ?? 0);
}
