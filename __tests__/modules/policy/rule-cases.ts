import { evaluate } from "../../../modules/policy/engine";
import { indexStack } from "../../../modules/policy/stack-index";
import type { Finding, PolicyRule } from "../../../modules/policy/rule";
import type { TfJson } from "../../helpers/synth";

/** A small synthesized stack: a JSON fixture, or one built from real constructs (`synthJson`). */
export interface RuleCase {
  readonly name: string;
  readonly tf: TfJson | (() => TfJson);
  /** Non-compliant cases: what the message must say. */
  readonly message?: RegExp;
}

/** The provider block CourseStack writes (default tags). */
export const PROVIDER = { aws: [{ region: "ap-northeast-1", default_tags: [{ tags: { Project: "p", Environment: "e", Stack: "s", ManagedBy: "cdktf" } }] }] };

/** Findings of one rule on a fixture. */
export function findingsOf(rule: PolicyRule, tf: TfJson): Finding[] {
  return evaluate(indexStack("test", { provider: PROVIDER, ...tf } as never), [rule]);
}

/** Shorthand for `{ resource: { type: { name: config } } }` fixtures. */
export function res(type: string, name: string, config: Record<string, unknown>, more: TfJson = {}): TfJson {
  return { ...more, resource: { ...(more.resource ?? {}), [type]: { ...(more.resource?.[type] ?? {}), [name]: config } } };
}

/**
 * The table-driven tests of one rule: every case in `compliant` yields no
 * finding, every case in `noncompliant` at least one whose message matches.
 * Each rule needs at least one of each.
 */
export function describeRule(rule: PolicyRule, cases: { compliant: readonly RuleCase[]; noncompliant: readonly RuleCase[] }): void {
  if (cases.compliant.length === 0 || cases.noncompliant.length === 0) {
    throw new Error(`${rule.id}: give at least one compliant and one non-compliant case`);
  }
  describe(`${rule.id} (${rule.level})`, () => {
    it.each(cases.compliant.map((c) => [c.name, c] as const))("passes: %s", (_name, c) => {
      // GIVEN a compliant stack WHEN the rule runs THEN nothing is found
      const tf = typeof c.tf === "function" ? c.tf() : c.tf;
      expect(findingsOf(rule, tf).map((f) => `${f.resource.path}: ${f.message}`)).toEqual([]);
    });
    it.each(cases.noncompliant.map((c) => [c.name, c] as const))("flags: %s", (_name, c) => {
      // GIVEN a non-compliant stack WHEN the rule runs THEN it says what is wrong
      const tf = typeof c.tf === "function" ? c.tf() : c.tf;
      const found = findingsOf(rule, tf);
      expect(found.length).toBeGreaterThan(0);
      if (c.message) expect(found.map((f) => f.message).join("\n")).toMatch(c.message);
    });
  });
}

/** Several `res(...)` fixtures in one stack. */
export function merge(...parts: TfJson[]): TfJson {
  const out: TfJson = {};
  for (const p of parts) {
    for (const kind of ["resource", "data"] as const) {
      const from = (p as any)[kind] as Record<string, Record<string, unknown>> | undefined;
      if (!from) continue;
      const to = ((out as any)[kind] ??= {}) as Record<string, Record<string, unknown>>;
      for (const [type, byName] of Object.entries(from)) to[type] = { ...(to[type] ?? {}), ...byName };
    }
  }
  return out;
}

/** A literal JSON policy document. */
export const policyJson = (...Statement: object[]): string => JSON.stringify({ Version: "2012-10-17", Statement });
