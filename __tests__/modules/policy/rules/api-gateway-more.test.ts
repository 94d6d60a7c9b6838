import { Construct } from "constructs";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { describeRule, merge, res } from "../rule-cases";
import { synthJson } from "../../../helpers/synth";
import { ApigwExecutionLogging } from "../../../../modules/policy/rules/apigw-execution-logging";
import { ApigwWriteAuthorization } from "../../../../modules/policy/rules/apigw-write-authorization";
import { ApigwXray } from "../../../../modules/policy/rules/apigw-xray";
import { ApigwRequestValidation } from "../../../../modules/policy/rules/apigw-request-validation";
import { ApiAuthorization, IApiFunction, RestApi, RestApiProps, RestApiRoute } from "../../../../modules/api/rest-api";
import { CREATE_HAIKU_SCHEMA } from "../../../../lambdas/haiku/routes";

class StubFunction extends Construct implements IApiFunction {
  readonly invokeArn = "arn:aws:apigateway:ap-northeast-1:lambda:path/2015-03-31/functions/f/invocations";
  grantInvoke(principal: { service: string; sourceArn?: string }, id = "Invoke"): LambdaPermission {
    return new LambdaPermission(this, id, { functionName: this.node.id, action: "lambda:InvokeFunction", principal: principal.service, sourceArn: principal.sourceArn });
  }
}

const api = (routes: (s: Construct) => RestApiRoute[], extra: Partial<RestApiProps> = {}) => () =>
  synthJson((s) => void new RestApi(s, "Api", { routes: routes(s), ...extra }));
const haiku = (s: Construct): RestApiRoute[] => [
  { method: "GET", path: "/haiku", function: new StubFunction(s, "list") },
  { method: "POST", path: "/haiku", function: new StubFunction(s, "create"), requestSchema: CREATE_HAIKU_SCHEMA, modelName: "CreateHaiku", throttle: { rateLimit: 10, burstLimit: 20 } },
  { method: "PATCH", path: "/haiku/{item_id}", function: new StubFunction(s, "like"), throttle: { rateLimit: 10, burstLimit: 20 } },
  { method: "DELETE", path: "/admin/haiku/{item_id}", function: new StubFunction(s, "admin"), authorization: ApiAuthorization.IAM },
];

describeRule(ApigwExecutionLogging, {
  compliant: [
    { name: "RestApi default (ERROR into a declared log group)", tf: api(haiku) },
    { name: "RestApi at INFO", tf: api(haiku, { executionLoggingLevel: "INFO" }) },
  ],
  noncompliant: [
    {
      name: "stage with logging OFF",
      tf: merge(
        res("aws_api_gateway_stage", "s", { rest_api_id: "${aws_api_gateway_rest_api.a.id}", stage_name: "prod" }),
        res("aws_api_gateway_method_settings", "m", { rest_api_id: "${aws_api_gateway_rest_api.a.id}", stage_name: "${aws_api_gateway_stage.s.stage_name}", method_path: "*/*", settings: { logging_level: "OFF" } }),
      ),
      message: /aws_api_gateway_method_settings\.m has OFF/,
    },
    {
      name: "ERROR logging without a declared log group",
      tf: merge(
        res("aws_api_gateway_stage", "s", { rest_api_id: "${aws_api_gateway_rest_api.a.id}", stage_name: "prod" }),
        res("aws_api_gateway_method_settings", "m", { rest_api_id: "${aws_api_gateway_rest_api.a.id}", stage_name: "${aws_api_gateway_stage.s.stage_name}", method_path: "*/*", settings: { logging_level: "ERROR" } }),
      ),
      message: /does not declare/,
    },
  ],
});

describeRule(ApigwWriteAuthorization, {
  compliant: [{ name: "the haiku routes: throttled anonymous POST/PATCH, IAM-signed admin DELETE", tf: api(haiku) }],
  noncompliant: [
    {
      name: "anonymous DELETE without a throttle of its own",
      tf: api((s) => [{ method: "DELETE", path: "/haiku/{item_id}", function: new StubFunction(s, "delete") }]),
      message: /DELETE \/haiku\/\{item_id\} takes anonymous writes/,
    },
  ],
});

describeRule(ApigwXray, {
  compliant: [{ name: "RestApi default", tf: api(haiku) }],
  noncompliant: [{ name: "RestApi with tracing false", tf: api(haiku, { tracing: false }), message: /X-Ray tracing off/ }],
});

describeRule(ApigwRequestValidation, {
  compliant: [{ name: "POST with a schema (model + body validator); PATCH without a body", tf: api(haiku) }],
  noncompliant: [
    { name: "POST without a schema", tf: api((s) => [{ method: "POST", path: "/items", function: new StubFunction(s, "create") }]), message: /POST takes a body but has no request_validator_id/ },
    {
      name: "validator that checks parameters only",
      tf: merge(
        res("aws_api_gateway_method", "m", { http_method: "PUT", request_validator_id: "${aws_api_gateway_request_validator.v.id}", request_models: { "application/json": "M" } }),
        res("aws_api_gateway_request_validator", "v", { validate_request_body: false, validate_request_parameters: true }),
      ),
      message: /aws_api_gateway_request_validator\.v does not set validate_request_body/,
    },
  ],
});
