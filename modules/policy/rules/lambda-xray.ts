import type { PolicyRule } from "../rule";
import { asList } from "../helpers";

/** Active X-Ray tracing: where a slow or failing request spent its time. */
export const LambdaXray: PolicyRule = {
  id: "LAMBDA-XRAY",
  description: "Lambda functions set tracing_config.mode = Active (cost: 100,000 traces a month free, then 5 USD per million)",
  level: "warning",
  equivalents: { checkov: "CKV_AWS_50", trivy: "AVD-AWS-0066", cdkNag: "NIST.800.53.R5-LambdaTracing" },
  moduleDefault: "NodeFunction: tracing Active (DEFAULT_TRACING); a course's few thousand calls stay inside X-Ray's free tier",
  resourceTypes: ["aws_lambda_function"],
  check(fn) {
    const mode = (asList(fn.config.tracing_config)[0] as any)?.mode;
    return mode === "Active" ? undefined : `tracing_config.mode is ${mode ?? "unset (PassThrough)"}, not Active`;
  },
};
