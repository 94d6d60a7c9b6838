import { BashoutterStack } from "../../stacks/bashoutter";
import { HAIKU_ROUTES } from "../../lambdas/haiku/routes";
import { testConfig } from "../helpers/config";
import { resourcesOf, synthStack, TfJson } from "../helpers/synth";

const synth = (overrides: Record<string, unknown> = {}) =>
  synthStack((app) => new BashoutterStack(app, "bashoutter", testConfig({ stacks: { bashoutter: overrides } }))).json;

const values = (json: TfJson, type: string) => Object.entries(resourcesOf(json, type)) as Array<[string, any]>;
const pathOf = (r: any): string => r["//"]?.metadata?.path ?? "";

describe("BashoutterStack", () => {
  let json: TfJson;
  beforeAll(() => {
    json = synth();
  });

  test("deploys one function per route, each told its table", () => {
    const fns = values(json, "aws_lambda_function");
    expect(fns).toHaveLength(HAIKU_ROUTES.length);
    for (const [, fn] of fns) expect(fn.environment.variables.TABLE_NAME).toMatch(/aws_dynamodb_table\..*\.name/);
  });

  test("only the GET function gets the cursor-signing secret, made once by terraform_data", () => {
    const secret = Object.values(resourcesOf(json, "terraform_data"))[0] as any;
    expect(secret).toMatchObject({ input: { secret: "${uuid()}" }, lifecycle: { ignore_changes: ["input"] } });
    const withSecret = values(json, "aws_lambda_function").filter(([, fn]) => fn.environment.variables.CURSOR_SECRET);
    expect(withSecret.map(([, fn]) => fn.description)).toEqual([expect.stringMatching(/^GET \/haiku/)]);
    expect(withSecret[0][1].environment.variables.CURSOR_SECRET).toBe('${terraform_data.CursorSecret.output["secret"]}');
  });

  test("lists from an on-demand table keyed by item_id alone: no index, no constant partition for writes", () => {
    const [[, table]] = values(json, "aws_dynamodb_table");
    expect(table.billing_mode).toBe("PAY_PER_REQUEST");
    expect(table.hash_key).toBe("item_id");
    expect(table.attribute).toEqual([{ name: "item_id", type: "S" }]);
    expect(table.global_secondary_index).toBeUndefined();
    expect(table.range_key).toBeUndefined();
  });

  test("gives each route's role exactly its DynamoDB action", () => {
    const docs = Object.entries(json.data?.aws_iam_policy_document ?? {}) as Array<[string, any]>;
    for (const route of HAIKU_ROUTES) {
      const fnPath = `Function${route.id[0].toUpperCase()}${route.id.slice(1)}`;
      const mine = docs.filter(([, d]) => pathOf(d).includes(`/${fnPath}/`));
      const dynamoActions = mine.flatMap(([, d]) => (d.statement ?? []).flatMap((s: any) => s.actions ?? [])).filter((a: string) => a.startsWith("dynamodb:"));
      expect({ route: route.id, actions: [...new Set(dynamoActions)].sort() }).toEqual({ route: route.id, actions: [...route.tableActions].sort() });
    }
  });

  test("lets API Gateway invoke each function only for its own method and path", () => {
    const arns = values(json, "aws_lambda_permission").map(([, p]) => String(p.source_arn).replace(/^\$\{[^}]+\}/, "<api>"));
    expect(arns.sort()).toEqual(["<api>/*/DELETE/admin/haiku/*", "<api>/*/DELETE/haiku/*", "<api>/*/GET/haiku", "<api>/*/PATCH/haiku/*", "<api>/*/POST/haiku"]);
  });

  test("guards the admin route with IAM (nobody gets execute-api:Invoke by default) and names its ARN in an output", () => {
    const methods = values(json, "aws_api_gateway_method").filter(([, m]) => m.http_method !== "OPTIONS");
    const iam = methods.filter(([, m]) => m.authorization === "AWS_IAM");
    expect(iam).toHaveLength(1);
    expect(iam[0][1].resource_id).toMatch(/aws_api_gateway_resource\.[^.]*Routes_admin_haiku_item_id_/);
    expect(methods.filter(([, m]) => m.authorization === "NONE")).toHaveLength(4);
    const invokeGrants = Object.values(json.data?.aws_iam_policy_document ?? {}).flatMap((d: any) => (d.statement ?? []).flatMap((st: any) => st.actions ?? []));
    expect(invokeGrants).not.toContain("execute-api:Invoke");
    expect(json.output!.AdminRouteArn.value).toMatch(/^\$\{aws_api_gateway_rest_api\..*\.execution_arn\}\/\$\{aws_api_gateway_stage\..*\.stage_name\}\/DELETE\/admin\/haiku\/\*$/);
  });

  test("throttles POST and PATCH per method (writeThrottle) with a 429 JSON gateway response, and tells DELETE writes are protected", () => {
    const settings = values(json, "aws_api_gateway_method_settings").map(([, m]) => m);
    expect(Object.fromEntries(settings.map((m) => [m.method_path, [m.settings.throttling_rate_limit, m.settings.throttling_burst_limit]]))).toEqual({
      "*/*": [50, 100],
      "~1haiku/POST": [10, 20],
      "~1haiku~1{item_id}/PATCH": [10, 20],
    });
    const throttled = values(json, "aws_api_gateway_gateway_response").find(([, r]) => r.response_type === "THROTTLED")![1];
    expect(throttled.status_code).toBe("429");
    expect(JSON.parse(throttled.response_templates["application/json"]).description).toMatch(/Too many requests/);
    const del = values(json, "aws_lambda_function").find(([, fn]) => /^DELETE \/haiku\//.test(fn.description))![1];
    expect(del.environment.variables.OPEN_WRITES).toBe("false");
  });

  test("restores the course's open writes only by setting: DELETE without token, no write throttle", () => {
    const open = synth({ openWrites: true });
    expect(values(open, "aws_api_gateway_method_settings").map(([, m]) => m.method_path)).toEqual(["*/*"]);
    const del = values(open, "aws_lambda_function").find(([, fn]) => /^DELETE \/haiku\//.test(fn.description))![1];
    expect(del.environment.variables.OPEN_WRITES).toBe("true");
    const custom = synth({ writeThrottle: { rateLimit: 2, burstLimit: 4 } });
    expect(values(custom, "aws_api_gateway_method_settings").find(([, m]) => m.method_path === "~1haiku/POST")![1].settings).toMatchObject({ throttling_rate_limit: 2, throttling_burst_limit: 4 });
  });

  test("lets browsers send the delete token and read Retry-After (CORS)", () => {
    const responses = values(json, "aws_api_gateway_integration_response").map(([, r]) => r.response_parameters);
    for (const r of responses) {
      expect(r["method.response.header.Access-Control-Allow-Headers"]).toBe("'Content-Type,X-Delete-Token'");
      expect(r["method.response.header.Access-Control-Expose-Headers"]).toBe("'X-Next-Cursor,Retry-After'");
    }
  });

  test("serves the GUI from a private bucket through CloudFront with config.json pointing at the API", () => {
    expect(values(json, "aws_cloudfront_distribution")).toHaveLength(1);
    const objects = values(json, "aws_s3_object").map(([, o]) => o);
    expect(objects.map((o) => o.key)).toEqual(expect.arrayContaining(["index.html", "config.json"]));
    expect(objects.find((o) => o.key === "config.json").content).toMatch(/aws_api_gateway_stage\..*\.invoke_url/);
    expect(Object.keys(json.output ?? {})).toEqual(expect.arrayContaining(["ApiEndpointUrl", "SiteUrl"]));
  });

  test("switches to the course's public website only by setting, with suppressions", () => {
    const pub = synth({ siteMode: "public-website" });
    expect(values(pub, "aws_cloudfront_distribution")).toHaveLength(0);
    expect(values(pub, "aws_s3_bucket_website_configuration")).toHaveLength(1);
  });

  test("records why the default certificate is accepted, and enforces TLS 1.2 with a custom domain", () => {
    const [[, dist]] = values(json, "aws_cloudfront_distribution");
    expect(dist["//"].policy_suppressions).toEqual([
      { rule: "CLOUDFRONT-ACCESS-LOGS", reason: expect.stringMatching(/ACLs enabled/) },
      { rule: "CLOUDFRONT-TLS12", reason: expect.stringMatching(/customDomain/) },
    ]);
    const custom = synth({ customDomain: { domainName: "haiku.example.com", certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc-123" } });
    const [[, customDist]] = values(custom, "aws_cloudfront_distribution");
    expect(customDist.aliases).toEqual(["haiku.example.com"]);
    expect(customDist.viewer_certificate).toMatchObject({ minimum_protocol_version: "TLSv1.2_2021", ssl_support_method: "sni-only" });
    expect(customDist["//"].policy_suppressions.map((x: { rule: string }) => x.rule)).toEqual(["CLOUDFRONT-ACCESS-LOGS"]);
  });

  test("protects the haiku table from deletion by default; stacks.bashoutter.deletionProtection false turns it off with a recorded reason", () => {
    const [[, table]] = values(json, "aws_dynamodb_table");
    expect(table.deletion_protection_enabled).toBe(true);
    expect(table["//"]?.policy_suppressions).toBeUndefined();
    const [[, off]] = values(synth({ deletionProtection: false }), "aws_dynamodb_table");
    expect(off.deletion_protection_enabled).toBe(false);
    expect(off["//"].policy_suppressions).toEqual([{ rule: "DYNAMODB-DELETION-PROTECTION", reason: expect.stringMatching(/stacks\.bashoutter\.deletionProtection/) }]);
  });

  test("validates the POST body at the gateway with the route table's schema", () => {
    const [[, model]] = values(json, "aws_api_gateway_model");
    expect(JSON.parse(model.schema)).toEqual(HAIKU_ROUTES.find((r) => r.method === "POST")!.requestSchema);
  });

  test("passes the throttle settings to the stage", () => {
    const custom = synth({ throttle: { rateLimit: 5, burstLimit: 10 }, writeThrottle: { rateLimit: 2, burstLimit: 4 } });
    const [, settings] = values(custom, "aws_api_gateway_method_settings").find(([, m]) => m.method_path === "*/*")!;
    expect(settings.settings).toMatchObject({ throttling_rate_limit: 5, throttling_burst_limit: 10 });
  });

  test("rejects bad settings, naming the field", () => {
    expect(() => testConfig({ stacks: { bashoutter: { throttle: { burstLimit: 0 } } } })).toThrow(/burstLimit/);
    expect(() => testConfig({ stacks: { bashoutter: { logRetentionDays: 10 } } })).toThrow(/logRetentionDays/);
    expect(() => testConfig({ stacks: { bashoutter: { siteMode: "ftp" } } })).toThrow(/siteMode/);
    expect(() => testConfig({ stacks: { bashoutter: { functionTimeout: 60 } } })).toThrow(/functionTimeout/);
    expect(() => testConfig({ stacks: { bashoutter: { unknown: 1 } } })).toThrow(/unknown/);
    expect(() => testConfig({ stacks: { bashoutter: { writeThrottle: { rateLimit: 0 } } } })).toThrow(/writeThrottle/);
    expect(() => testConfig({ stacks: { bashoutter: { openWrites: "yes" } } })).toThrow(/openWrites/);
    // a method override above the stage limit would loosen it (method settings replace the stage's)
    expect(() => testConfig({ stacks: { bashoutter: { throttle: { rateLimit: 5, burstLimit: 10 } } } })).toThrow(/writeThrottle.rateLimit \(10\) must be <= throttle.rateLimit \(5\)/);
    expect(() => testConfig({ stacks: { bashoutter: { customDomain: { domainName: "haiku.example.com", certificateArn: "arn:aws:acm:ap-northeast-1:123456789012:certificate/x" } } } })).toThrow(
      /us-east-1/,
    );
  });
});
