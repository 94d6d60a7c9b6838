import type { PolicyRule } from "../rule";
import { address } from "../helpers";
import { methodSettings } from "../apigw";

const LEVELS = ["ERROR", "INFO"];

/**
 * A REST API stage writes execution logs (at least errors: integration
 * failures, authorizer and throttling decisions) into a log group the
 * stack declares with retention - API Gateway would otherwise create
 * `API-Gateway-Execution-Logs_<id>/<stage>` itself, never expiring, left
 * behind by destroy. Cross-resource: stage <-> method settings <-> log group.
 */
export const ApigwExecutionLogging: PolicyRule = {
  id: "APIGW-EXECUTION-LOGGING",
  description: "API Gateway REST stages set logging_level ERROR or INFO for */* (and no method turns it OFF), into a declared log group with retention",
  level: "error",
  equivalents: { checkov: "CKV2_AWS_4", trivy: "(none)", cdkNag: "AwsSolutions-APIG6" },
  moduleDefault: "RestApi: logging_level ERROR (DEFAULT_EXECUTION_LOGGING_LEVEL) into API-Gateway-Execution-Logs_<id>/<stage> with the API's retention; cost ~0.76 USD per GB ingested, errors only",
  resourceTypes: ["aws_api_gateway_stage"],
  check(stage, stack) {
    const mine = methodSettings(stack).filter((m) => stack.resolveReference(m.resource.config.stage_name) === stage || m.resource.config.stage_name === stage.config.stage_name);
    const all = mine.find((m) => m.path === "*/*");
    if (!all || !LEVELS.includes(String(all.settings.logging_level))) {
      return `no aws_api_gateway_method_settings for */* with logging_level ERROR or INFO${all ? ` (${address(all.resource)} has ${all.settings.logging_level ?? "none"})` : ""}`;
    }
    const off = mine.filter((m) => m !== all && !LEVELS.includes(String(m.settings.logging_level)));
    if (off.length) return `${off.map((m) => `${address(m.resource)} (${m.path})`).join(", ")} turn(s) execution logging off`;
    const declared = stack.byType("aws_cloudwatch_log_group").some((g) => {
      const n = String(g.config.name ?? "");
      return n.startsWith("API-Gateway-Execution-Logs_") && stack.referencesIn(n).includes(stack.resolveReference(stage.config.rest_api_id)!);
    });
    return declared ? undefined : "execution logs go to API-Gateway-Execution-Logs_<id>/<stage>, which the stack does not declare (API Gateway would create it without retention)";
  },
};
