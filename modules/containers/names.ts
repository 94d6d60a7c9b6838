import { Construct } from "constructs";
import { assertIntInRange } from "../core/validate";

export { assertIntInRange };

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

