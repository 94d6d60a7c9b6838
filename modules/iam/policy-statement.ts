/** One IAM policy statement, written with named action lists (never `service:*`). */
export interface PolicyStatementProps {
  /** Statement id, for readers of the policy. */
  readonly sid?: string;
  /** @default "Allow" */
  readonly effect?: "Allow" | "Deny";
  readonly actions: readonly string[];
  /** ARNs (tokens allowed). Use `*` only where the API supports no resource-level permission, and say so. */
  readonly resources: readonly string[];
  /** Condition blocks, e.g. `{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }`. */
  readonly conditions?: readonly PolicyCondition[];
  /** Principals, only for resource policies (bucket, queue). */
  readonly principals?: readonly { readonly type: string; readonly identifiers: readonly string[] }[];
}

export interface PolicyCondition {
  readonly test: string;
  readonly variable: string;
  readonly values: readonly string[];
}

/** Validates a statement: no empty lists, no wildcard actions. */
export function assertStatement(s: PolicyStatementProps, where: string): void {
  if (s.actions.length === 0) throw new Error(`${where}: a policy statement needs at least one action`);
  if (s.resources.length === 0) throw new Error(`${where}: a policy statement needs at least one resource`);
  const wildcard = s.actions.find((a) => a === "*" || /^[a-z0-9-]+:\*$/.test(a));
  if (wildcard && (s.effect ?? "Allow") === "Allow") {
    throw new Error(`${where}: action "${wildcard}" grants a whole service; list the actions you need`);
  }
}

/** The statement in the shape of the `aws_iam_policy_document` data source's `statement` block. */
export function toDocumentStatement(s: PolicyStatementProps): Record<string, unknown> {
  return {
    sid: s.sid,
    effect: s.effect ?? "Allow",
    actions: [...s.actions],
    resources: [...s.resources],
    condition: s.conditions?.map((c) => ({ test: c.test, variable: c.variable, values: [...c.values] })),
    principals: s.principals?.map((p) => ({ type: p.type, identifiers: [...p.identifiers] })),
  };
}
