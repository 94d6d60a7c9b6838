import * as fs from "fs";
import * as path from "path";
import { CloudfrontDistribution } from "@cdktf/provider-aws/lib/cloudfront-distribution";
import { CloudfrontOriginAccessControl } from "@cdktf/provider-aws/lib/cloudfront-origin-access-control";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { StaticSite, StaticSiteMode } from "../../../modules/cdn/static-site";
import { TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { onlyResource, resourcesOf, synthJson, synthScope, synthStack, tempDir } from "../../helpers/synth";

function siteDir(files: Record<string, string> = {}): string {
  const dir = tempDir("static-site");
  const all = { "index.html": "<html></html>", "app.5KZMLKO4.js": "x()", "style.7H6CDGQE.css": "a{}", "img/logo.svg": "<svg/>", ...files };
  for (const [name, content] of Object.entries(all)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

const objects = (json: any) => Object.values(resourcesOf(json, "aws_s3_object")) as any[];
const byKey = (json: any, key: string) => objects(json).find((o) => o.key === key);

describe("StaticSite", () => {
  test("keeps the bucket private behind CloudFront with Origin Access Control on the REST endpoint", () => {
    const dir = siteDir();
    const out = synthScope((s) => new StaticSite(s, "Site", { sourceDir: dir }));
    const json = JSON.parse(out);
    expect(out).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(out).toHaveResourceWithProperties(CloudfrontOriginAccessControl, { origin_access_control_origin_type: "s3", signing_behavior: "always", signing_protocol: "sigv4" });
    const dist = onlyResource(json, "aws_cloudfront_distribution");
    expect(dist.origin[0].domain_name).toMatch(/bucket_regional_domain_name/);
    expect(dist.origin[0].origin_access_control_id).toMatch(/aws_cloudfront_origin_access_control\..*\.id/);
    expect(resourcesOf(json, "aws_s3_bucket_website_configuration")).toEqual({});
    expect(onlyResource(json, "aws_s3_bucket_ownership_controls").rule.object_ownership).toBe("BucketOwnerEnforced");
    expect(onlyResource(json, "aws_s3_bucket_server_side_encryption_configuration").rule[0].apply_server_side_encryption_by_default.sse_algorithm).toBe("AES256");
  });

  test("serves HTTPS only, with compression and index.html as the root object", () => {
    const out = synthScope((s) => new StaticSite(s, "Site", { sourceDir: siteDir() }));
    expect(out).toHaveResourceWithProperties(CloudfrontDistribution, {
      default_root_object: "index.html",
      default_cache_behavior: expect.objectContaining({ viewer_protocol_policy: "redirect-to-https", compress: true, allowed_methods: ["GET", "HEAD"] }),
    });
  });

  test("with the default certificate, sets no minimum_protocol_version (AWS ignores it there: a change on every plan)", () => {
    const dist = onlyResource(synthJson((s) => new StaticSite(s, "Site", { sourceDir: siteDir() })), "aws_cloudfront_distribution");
    expect(dist.viewer_certificate).toEqual({ cloudfront_default_certificate: true });
  });

  test("uses SNI and the certificate for custom domains", () => {
    const json = synthJson((s) => new StaticSite(s, "Site", { sourceDir: siteDir(), certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc", domainNames: ["haiku.example.com"] }));
    const dist = onlyResource(json, "aws_cloudfront_distribution");
    expect(dist.aliases).toEqual(["haiku.example.com"]);
    expect(dist.viewer_certificate).toMatchObject({ ssl_support_method: "sni-only", minimum_protocol_version: "TLSv1.2_2021" });
  });

  test("lets only this distribution read the bucket (aws:SourceArn) and denies plain HTTP", () => {
    const json = synthJson((s) => new StaticSite(s, "Site", { sourceDir: siteDir() }));
    const doc = Object.values(json.data!.aws_iam_policy_document)[0] as any;
    const allow = doc.statement.find((st: any) => st.effect === "Allow");
    expect(allow.principals).toEqual([{ type: "Service", identifiers: ["cloudfront.amazonaws.com"] }]);
    expect(allow.actions).toEqual(["s3:GetObject"]);
    expect(allow.condition[0]).toMatchObject({ test: "StringEquals", variable: "AWS:SourceArn" });
    expect(allow.condition[0].values[0]).toMatch(/aws_cloudfront_distribution\..*\.arn/);
    expect(doc.statement.find((st: any) => st.effect === "Deny").condition[0]).toMatchObject({ variable: "aws:SecureTransport", values: ["false"] });
  });

  test("uploads every file with its content type, cache control and content hash", () => {
    const json = synthJson((s) => new StaticSite(s, "Site", { sourceDir: siteDir() }));
    expect(objects(json).map((o) => o.key).sort()).toEqual(["app.5KZMLKO4.js", "img/logo.svg", "index.html", "style.7H6CDGQE.css"]);
    expect(byKey(json, "index.html")).toMatchObject({ content_type: "text/html; charset=utf-8", cache_control: "no-cache" });
    expect(byKey(json, "app.5KZMLKO4.js")).toMatchObject({ content_type: "text/javascript; charset=utf-8", cache_control: "public, max-age=31536000, immutable" });
    expect(byKey(json, "style.7H6CDGQE.css")).toMatchObject({ content_type: "text/css; charset=utf-8", cache_control: expect.stringContaining("immutable") });
    expect(byKey(json, "img/logo.svg").content_type).toBe("image/svg+xml");
    expect(byKey(json, "index.html").source_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(byKey(json, "index.html").source).toMatch(/^assets\//);
  });

  test("re-uploads a changed file and drops a removed one", () => {
    const before = synthJson((s) => new StaticSite(s, "Site", { sourceDir: siteDir() }));
    const after = synthJson((s) => new StaticSite(s, "Site", { sourceDir: siteDir({ "index.html": "<html>v2</html>" }) }));
    expect(byKey(after, "index.html").source_hash).not.toBe(byKey(before, "index.html").source_hash);
    const dir = siteDir();
    fs.rmSync(path.join(dir, "img"), { recursive: true });
    const removed = synthJson((s) => new StaticSite(s, "Site", { sourceDir: dir }));
    expect(byKey(removed, "img/logo.svg")).toBeUndefined();
    expect(objects(removed)).toHaveLength(3);
  });

  test("writes config.json from tokens, never cached", () => {
    const json = synthJson((s) => new StaticSite(s, "Site", { sourceDir: siteDir(), config: { apiUrl: "${aws_api_gateway_stage.x.invoke_url}" } }));
    const config = byKey(json, "config.json");
    expect(config).toMatchObject({ content_type: "application/json; charset=utf-8", cache_control: "no-cache" });
    expect(config.content).toContain("jsonencode");
    expect(config.content).toContain("apiUrl");
  });

  test("reproduces the course's public website only when asked, with a recorded suppression", () => {
    const json = synthJson((s) => new StaticSite(s, "Site", { sourceDir: siteDir(), mode: StaticSiteMode.PUBLIC_WEBSITE }));
    expect(resourcesOf(json, "aws_cloudfront_distribution")).toEqual({});
    expect(onlyResource(json, "aws_s3_bucket_website_configuration").index_document.suffix).toBe("index.html");
    expect(onlyResource(json, "aws_s3_bucket_public_access_block")).toMatchObject({ block_public_policy: false, restrict_public_buckets: false, block_public_acls: true });
    const doc = Object.values(json.data!.aws_iam_policy_document)[0] as any;
    expect(doc.statement[0]).toMatchObject({ actions: ["s3:GetObject"], principals: [{ type: "*", identifiers: ["*"] }] });
    const full = synthStack((app) => {
      const stack = new TerraformStack(app, "site");
      new AwsProvider(stack, "aws", { region: "ap-northeast-1" });
      new StaticSite(stack, "Site", { sourceDir: siteDir(), mode: StaticSiteMode.PUBLIC_WEBSITE });
      return stack;
    }).json;
    const bucket = onlyResource(full, "aws_s3_bucket");
    expect(bucket["//"].policy_suppressions).toEqual([
      { rule: "S3-ACCESS-LOGGING", reason: expect.stringMatching(/uploaded by this stack/) },
      { rule: "S3-PUBLIC-ACCESS-BLOCK", reason: expect.stringMatching(/public-website/) },
      { rule: "S3-TLS-ONLY", reason: expect.stringMatching(/HTTP only/) },
    ]);
  });

  test("rejects a missing folder, a folder without index.html, and domains without a certificate", () => {
    expect(() => synthScope((s) => new StaticSite(s, "Site", { sourceDir: "/nonexistent/site" }))).toThrow(/sourceDir/);
    const noIndex = tempDir("static-site-empty");
    expect(() => synthScope((s) => new StaticSite(s, "Site", { sourceDir: noIndex }))).toThrow(/index.html/);
    expect(() => synthScope((s) => new StaticSite(s, "Site", { sourceDir: siteDir(), domainNames: ["a.example.com"] }))).toThrow(/certificateArn/);
    expect(() => synthScope((s) => new StaticSite(s, "Site", { sourceDir: siteDir(), name: "Bad_Name" }))).toThrow(/name/);
    expect(() => synthScope((s) => new StaticSite(s, "Site", { sourceDir: siteDir(), mode: "ftp" as StaticSiteMode }))).toThrow(/mode/);
    expect(() => synthScope((s) => new StaticSite(s, "Site", { sourceDir: siteDir({ "config.json": "{}" }), config: { a: "b" } }))).toThrow(/config.json/);
  });
});
