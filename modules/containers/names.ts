import { Construct } from "constructs";

/**
 * A stable physical name from the construct path (without the stack), e.g.
 * `QaBot-Cluster`: ECS clusters, task families and ECR repositories have no
 * `name_prefix`, so the name must be chosen at synth and must not change.
 */
export function nameFromPath(c: Construct, maxLength: number, lowercase = false): string {
  const parts = c.node.scopes.slice(1).map((s) => s.node.id.replace(/[^A-Za-z0-9_-]/g, ""));
  const name = parts.filter(Boolean).join("-").slice(0, maxLength);
  return lowercase ? name.toLowerCase() : name;
}

/** Throws unless `value` is a whole number in `min..max`. */
export function assertIntInRange(value: number, min: number, max: number, field: string): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${field} (${value}) must be a whole number in ${min}..${max}`);
  }
}
