import type { PolicyRule, ResourceView, StackIndex } from "../rule";
import { asList } from "../helpers";

const limited = (s: any) => s && Number(s.throttling_rate_limit) > 0 && Number(s.throttling_burst_limit) > 0;

function methodSettingsOf(stage: ResourceView, stack: StackIndex): ResourceView[] {
  return stack.byType("aws_api_gateway_method_settings").filter((m) => {
    if (stack.resolveReference(m.config.stage_name) === stage) return true;
    return m.config.stage_name === stage.config.stage_name && m.config.rest_api_id === stage.config.rest_api_id;
  });
}

/**
 * Stages cap requests per second, so a loop in a client (or an attacker)
 * cannot run up the Lambda and DynamoDB bill. REST: an
 * `aws_api_gateway_method_settings` for all methods (`*\/*`) with rate and
 * burst limits; HTTP APIs: `default_route_settings`.
 */
export const ApigwThrottling: PolicyRule = {
  id: "APIGW-THROTTLING",
  description: "API Gateway stages set throttling rate and burst limits for all methods",
  level: "error",
  equivalents: { checkov: "(none; CKV_AWS_225 covers method settings caching)", trivy: "(none)", cdkNag: "(none; Well-Architected REL05-BP02)" },
  resourceTypes: ["aws_api_gateway_stage", "aws_apigatewayv2_stage"],
  check(stage, stack) {
    if (stage.type === "aws_apigatewayv2_stage") {
      return limited(asList(stage.config.default_route_settings)[0]) ? undefined : "default_route_settings has no throttling_rate_limit / throttling_burst_limit";
    }
    const all = methodSettingsOf(stage, stack).filter((m) => m.config.method_path === "*/*");
    if (all.length === 0) return 'has no aws_api_gateway_method_settings for method_path "*/*"';
    return all.some((m) => limited(asList(m.config.settings)[0])) ? undefined : 'its "*/*" method settings set no throttling_rate_limit and throttling_burst_limit';
  },
};
