import * as path from "path";
import { Construct } from "constructs";
import { App, DataResource, TerraformOutput, Token } from "cdktf";
import type { InfraConfig } from "../config";
import { CourseStack } from "./course-stack";
import { NodeFunction } from "../modules/serverless/function";
import { AttributeType, Table } from "../modules/storage/table";
import { ApiAuthorization, RestApi, RestApiRoute } from "../modules/api/rest-api";
import { StaticSite } from "../modules/cdn/static-site";
import { HAIKU_ROUTES, HAIKU_TABLE, HaikuRoute } from "../lambdas/haiku/routes";
import { HAIKU_ENV } from "../lambdas/haiku/environment";
import { CORS_ALLOW_HEADERS, CORS_EXPOSE_HEADERS } from "../lambdas/haiku/http";
import { buildSite } from "../site/build";
import { suppress } from "../modules/policy/suppress";

/**
 * `bashoutter` (hands-on 5, issue #4): the haiku SNS. One Lambda per route
 * of lambdas/haiku/routes.ts behind an API Gateway REST API, a DynamoDB
 * table listed by paginated Scan (no index: every item is listed, writes
 * spread over partitions), deletes guarded by a per-haiku token or IAM
 * (admin route), throttled writes, and the GUI on a private S3 bucket
 * behind CloudFront (or the course's public website, by setting).
 * See docs/bashoutter.md.
 */
export class BashoutterStack extends CourseStack {
  readonly table: Table;
  readonly functions: Readonly<Record<HaikuRoute["id"], NodeFunction>>;
  readonly api: RestApi;
  readonly site: StaticSite;

  constructor(scope: Construct, id: string, config: InfraConfig) {
    super(scope, id, config);
    const settings = config.stacks.bashoutter;

    this.table = new Table(this, "HaikuTable", {
      tableName: this.resourceName("haiku"),
      // No index: GET scans the base table (see HAIKU_TABLE). Dropping the earlier
      // by_created_at GSI is an in-place update of the table, not a replacement.
      partitionKey: { name: HAIKU_TABLE.partitionKey, type: AttributeType.STRING },
      deletionProtection: settings.deletionProtection,
    });
    if (!settings.deletionProtection) {
      suppress(this.table.resource, "DYNAMODB-DELETION-PROTECTION", "turned off in stacks.bashoutter.deletionProtection (to destroy the stack, or a throwaway copy)");
    }

    // Signs page cursors (lambdas/haiku/cursor.ts): a uuid() made at the first apply, then kept.
    const cursorSecret = new DataResource(this, "CursorSecret", {
      input: { secret: "${uuid()}" },
      lifecycle: { ignoreChanges: ["input"] },
    });

    const functions: Partial<Record<HaikuRoute["id"], NodeFunction>> = {};
    const routes: RestApiRoute[] = HAIKU_ROUTES.map((route) => {
      const fn = new NodeFunction(this, `Function${route.id[0].toUpperCase()}${route.id.slice(1)}`, {
        entry: route.entry,
        description: `${route.method} ${route.path}: ${route.summary}`,
        memorySize: settings.functionMemorySize,
        timeout: settings.functionTimeout,
        logRetentionDays: settings.logRetentionDays,
        environment: {
          [HAIKU_ENV.tableName]: this.table.tableName,
          ...(route.method === "GET" ? { [HAIKU_ENV.cursorSecret]: Token.asString(cursorSecret.output.lookup("secret")) } : {}),
          ...(route.id === "delete" ? { [HAIKU_ENV.openWrites]: String(settings.openWrites) } : {}),
        },
      });
      // Least privilege: exactly the commands the route's handler sends (routes.ts).
      this.table.grant(fn, ...route.tableActions);
      functions[route.id] = fn;
      return {
        method: route.method,
        path: route.path,
        function: fn,
        requestSchema: route.requestSchema,
        modelName: route.requestSchema ? "CreateHaiku" : undefined,
        authorization: route.authorization === "AWS_IAM" ? ApiAuthorization.IAM : ApiAuthorization.NONE,
        throttle: route.writeThrottled && !settings.openWrites ? settings.writeThrottle : undefined,
      };
    });
    this.functions = functions as Record<HaikuRoute["id"], NodeFunction>;

    this.api = new RestApi(this, "Api", {
      name: this.resourceName("bashoutter"),
      description: "Bashoutter haiku API",
      routes,
      throttle: settings.throttle,
      cors: { allowOrigin: "*", allowHeaders: [...CORS_ALLOW_HEADERS], exposeHeaders: [...CORS_EXPOSE_HEADERS] },
      accessLogRetentionDays: settings.logRetentionDays,
      manageAccountLoggingRole: settings.manageApiGatewayAccount,
    });
    for (const fn of Object.values(this.functions)) {
      suppress(
        fn.resource,
        "LAMBDA-PUBLIC-CONCURRENCY",
        "the stage throttle (stacks.bashoutter.throttle, 50 rps / burst 100) caps the API instead: reserving concurrency fails on new accounts, whose Lambda quota starts at 10 with 10 kept unreserved",
      );
    }
    const tokenDelete = HAIKU_ROUTES.find((r) => r.id === "delete")!;
    if (!settings.openWrites) {
      suppress(
        this.api.methods.get(`${tokenDelete.method} ${tokenDelete.path}`)!,
        "APIGW-WRITE-AUTHORIZATION",
        "DELETE /haiku/{item_id} deletes only with the one-time delete token POST returned (X-Delete-Token, checked by the handler); deleting any haiku needs the SigV4-signed admin route",
      );
    }

    // The GUI is built from site/src at synth, so the deployed files always match the sources.
    // Built into the app's output folder (next to the Lambda bundles), outside every stack folder.
    const siteDir = path.join(App.of(this).outdir, ".site", id);
    buildSite(siteDir);
    this.site = new StaticSite(this, "Site", {
      sourceDir: siteDir,
      mode: settings.siteMode,
      priceClass: settings.priceClass,
      certificateArn: settings.customDomain?.certificateArn,
      domainNames: settings.customDomain ? [settings.customDomain.domainName] : undefined,
      config: { apiUrl: this.api.url },
    });
    if (this.site.distribution && !settings.customDomain) {
      suppress(
        this.site.distribution,
        "CLOUDFRONT-TLS12",
        "no custom domain configured (stacks.bashoutter.customDomain): the *.cloudfront.net certificate's TLS floor is set by CloudFront, not by us; HTTPS is still enforced (redirect-to-https)",
      );
    }

    new TerraformOutput(this, "ApiEndpointUrl", { value: this.api.url, description: "API base URL: GET/POST $URL/haiku" });
    new TerraformOutput(this, "SiteUrl", { value: this.site.url, description: "The GUI" });
    new TerraformOutput(this, "SiteBucket", { value: this.site.bucketName });
    new TerraformOutput(this, "TableName", { value: this.table.tableName });
    const admin = HAIKU_ROUTES.find((r) => r.authorization === "AWS_IAM")!;
    new TerraformOutput(this, "AdminRouteArn", {
      value: `${this.api.executionArn}/${this.api.stage.stageName}/${admin.method}${admin.path.replace(/\{[^}]+\}/g, "*")}`,
      description: "Resource of the execute-api:Invoke permission an admin needs (haiku clear-database)",
    });
  }
}
