import type { PolicyRule } from "../rule";
import { address, isTrue } from "../helpers";

/**
 * API Gateway refuses malformed bodies before they reach (and bill) a
 * function. Cross-resource: method <-> request validator <-> model. A
 * method has a body when it is POST or PUT or declares request_models
 * (a PATCH that takes no body, like PATCH /haiku/{item_id}, declares none).
 */
export const ApigwRequestValidation: PolicyRule = {
  id: "APIGW-REQUEST-VALIDATION",
  description: "API Gateway methods with a body (POST, PUT, or request_models) use a request validator with validate_request_body and a model",
  level: "error",
  equivalents: { checkov: "(none)", trivy: "(none)", cdkNag: "AwsSolutions-APIG2" },
  moduleDefault: "RestApi: a route with requestSchema gets a model and the body validator (the haiku POST); a POST/PUT route without a schema fails synth through this rule",
  resourceTypes: ["aws_api_gateway_method"],
  check(method, stack) {
    const models = method.config.request_models && Object.keys(method.config.request_models).length > 0;
    if (!["POST", "PUT"].includes(String(method.config.http_method)) && !models) return undefined;
    const validator = stack.resolveReference(method.config.request_validator_id);
    if (!validator || validator.type !== "aws_api_gateway_request_validator") return `${method.config.http_method} takes a body but has no request_validator_id`;
    if (!isTrue(validator.config.validate_request_body)) return `its validator ${address(validator)} does not set validate_request_body`;
    return models ? undefined : `${method.config.http_method} validates against no model (request_models unset)`;
  },
};
