import { Construct } from "constructs";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { ApiGatewayStage } from "@cdktf/provider-aws/lib/api-gateway-stage";
import { ApiGatewayMethodSettings } from "@cdktf/provider-aws/lib/api-gateway-method-settings";
import { ApiGatewayRequestValidator } from "@cdktf/provider-aws/lib/api-gateway-request-validator";
import { ApiAuthorization, IApiFunction, RestApi, RestApiRoute } from "../../../modules/api/rest-api";
import { CREATE_HAIKU_SCHEMA } from "../../../lambdas/haiku/routes";
import { onlyResource, resourcesOf, synthJson, synthScope } from "../../helpers/synth";

/** A stand-in for NodeFunction: records the API's permission as a real aws_lambda_permission. */
class StubFunction extends Construct implements IApiFunction {
  readonly invokeArn: string;
  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.invokeArn = `arn:aws:apigateway:ap-northeast-1:lambda:path/2015-03-31/functions/${id}/invocations`;
  }
  grantInvoke(principal: { service: string; sourceArn?: string }, id = "Invoke"): LambdaPermission {
    return new LambdaPermission(this, id, { functionName: this.node.id, action: "lambda:InvokeFunction", principal: principal.service, sourceArn: principal.sourceArn });
  }
}

function haikuRoutes(s: Construct): RestApiRoute[] {
  return [
    { method: "GET", path: "/haiku", function: new StubFunction(s, "list") },
    { method: "POST", path: "/haiku", function: new StubFunction(s, "create"), requestSchema: CREATE_HAIKU_SCHEMA, modelName: "CreateHaiku" },
    { method: "PATCH", path: "/haiku/{item_id}", function: new StubFunction(s, "like") },
    { method: "DELETE", path: "/haiku/{item_id}", function: new StubFunction(s, "delete") },
  ];
}

const build = (extra: Partial<ConstructorParameters<typeof RestApi>[2]> = {}) => (s: Construct) => new RestApi(s, "Api", { routes: haikuRoutes(s), ...extra });
const values = (json: any, type: string) => Object.values(resourcesOf(json, type)) as any[];

