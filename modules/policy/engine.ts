import type { Finding, PolicyRule, StackIndex } from "./rule";

/** Runs every rule on every resource it covers; suppressed findings are kept, marked. */
export function evaluate(stack: StackIndex, rules: readonly PolicyRule[]): Finding[] {
  const findings: Finding[] = [];
  for (const rule of rules) {
    const all = rule.resourceTypes.includes("*");
    const wantsData = rule.resourceTypes.some((t) => t.startsWith("data."));
    const candidates = wantsData ? [...stack.resources, ...stack.dataSources] : stack.resources;
    for (const resource of candidates) {
      const key = resource.mode === "data" ? `data.${resource.type}` : resource.type;
      if (!(all && resource.mode !== "data") && !rule.resourceTypes.includes(key)) continue;
      const message = rule.check(resource, stack);
      if (!message) continue;
      const suppression = resource.suppressions.find((s) => s.rule === rule.id);
      findings.push({ rule, resource, message, suppressedBecause: suppression?.reason });
    }
  }
  return findings;
}

/** One line per finding: `[RULE] path (terraform address): message`. */
export function formatFinding(f: Finding): string {
  const suffix = f.suppressedBecause ? ` (suppressed: ${f.suppressedBecause})` : "";
  const address = `${f.resource.mode === "data" ? "data." : ""}${f.resource.type}.${f.resource.name}`;
  return `[${f.rule.id}] ${f.resource.path} (${address}): ${f.message}${suffix}`;
}
