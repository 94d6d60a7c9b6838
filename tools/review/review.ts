/**
 * A review of many stacks at once, from their synthesized sources: stacks
 * whose JSON and assets are identical are unchanged without terraform; the
 * rest are planned (offline by default: engine.ts) and reported (report.ts).
 * `npm run review` and the scenario tests both go through here.
 */
import type { Comparison, ComparisonResult, EngineOptions } from "./engine";
import { compareStacks } from "./engine";
import type { StackReport } from "./report";
import { stackReport } from "./report";
import { contentKey } from "./sources";
import type { StackSource } from "./workspace";

export interface StackPair {
  /** Stack name, or any id unique in one review. */
  readonly id: string;
  readonly base?: StackSource;
  readonly head?: StackSource;
  /** Plan it even when base and head are identical (to check that a stack plans clean against its own baseline). */
  readonly force?: boolean;
}

export interface ReviewStacksOptions extends EngineOptions {
  /** Plans the comparisons another way (`--online`). @default the offline engine */
  readonly planner?: (comparisons: readonly Comparison[]) => Promise<ComparisonResult[]>;
}

/** The report of each pair, by id, in the pairs' order. */
export async function reviewStacks(pairs: readonly StackPair[], options: ReviewStacksOptions): Promise<Record<string, StackReport>> {
  const log = options.log ?? (() => undefined);
  const comparisons: Comparison[] = [];
  for (const p of pairs) {
    if (!p.base && !p.head) throw new Error(`${p.id}: neither a base nor a head`);
    if (!p.force && p.base && p.head && contentKey(p.base) === contentKey(p.head)) {
      log(`${p.id}: unchanged (synthesized JSON and assets identical)`);
      continue;
    }
    log(`${p.id}: ${!p.base ? "added" : !p.head ? "removed" : "changed"}: planning`);
    comparisons.push(p);
  }
  const results = new Map<string, ComparisonResult>();
  if (comparisons.length) {
    const runs = await (options.planner ?? ((c) => compareStacks(c, options)))(comparisons);
    for (const r of runs) results.set(r.id, r);
  }
  const reports: Record<string, StackReport> = {};
  for (const p of pairs) reports[p.id] = stackReport(p.id, p.base, p.head, results.get(p.id));
  return reports;
}
