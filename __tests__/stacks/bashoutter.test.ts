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

  test("pages from a creation-time index on an on-demand table", () => {
    const [[, table]] = values(json, "aws_dynamodb_table");
    expect(table.billing_mode).toBe("PAY_PER_REQUEST");
    expect(table.hash_key).toBe("item_id");
    expect(table.global_secondary_index).toEqual([expect.objectContaining({ name: "by_created_at", hash_key: "gsi_pk", range_key: "gsi_sk" })]);
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
    expect(arns.sort()).toEqual(["<api>/*/DELETE/haiku/*", "<api>/*/GET/haiku", "<api>/*/PATCH/haiku/*", "<api>/*/POST/haiku"]);
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
    expect(dist["//"].policy_suppressions).toEqual([{ rule: "CLOUDFRONT-TLS12", reason: expect.stringMatching(/customDomain/) }]);
    const custom = synth({ customDomain: { domainName: "haiku.example.com", certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc-123" } });
    const [[, customDist]] = values(custom, "aws_cloudfront_distribution");
    expect(customDist.aliases).toEqual(["haiku.example.com"]);
    expect(customDist.viewer_certificate).toMatchObject({ minimum_protocol_version: "TLSv1.2_2021", ssl_support_method: "sni-only" });
    expect(customDist["//"].policy_suppressions).toBeUndefined();
  });

  test("validates the POST body at the gateway with the route table's schema", () => {
    const [[, model]] = values(json, "aws_api_gateway_model");
    expect(JSON.parse(model.schema)).toEqual(HAIKU_ROUTES.find((r) => r.method === "POST")!.requestSchema);
  });

  test("passes the throttle settings to the stage", () => {
    const custom = synth({ throttle: { rateLimit: 5, burstLimit: 10 } });
    const [[, settings]] = values(custom, "aws_api_gateway_method_settings");
    expect(settings.settings).toMatchObject({ throttling_rate_limit: 5, throttling_burst_limit: 10 });
  });

  test("rejects bad settings, naming the field", () => {
    expect(() => testConfig({ stacks: { bashoutter: { throttle: { burstLimit: 0 } } } })).toThrow(/burstLimit/);
    expect(() => testConfig({ stacks: { bashoutter: { logRetentionDays: 10 } } })).toThrow(/logRetentionDays/);
    expect(() => testConfig({ stacks: { bashoutter: { siteMode: "ftp" } } })).toThrow(/siteMode/);
    expect(() => testConfig({ stacks: { bashoutter: { functionTimeout: 60 } } })).toThrow(/functionTimeout/);
    expect(() => testConfig({ stacks: { bashoutter: { unknown: 1 } } })).toThrow(/unknown/);
    expect(() => testConfig({ stacks: { bashoutter: { customDomain: { domainName: "haiku.example.com", certificateArn: "arn:aws:acm:ap-northeast-1:123456789012:certificate/x" } } } })).toThrow(
      /us-east-1/,
    );
  });
});
