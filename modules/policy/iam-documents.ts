/**
 * Every IAM policy a stack writes, wherever it was written: each
 * `aws_iam_policy_document` data source, and literal JSON in
 * `aws_iam_policy`, `aws_iam_*_policy` and `aws_iam_role.inline_policy`.
 * A `policy` that points at a policy document is checked on the document.
 */
import type { ResourceView, StackIndex } from "./rule";
import { NormalizedStatement, asList, documentStatements, jsonStatements } from "./helpers";

export const IAM_POLICY_TYPES = [
  "data.aws_iam_policy_document",
  "aws_iam_policy",
  "aws_iam_role_policy",
  "aws_iam_user_policy",
  "aws_iam_group_policy",
  "aws_iam_role",
] as const;

/** The statements `resource` itself spells out (not those of a referenced document). */
export function ownStatements(resource: ResourceView, stack: StackIndex): NormalizedStatement[] {
  if (resource.mode === "data") return resource.type === "aws_iam_policy_document" ? documentStatements(resource) : [];
  const literal = (v: unknown) => (stack.resolveReference(v) ? [] : (jsonStatements(v) ?? []));
  if (resource.type === "aws_iam_role") return asList(resource.config.inline_policy).flatMap((p: any) => literal(p.policy));
  return literal(resource.config.policy);
}

/** `*`, or a whole service (`s3:*`). */
export function isWildcardAction(action: string): boolean {
  return action === "*" || /^[A-Za-z0-9-]+:\*$/.test(action);
}

const READ_VERBS = /^(Get|List|Describe|BatchGet|BatchCheck|Query|Scan|Search|Lookup|View|Head|Check|Select|Filter|Download|Validate|Simulate|Estimate|Preview)/;

/**
 * Write actions the Service Authorization Reference lists with no resource
 * types: `Resource: *` is the only thing IAM accepts for them.
 */
export const NO_RESOURCE_LEVEL_ACTIONS: readonly string[] = [
  "cloudwatch:PutMetricData",
  "xray:PutTraceSegments",
  "xray:PutTelemetryRecords",
  "ssmmessages:CreateControlChannel",
  "ssmmessages:CreateDataChannel",
  "ssmmessages:OpenControlChannel",
  "ssmmessages:OpenDataChannel",
  "ec2:CreateNetworkInterface",
  "ec2:DeleteNetworkInterface",
  "ec2:AssignPrivateIpAddresses",
  "ec2:UnassignPrivateIpAddresses",
  "ecr:GetAuthorizationToken",
  "ecs:RegisterTaskDefinition",
  "ecs:DeregisterTaskDefinition",
  "ecs:CreateCluster",
  "logs:CreateLogGroup",
];

/** Whether an action changes something (not a Get/List/Describe-style read). */
export function isWriteAction(action: string): boolean {
  if (isWildcardAction(action)) return true;
  const verb = action.split(":")[1] ?? action;
  if (verb.includes("*")) return !READ_VERBS.test(verb.replace(/\*.*/, "")) || verb.startsWith("*");
  return !READ_VERBS.test(verb);
}
