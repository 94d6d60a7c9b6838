/**
 * Readers shared by the rules: booleans as cdktf renders them, IAM
 * statements from `aws_iam_policy_document` data sources or literal JSON,
 * ECS container definitions. Pure functions of the synthesized JSON.
 */
import type { ResourceView, StackIndex } from "./rule";

/** cdktf renders some booleans as strings (`"true"`). */
export const isTrue = (v: unknown): boolean => v === true || v === "true";
export const isFalse = (v: unknown): boolean => v === false || v === "false";

/** A list attribute that cdktf may render as one object or an array. */
export function asList<T = any>(v: unknown): T[] {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]) as T[];
}

/** One IAM statement in a common shape, whichever way it was written. */
export interface NormalizedStatement {
  readonly sid?: string;
  readonly effect: "Allow" | "Deny";
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly resources: readonly string[];
  readonly notResources: readonly string[];
  readonly conditions: readonly { test: string; variable: string; values: readonly string[] }[];
  readonly principals: readonly { type: string; identifiers: readonly string[] }[];
}

const strings = (v: unknown): string[] => asList(v).map(String);

/** Statements of an `aws_iam_policy_document` data source. */
export function documentStatements(doc: ResourceView): NormalizedStatement[] {
  return asList(doc.config.statement).map((s: any) => ({
    sid: s.sid,
    effect: s.effect === "Deny" ? "Deny" : "Allow",
    actions: strings(s.actions),
    notActions: strings(s.not_actions),
    resources: strings(s.resources),
    notResources: strings(s.not_resources),
    conditions: asList(s.condition).map((c: any) => ({ test: String(c.test), variable: String(c.variable), values: strings(c.values) })),
    principals: asList(s.principals).map((p: any) => ({ type: String(p.type), identifiers: strings(p.identifiers) })),
  }));
}

/** Statements of a literal JSON policy string; undefined when it is not literal JSON (e.g. `${jsonencode(...)}`). */
export function jsonStatements(text: unknown): NormalizedStatement[] | undefined {
  if (typeof text !== "string") return undefined;
  let doc: any;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  return asList(doc?.Statement).map((s: any) => ({
    sid: s.Sid,
    effect: s.Effect === "Deny" ? "Deny" : "Allow",
    actions: strings(s.Action),
    notActions: strings(s.NotAction),
    resources: strings(s.Resource),
    notResources: strings(s.NotResource),
    conditions: Object.entries(s.Condition ?? {}).flatMap(([test, byVar]) =>
      Object.entries(byVar as Record<string, unknown>).map(([variable, values]) => ({ test, variable, values: strings(values) })),
    ),
    principals:
      s.Principal === "*"
        ? [{ type: "*", identifiers: ["*"] }]
        : Object.entries(s.Principal ?? {}).map(([type, ids]) => ({ type, identifiers: strings(ids) })),
  }));
}

/**
 * The statements behind a `policy` argument: a reference to an
 * `aws_iam_policy_document` (`${data.aws_iam_policy_document.x.json}`) or
 * literal JSON. Undefined when the rule cannot read it.
 */
export function policyStatements(value: unknown, stack: StackIndex): { statements: NormalizedStatement[]; document?: ResourceView } | undefined {
  const target = stack.resolveReference(value);
  if (target?.mode === "data" && target.type === "aws_iam_policy_document") {
    return { statements: documentStatements(target), document: target };
  }
  const parsed = jsonStatements(value);
  return parsed ? { statements: parsed } : undefined;
}

/** The containers of an `aws_ecs_task_definition` (undefined when the JSON is not literal). */
export function containerDefinitions(taskDefinition: ResourceView): any[] | undefined {
  const raw = taskDefinition.config.container_definitions;
  if (typeof raw !== "string") return Array.isArray(raw) ? raw : undefined;
  try {
    const parsed = JSON.parse(raw);
    return Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The effective tags of a resource: provider default_tags merged with its own. */
export function tagsOf(resource: ResourceView, stack: StackIndex): Record<string, string> {
  return { ...stack.defaultTags, ...(resource.config.tags ?? {}) };
}

/** The Terraform address of a resource (`aws_s3_bucket.b`, `data.aws_iam_policy_document.d`), for messages that relate two resources. */
export function address(r: ResourceView): string {
  return `${r.mode === "data" ? "data." : ""}${r.type}.${r.name}`;
}

/** Resources of `type` that refer to `target` anywhere in their arguments. */
export function referencingAnywhere(stack: StackIndex, type: string, target: ResourceView): ResourceView[] {
  return stack.byType(type).filter((r) => stack.referencesIn(r.config).includes(target));
}

/** Whether a value is written in the code (no `${...}` expression): what a secrets rule looks for. */
export const isLiteral = (v: unknown): boolean => typeof v === "string" && v.length > 0 && !v.includes("${");

/** Names that suggest a secret (API_KEY, DB_PASSWORD, GITHUB_TOKEN...), not a pointer to one (..._ARN, ..._NAME, ..._PARAMETER). */
export function looksLikeSecretName(name: string): boolean {
  if (/(_|^)(ARN|NAME|URL|URI|ID|PARAMETER|PARAM|PATH|REF|HEADER|TTL|LENGTH|FIELD|ATTRIBUTE|COLUMN)$/i.test(name)) return false;
  return /(secret|password|passwd|pwd|token|api_?key|access_?key|private_?key|credential|(^|_)key$)/i.test(name);
}

/** Statements `resource` spells out in a `policy` argument (document reference or literal JSON), empty when unreadable. */
export function statementsOf(value: unknown, stack: StackIndex): NormalizedStatement[] {
  return policyStatements(value, stack)?.statements ?? [];
}

/** A Deny of `service:*` (or `*`) when aws:SecureTransport is false. */
export function deniesInsecureTransport(statements: readonly NormalizedStatement[], service: string): boolean {
  return statements.some(
    (s) =>
      s.effect === "Deny" &&
      s.actions.some((a) => a === "*" || a === `${service}:*`) &&
      s.conditions.some((c) => c.test === "Bool" && c.variable === "aws:SecureTransport" && c.values.includes("false")),
  );
}
