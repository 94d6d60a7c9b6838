import type { PolicyRule } from "../rule";
import { asList } from "../helpers";

/** API stages write access logs (who called what, status, latency). */
export const ApigwAccessLogs: PolicyRule = {
  id: "APIGW-ACCESS-LOGS",
  description: "API Gateway stages (REST and HTTP) have access_log_settings with a destination",
  level: "error",
  equivalents: { checkov: "CKV_AWS_76", trivy: "AVD-AWS-0001", cdkNag: "AwsSolutions-APIG1" },
  resourceTypes: ["aws_api_gateway_stage", "aws_apigatewayv2_stage"],
  check(stage) {
    const settings = asList(stage.config.access_log_settings)[0] as any;
    if (!settings?.destination_arn) return "has no access_log_settings.destination_arn";
    return settings.format ? undefined : "access_log_settings has no format";
  },
};