describe("RestApi", () => {
  test("builds the resource tree and one AWS_PROXY integration per route", () => {
    const json = synthJson(build());
    expect(values(json, "aws_api_gateway_resource").map((r) => r.path_part).sort()).toEqual(["haiku", "{item_id}"]);
    const methods = values(json, "aws_api_gateway_method").map((m) => m.http_method).sort();
    expect(methods).toEqual(["DELETE", "GET", "OPTIONS", "OPTIONS", "PATCH", "POST"]);
    const proxies = values(json, "aws_api_gateway_integration").filter((i) => i.type === "AWS_PROXY");
    expect(proxies).toHaveLength(4);
    expect(proxies.every((i) => i.integration_http_method === "POST")).toBe(true);
    expect(proxies.map((i) => i.uri).sort()[0]).toMatch(/functions\/create\/invocations/);
  });

  test("validates the POST body at the gateway with the route's schema", () => {
    const out = synthScope(build());
    const json = JSON.parse(out);
    expect(out).toHaveResourceWithProperties(ApiGatewayRequestValidator, { validate_request_body: true, validate_request_parameters: false });
    const model = onlyResource(json, "aws_api_gateway_model");
    expect(model).toMatchObject({ name: "CreateHaiku", content_type: "application/json" });
    expect(JSON.parse(model.schema)).toMatchObject({ additionalProperties: false, required: ["username", "first", "second", "third"] });
    const post = values(json, "aws_api_gateway_method").find((m) => m.http_method === "POST");
    expect(post.request_models).toEqual({ "application/json": expect.stringMatching(/aws_api_gateway_model\..*\.name/) });
    expect(post.request_validator_id).toMatch(/aws_api_gateway_request_validator/);
    const get = values(json, "aws_api_gateway_method").find((m) => m.http_method === "GET");
    expect(get.request_validator_id).toBeUndefined();
  });

  test("answers CORS preflight on both resources with a MOCK integration", () => {
    const json = synthJson(build({ cors: { exposeHeaders: ["X-Next-Cursor"] } }));
    expect(values(json, "aws_api_gateway_integration").filter((i) => i.type === "MOCK")).toHaveLength(2);
    const responses = values(json, "aws_api_gateway_integration_response").map((r) => r.response_parameters);
    expect(responses).toHaveLength(2);
    for (const r of responses) {
      expect(r["method.response.header.Access-Control-Allow-Origin"]).toBe("'*'");
      expect(r["method.response.header.Access-Control-Expose-Headers"]).toBe("'X-Next-Cursor'");
    }
    expect(responses.map((r) => r["method.response.header.Access-Control-Allow-Methods"]).sort()).toEqual(["'GET,POST,OPTIONS'", "'PATCH,DELETE,OPTIONS'"]);
  });

  test("adds CORS headers and a description body to gateway 4XX and 5XX errors", () => {
    const json = synthJson(build());
    const responses = values(json, "aws_api_gateway_gateway_response");
    expect(responses.map((r) => r.response_type).sort()).toEqual(["DEFAULT_4XX", "DEFAULT_5XX", "THROTTLED"]);
    for (const r of responses) {
      expect(r.response_parameters["gatewayresponse.header.Access-Control-Allow-Origin"]).toBe("'*'");
      if (r.response_type !== "THROTTLED") expect(r.response_templates["application/json"]).toBe('{"description":$context.error.messageString}');
    }
  });

  test("answers throttled requests with 429, a JSON description and Retry-After", () => {
    const throttled = values(synthJson(build({ throttledRetryAfterSeconds: 3 })), "aws_api_gateway_gateway_response").find((r) => r.response_type === "THROTTLED");
    expect(throttled.status_code).toBe("429");
    expect(throttled.response_parameters["gatewayresponse.header.Retry-After"]).toBe("'3'");
    expect(JSON.parse(throttled.response_templates["application/json"])).toEqual({ description: "Too many requests: this API's rate limit was exceeded; retry after 3 s" });
  });

  test("sets IAM authorization on the routes that ask for it, NONE elsewhere", () => {
    const json = synthJson((s) => new RestApi(s, "Api", { routes: [...haikuRoutes(s), { method: "DELETE", path: "/admin/haiku/{item_id}", function: new StubFunction(s, "admin"), authorization: ApiAuthorization.IAM }] }));
    const methods = values(json, "aws_api_gateway_method").filter((m) => m.http_method !== "OPTIONS");
    expect(methods.map((m) => m.authorization).sort()).toEqual(["AWS_IAM", "NONE", "NONE", "NONE", "NONE"]);
    expect(values(json, "aws_api_gateway_resource").map((r) => r.path_part).sort()).toEqual(["admin", "haiku", "haiku", "{item_id}", "{item_id}"]);
  });

  test("overrides the stage's throttle per method, with API Gateway's ~1-escaped method path", () => {
    const json = synthJson((s) => new RestApi(s, "Api", { routes: haikuRoutes(s).map((r) => (r.method === "POST" || r.method === "PATCH" ? { ...r, throttle: { rateLimit: 3, burstLimit: 6 } } : r)) }));
    const settings = values(json, "aws_api_gateway_method_settings");
    expect(settings.map((m) => m.method_path).sort()).toEqual(["*/*", "~1haiku/POST", "~1haiku~1{item_id}/PATCH"]);
    for (const m of settings.filter((x) => x.method_path !== "*/*")) {
      expect(m.settings).toEqual({ throttling_rate_limit: 3, throttling_burst_limit: 6, logging_level: "ERROR", metrics_enabled: false });
      expect(m.stage_name).toMatch(/aws_api_gateway_stage\..*\.stage_name/);
    }
  });

  test("redeploys when the definition changes, creating the new deployment first", () => {
    const a = onlyResource(synthJson(build()), "aws_api_gateway_deployment");
    expect(a.lifecycle.create_before_destroy).toBe(true);
    expect(a.triggers.definition).toMatch(/^[0-9a-f]{64}$/);
    expect(a.triggers.resources).toMatch(/sha1/);
    expect(a.depends_on.length).toBeGreaterThanOrEqual(10);
    const again = onlyResource(synthJson(build()), "aws_api_gateway_deployment");
    expect(again.triggers.definition).toBe(a.triggers.definition);
    const changed = onlyResource(
      synthJson((s) => new RestApi(s, "Api", { routes: haikuRoutes(s).map((r) => (r.requestSchema ? { ...r, requestSchema: { ...r.requestSchema, title: "v2" } } : r)) })),
      "aws_api_gateway_deployment",
    );
    expect(changed.triggers.definition).not.toBe(a.triggers.definition);
  });

  test("throttles the prod stage, writes JSON access logs and ERROR execution logs to log groups with retention, traces with X-Ray", () => {
    const out = synthScope(build({ throttle: { rateLimit: 10, burstLimit: 20 } }));
    const json = JSON.parse(out);
    expect(out).toHaveResourceWithProperties(ApiGatewayMethodSettings, {
      method_path: "*/*",
      settings: expect.objectContaining({ throttling_rate_limit: 10, throttling_burst_limit: 20, logging_level: "ERROR" }),
    });
    expect(out).toHaveResourceWithProperties(ApiGatewayStage, { stage_name: "prod" });
    const stage = onlyResource(json, "aws_api_gateway_stage");
    expect(stage.access_log_settings.destination_arn).toMatch(/aws_cloudwatch_log_group\..*\.arn/);
    expect(JSON.parse(stage.access_log_settings.format)).toHaveProperty("status", "$context.status");
    expect(stage.xray_tracing_enabled).toBe(true);
    const groups = Object.values(resourcesOf(json, "aws_cloudwatch_log_group")) as any[];
    expect(groups.map((g) => g.retention_in_days)).toEqual([14, 14]);
    // The execution log group API Gateway would otherwise create without retention, declared before the method settings use it.
    const execution = groups.find((g) => String(g.name).startsWith("API-Gateway-Execution-Logs_"))!;
    expect(execution.name).toMatch(/^API-Gateway-Execution-Logs_\$\{aws_api_gateway_rest_api\..*\.id\}\/prod$/);
    const all = Object.values(resourcesOf(json, "aws_api_gateway_method_settings")) as any[];
    expect(all.every((m) => m.depends_on?.some((d: string) => d.startsWith("aws_cloudwatch_log_group.")))).toBe(true);
    expect(stage.depends_on[0]).toMatch(/aws_api_gateway_account/);
  });

  test("sets the account's CloudWatch role for logging, and can leave it to another stack", () => {
    const json = synthJson(build());
    expect(onlyResource(json, "aws_api_gateway_account")).toMatchObject({ reset_on_delete: true, cloudwatch_role_arn: expect.stringMatching(/aws_iam_role/) });
    expect(Object.values(resourcesOf(json, "aws_iam_role_policy_attachment"))[0]).toMatchObject({ policy_arn: expect.stringContaining("service-role/AmazonAPIGatewayPushToCloudWatchLogs") });
    const without = synthJson(build({ manageAccountLoggingRole: false }));
    expect(resourcesOf(without, "aws_api_gateway_account")).toEqual({});
  });

  test("scopes each function's invoke permission to its own method and path", () => {
    const json = synthJson(build());
    const arns = values(json, "aws_lambda_permission").map((p) => p.source_arn.replace(/\$\{aws_api_gateway_rest_api\.[^}]+\.execution_arn\}/, "<api>"));
    expect(arns.sort()).toEqual(["<api>/*/DELETE/haiku/*", "<api>/*/GET/haiku", "<api>/*/PATCH/haiku/*", "<api>/*/POST/haiku"]);
    expect(values(json, "aws_lambda_permission").every((p) => p.principal === "apigateway.amazonaws.com")).toBe(true);
  });

  test("rejects bad routes, stage names, throttles and retention, naming the prop", () => {
    const f = (s: Construct) => new StubFunction(s, "f");
    expect(() => synthScope((s) => new RestApi(s, "Api", { routes: [] }))).toThrow(/routes/);
    expect(() => synthScope((s) => new RestApi(s, "Api", { routes: [{ method: "GET", path: "haiku", function: f(s) }] }))).toThrow(/routes\[0\]\.path/);
    expect(() => synthScope((s) => new RestApi(s, "Api", { routes: [{ method: "TRACE" as never, path: "/a", function: f(s) }] }))).toThrow(/routes\[0\]\.method/);
    expect(() =>
      synthScope((s) => new RestApi(s, "Api", { routes: [{ method: "GET", path: "/a", function: f(s) }, { method: "GET", path: "/a", function: new StubFunction(s, "g") }] })),
    ).toThrow(/defined twice/);
    expect(() => synthScope(build({ stageName: "prod-1" }))).toThrow(/stageName/);
    expect(() => synthScope(build({ throttle: { rateLimit: 0, burstLimit: 10 } }))).toThrow(/throttle.rateLimit/);
    expect(() => synthScope(build({ throttle: { rateLimit: 10, burstLimit: 1.5 } }))).toThrow(/throttle.burstLimit/);
    expect(() => synthScope(build({ accessLogRetentionDays: 10 }))).toThrow(/accessLogRetentionDays/);
    expect(() => synthScope((s) => new RestApi(s, "Api", { routes: [{ method: "POST", path: "/a", function: f(s), throttle: { rateLimit: 5, burstLimit: 0 } }] }))).toThrow(/routes\[0\]\.throttle\.burstLimit/);
    expect(() => synthScope((s) => new RestApi(s, "Api", { routes: [{ method: "GET", path: "/a", function: f(s), authorization: "COGNITO" as never }] }))).toThrow(/routes\[0\]\.authorization/);
    expect(() => synthScope(build({ throttledRetryAfterSeconds: 0 }))).toThrow(/throttledRetryAfterSeconds/);
    expect(() => synthScope((s) => new RestApi(s, "Api", { routes: [{ method: "POST", path: "/a", function: f(s), requestSchema: {}, modelName: "bad-name" }] }))).toThrow(/modelName/);
  });

  test("namespaces each path segment and method, so /a/{id} and /a/id get constructs of their own", () => {
    const json = synthJson((s) =>
      new RestApi(s, "Api", {
        routes: [
          { method: "GET", path: "/a/{id}", function: new StubFunction(s, "braced") },
          { method: "GET", path: "/a/id", function: new StubFunction(s, "plain") },
        ],
      }),
    );
    const methods = Object.keys(resourcesOf(json, "aws_api_gateway_method"));
    expect(methods.filter((k) => k.includes("_GET_"))).toHaveLength(2);
    expect(Object.keys(resourcesOf(json, "aws_api_gateway_resource"))).toHaveLength(3);
    // The earlier flat ids: "GetAId" and "AId" were shared (such an API could not be synthesized, so no move from them);
    // "/a" had its own ("ResourceA"), moved.
    const from = ((json as any).moved ?? []).map((m: { from: string }) => m.from);
    expect(from.filter((a: string) => /GetAId|ResourceAId/.test(a))).toEqual([]);
    expect(from).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_api_gateway_resource\.Api_ResourceA_/)]));
  });
});
