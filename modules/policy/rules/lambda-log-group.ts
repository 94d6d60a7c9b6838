import type { PolicyRule } from "../rule";

/**
 * A function's log group is declared in the stack (with retention), not
 * created by Lambda on first run: that one never expires and survives
 * `destroy`, billable forever.
 */
export const LambdaLogGroup: PolicyRule = {
  id: "LAMBDA-LOG-GROUP",
  description: "Lambda functions log to a log group declared in the stack (logging_config.log_group or /aws/lambda/<name>)",
  level: "error",
  equivalents: { checkov: "(none; pairs with CKV_AWS_338)", trivy: "(none)", cdkNag: "(none; aws-cdk logRetention / logGroup)" },
  resourceTypes: ["aws_lambda_function"],
  check(fn, stack) {
    const groups = stack.byType("aws_cloudwatch_log_group");
    const configured = fn.config.logging_config?.log_group ?? (Array.isArray(fn.config.logging_config) ? fn.config.logging_config[0]?.log_group : undefined);
    if (configured !== undefined) {
      const target = stack.resolveReference(configured);
      if (target?.type === "aws_cloudwatch_log_group") return undefined;
      if (groups.some((g) => g.config.name === configured)) return undefined;
      return `logging_config.log_group (${configured}) is not a log group of this stack`;
    }
    const name = fn.config.function_name;
    const self = `aws_lambda_function.${fn.name}.function_name`;
    const matches = groups.some((g) => {
      const n = g.config.name;
      if (typeof n !== "string") return false;
      return n === `/aws/lambda/${name}` || n.includes(self) || (typeof name === "string" && name.includes("${") && n === `/aws/lambda/${name}`);
    });
    return matches ? undefined : `no aws_cloudwatch_log_group named /aws/lambda/${name} and no logging_config.log_group: Lambda would create one that never expires and outlives destroy`;
  },
};
