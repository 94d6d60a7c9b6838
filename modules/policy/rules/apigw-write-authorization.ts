import type { PolicyRule } from "../rule";
import { isTrue } from "../helpers";
import { WRITE_METHODS, methodSettings, methodSettingsPath } from "../apigw";

/**
 * Anonymous writes are a decision, not an accident: a write method needs
 * an authorizer (IAM, Cognito, Lambda), an API key, or at least its own
 * tighter throttle (the haiku API's anonymous POST/PATCH).
 */
export const ApigwWriteAuthorization: PolicyRule = {
  id: "APIGW-WRITE-AUTHORIZATION",
  description: "API Gateway POST/PUT/PATCH/DELETE methods have authorization (or an API key), or a method-level throttle of their own",
  level: "warning",
  equivalents: { checkov: "CKV_AWS_59", trivy: "AVD-AWS-0004", cdkNag: "AwsSolutions-APIG4" },
  moduleDefault: "RestApi routes default to NONE; the haiku API signs admin deletes (AWS_IAM), throttles anonymous POST/PATCH (stacks.bashoutter.writeThrottle) and checks a delete token",
  resourceTypes: ["aws_api_gateway_method"],
  check(method, stack) {
    if (!WRITE_METHODS.includes(String(method.config.http_method))) return undefined;
    if (String(method.config.authorization ?? "NONE") !== "NONE" || isTrue(method.config.api_key_required)) return undefined;
    const path = methodSettingsPath(method, stack);
    const throttled = methodSettings(stack).some((m) => m.path === path && m.settings.throttling_rate_limit !== undefined);
    return throttled ? undefined : `${method.config.http_method} ${path ? path.replace(/~1/g, "/").replace(/\/[A-Z]+$/, "") : ""} takes anonymous writes with no authorizer, API key or throttle of its own`;
  },
};
