import type { PolicyRule } from "../rule";
import { isTrue } from "../helpers";

/** X-Ray tracing on the stage: one trace from API Gateway through Lambda to DynamoDB. */
export const ApigwXray: PolicyRule = {
  id: "APIGW-XRAY",
  description: "API Gateway stages set xray_tracing_enabled (cost: 100,000 traces a month free, then 5 USD per million)",
  level: "info",
  equivalents: { checkov: "CKV_AWS_73", trivy: "AVD-AWS-0003", cdkNag: "NIST.800.53.R5-APIGWXrayEnabled" },
  moduleDefault: "RestApi: tracing on (DEFAULT_API_TRACING), with the functions' Active tracing",
  resourceTypes: ["aws_api_gateway_stage"],
  check(stage) {
    return isTrue(stage.config.xray_tracing_enabled) ? undefined : "has X-Ray tracing off";
  },
};
