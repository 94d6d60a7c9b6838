import type { PolicyRule, ResourceView, StackIndex } from "../rule";

/** Whether anyone on the internet can invoke the function (API Gateway permission, function URL without auth). */
export function isPublicFacing(fn: ResourceView, stack: StackIndex): boolean {
  const refers = (v: unknown) => stack.resolveReference(v) === fn || (typeof v === "string" && v === fn.config.function_name);
  if (stack.byType("aws_lambda_permission").some((p) => refers(p.config.function_name) && String(p.config.principal).startsWith("apigateway."))) return true;
  return stack.byType("aws_lambda_function_url").some((u) => refers(u.config.function_name) && u.config.authorization_type === "NONE");
}

/**
 * A public-facing function caps its concurrency, so a flood of requests
 * cannot take the account's whole Lambda pool (and the bill) with it.
 */
export const LambdaPublicConcurrency: PolicyRule = {
  id: "LAMBDA-PUBLIC-CONCURRENCY",
  description: "Lambda functions behind API Gateway or a public function URL set reserved_concurrent_executions (> 0)",
  level: "warning",
  equivalents: { checkov: "CKV_AWS_115", trivy: "(none)", cdkNag: "(none)" },
  moduleDefault: "RestApi stage throttling caps request rates; the haiku functions reserve stacks.bashoutter.reservedConcurrency when set, else suppress with the reason (new accounts have 10 concurrent executions, nothing to reserve)",
  resourceTypes: ["aws_lambda_function"],
  check(fn, stack) {
    if (!isPublicFacing(fn, stack)) return undefined;
    const reserved = fn.config.reserved_concurrent_executions;
    return reserved !== undefined && Number(reserved) > 0 ? undefined : "is invoked from the internet without reserved_concurrent_executions";
  },
};
