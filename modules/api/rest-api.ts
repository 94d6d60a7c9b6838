import * as crypto from "crypto";
import { Construct } from "constructs";
import { physicalName } from "../core/names";
import { Fn, TerraformResource, Token } from "cdktf";
import { ApiGatewayRestApi } from "@cdktf/provider-aws/lib/api-gateway-rest-api";
import { ApiGatewayResource } from "@cdktf/provider-aws/lib/api-gateway-resource";
import { ApiGatewayMethod } from "@cdktf/provider-aws/lib/api-gateway-method";
import { ApiGatewayIntegration } from "@cdktf/provider-aws/lib/api-gateway-integration";
import { ApiGatewayMethodResponse } from "@cdktf/provider-aws/lib/api-gateway-method-response";
import { ApiGatewayIntegrationResponse } from "@cdktf/provider-aws/lib/api-gateway-integration-response";
import { ApiGatewayModel } from "@cdktf/provider-aws/lib/api-gateway-model";
import { ApiGatewayRequestValidator } from "@cdktf/provider-aws/lib/api-gateway-request-validator";
import { ApiGatewayGatewayResponse } from "@cdktf/provider-aws/lib/api-gateway-gateway-response";
import { ApiGatewayDeployment } from "@cdktf/provider-aws/lib/api-gateway-deployment";
import { ApiGatewayStage } from "@cdktf/provider-aws/lib/api-gateway-stage";
import { ApiGatewayMethodSettings } from "@cdktf/provider-aws/lib/api-gateway-method-settings";
import { ApiGatewayAccount } from "@cdktf/provider-aws/lib/api-gateway-account";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { Role } from "../iam/role";
import { assertIntInRange } from "../core/validate";
import { movedFromPath } from "../core/cdktf-internals";
import { assertRetention, DEFAULT_LOG_RETENTION_DAYS } from "../core/log-retention";

export type ApiMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD";
const METHODS: readonly ApiMethod[] = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"];

/** What the API needs from a function: NodeFunction (modules/serverless) satisfies it. */
export interface IApiFunction {
  /** `arn:...:apigateway:...:lambda:path/.../invocations` */
  readonly invokeArn: string;
  /** Resource-based permission for `apigateway.amazonaws.com`, scoped to `sourceArn`. */
  grantInvoke(principal: { readonly service: string; readonly sourceArn?: string }, id?: string): unknown;
}

/** Who may call a method. */
export enum ApiAuthorization {
  /** Anyone. */
  NONE = "NONE",
  /**
   * Only SigV4-signed requests of an IAM identity allowed `execute-api:Invoke` on the
   * method's ARN (`<execution ARN>/<stage>/<METHOD>/<path>`); nobody has it by default.
   */
  IAM = "AWS_IAM",
}

export interface RestApiRoute {
  readonly method: ApiMethod;
  /** Resource path, `{name}` for a path parameter, e.g. `/haiku/{item_id}`. */
  readonly path: string;
  /** Invoked through an AWS_PROXY integration. */
  readonly function: IApiFunction;
  /**
   * JSON Schema (draft 4) for an `application/json` body, validated by the gateway before
   * the function runs (400 from the gateway, no invocation, no cost).
   * @default no body validation
   */
  readonly requestSchema?: Record<string, unknown>;
  /** Model name for the schema (alphanumeric). @default derived from method and path */
  readonly modelName?: string;
  /** @default ApiAuthorization.NONE */
  readonly authorization?: ApiAuthorization;
  /**
   * Throttling of this method alone (a method-level override of the stage's `throttle`),
   * e.g. tighter limits for writes. API Gateway counts all clients of the method together.
   * @default the stage's throttle
   */
  readonly throttle?: Throttle;
}

/** Stage-wide throttling: steady requests per second and the bucket for bursts. */
export interface Throttle {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

export interface CorsOptions {
  /** @default "*" */
  readonly allowOrigin?: string;
  /** @default ["Content-Type"] */
  readonly allowHeaders?: readonly string[];
  /** Response headers browsers may read. @default none */
  readonly exposeHeaders?: readonly string[];
}

export interface RestApiProps {
  /** Routes, each to one function. */
  readonly routes: readonly RestApiRoute[];
  /** API name in the console. @default the construct path */
  readonly name?: string;
  readonly description?: string;
  /** @default "prod" */
  readonly stageName?: string;
  /**
   * Throttling for every method of the stage. Protects the functions and the table (and the
   * bill) from floods; clients get 429 beyond it.
   * @default { rateLimit: 50, burstLimit: 100 }
   */
  readonly throttle?: Throttle;
  /** CORS preflight on every resource and CORS headers on gateway errors. @default allow all origins */
  readonly cors?: CorsOptions;
  /**
   * `Retry-After` (seconds) on the gateway's 429 (THROTTLED) response.
   * @default 1
   */
  readonly throttledRetryAfterSeconds?: number;
  /** Access log retention. @default 14 */
  readonly accessLogRetentionDays?: number;
  /**
   * Set the region's account-level CloudWatch role (`aws_api_gateway_account`) that API
   * Gateway needs before any stage can write logs. It is one setting per account and region:
   * set false when another stack already manages it. Destroy resets it (`reset_on_delete`);
   * the role itself is free.
   * @default true
   */
  readonly manageAccountLoggingRole?: boolean;
  /**
   * Execution log level of every method (`ERROR`: failed integrations,
   * authorizer and throttling decisions; `INFO` adds every request). Logs go
   * to `API-Gateway-Execution-Logs_<api id>/<stage>`, which the stack declares
   * with the access logs' retention (so destroy removes it).
   * Cost: 0.76 USD per GB ingested (ap-northeast-1); ERROR writes only failures.
   * @default "ERROR"
   */
  readonly executionLoggingLevel?: ExecutionLoggingLevel;
  /**
   * X-Ray tracing on the stage (one trace API Gateway -> Lambda).
   * Cost: 100,000 traces a month free, then 5 USD per million. @default true
   */
  readonly tracing?: boolean;
}

export type ExecutionLoggingLevel = "ERROR" | "INFO";
export const DEFAULT_EXECUTION_LOGGING_LEVEL: ExecutionLoggingLevel = "ERROR";
export const DEFAULT_API_TRACING = true;

export const DEFAULT_THROTTLE: Throttle = { rateLimit: 50, burstLimit: 100 };
export const DEFAULT_THROTTLED_RETRY_AFTER_SECONDS = 1;
/** The stage manages the region's API Gateway CloudWatch role (one per account and region). */
export const DEFAULT_MANAGE_ACCOUNT_LOGGING_ROLE = true;

/** Access log line (JSON), the fields AWS documents for `$context`. */
export const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: "$context.requestId",
  ip: "$context.identity.sourceIp",
  requestTime: "$context.requestTime",
  httpMethod: "$context.httpMethod",
  resourcePath: "$context.resourcePath",
  status: "$context.status",
  protocol: "$context.protocol",
  responseLength: "$context.responseLength",
  integrationLatency: "$context.integrationLatency",
  errorMessage: "$context.error.message",
});

/**
 * An API Gateway REST API from a route table: a resource tree, one method
 * and AWS_PROXY integration per route (`NONE` or `AWS_IAM` authorization),
 * body validation with a model where a schema is given, CORS preflight
 * (MOCK) on every resource, CORS headers and a `{"description": ...}` body
 * on the DEFAULT_4XX/5XX gateway responses and on THROTTLED (429 with
 * `Retry-After`), a deployment redeployed whenever the definition changes
 * (`triggers`, `create_before_destroy`), a stage with throttling (plus
 * per-route method overrides) and JSON access logs, and per-route Lambda
 * permissions scoped to `<execution ARN>/<stage>/<METHOD>/<path>`.
 *
 * Cost: REST APIs are billed per request (~3.5-4.25 USD per million); the
 * log group per GB ingested and stored. Nothing is billed while idle.
 */
export class RestApi extends Construct {
  readonly api: ApiGatewayRestApi;
  readonly stage: ApiGatewayStage;
  readonly deployment: ApiGatewayDeployment;
  readonly accessLogs: CloudwatchLogGroup;
  /** `API-Gateway-Execution-Logs_<id>/<stage>`, declared so it has retention and goes with destroy. */
  readonly executionLogs: CloudwatchLogGroup;
  /** The method of each route, by `"<METHOD> <path>"` (for suppressions that name a route). */
  readonly methods = new Map<string, ApiGatewayMethod>();
  /** Path -> API Gateway resource and its namespace construct (`""` is the root: `Routes`). */
  private readonly resources = new Map<string, { id: string; scope: Construct; resource?: ApiGatewayResource }>();
  /** Each flat id of earlier versions (`GetHaiku`, `HaikuItemId`) -> the routes and paths that had it. */
  private readonly flatIds = new Map<string, Set<string>>();

  constructor(scope: Construct, id: string, props: RestApiProps) {
    super(scope, id);
    const stageName = props.stageName ?? "prod";
    const throttle = props.throttle ?? DEFAULT_THROTTLE;
    const retention = props.accessLogRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS;
    const manageAccount = props.manageAccountLoggingRole ?? DEFAULT_MANAGE_ACCOUNT_LOGGING_ROLE;
    const cors = {
      allowOrigin: props.cors?.allowOrigin ?? "*",
      allowHeaders: props.cors?.allowHeaders ?? ["Content-Type"],
      exposeHeaders: props.cors?.exposeHeaders ?? [],
    };
    const name = props.name ?? physicalName(this, { maxLength: 1024 });
    const retryAfter = props.throttledRetryAfterSeconds ?? DEFAULT_THROTTLED_RETRY_AFTER_SECONDS;
    const loggingLevel = props.executionLoggingLevel ?? DEFAULT_EXECUTION_LOGGING_LEVEL;
    const tracing = props.tracing ?? DEFAULT_API_TRACING;
    if (loggingLevel !== "ERROR" && loggingLevel !== "INFO") throw new Error(`executionLoggingLevel (${String(loggingLevel)}) must be ERROR or INFO`);

    // Validate first.
    if (props.routes.length === 0) throw new Error("routes must hold at least one route");
    const seen = new Set<string>();
    for (const [i, r] of props.routes.entries()) {
      if (!METHODS.includes(r.method)) throw new Error(`routes[${i}].method (${r.method}) must be one of ${METHODS.join(", ")}`);
      if (!/^(\/([A-Za-z0-9._-]+|\{[A-Za-z_][A-Za-z0-9_]*\}))+$/.test(r.path)) {
        throw new Error(`routes[${i}].path (${r.path}) must look like /items or /items/{id}`);
      }
      const key = `${r.method} ${r.path}`;
      if (seen.has(key)) throw new Error(`routes[${i}] (${key}) is defined twice`);
      seen.add(key);
      if (r.modelName !== undefined && !/^[A-Za-z0-9]+$/.test(r.modelName)) throw new Error(`routes[${i}].modelName (${r.modelName}) must be alphanumeric`);
    }
    if (!/^[A-Za-z0-9_]{1,128}$/.test(stageName)) throw new Error(`stageName (${stageName}) must be 1-128 letters, digits or underscores`);
    assertThrottle(throttle, "throttle");
    for (const [i, r] of props.routes.entries()) {
      if (r.throttle) assertThrottle(r.throttle, `routes[${i}].throttle`);
      if (r.authorization !== undefined && !Object.values(ApiAuthorization).includes(r.authorization)) {
        throw new Error(`routes[${i}].authorization (${r.authorization}) must be one of ${Object.values(ApiAuthorization).join(", ")}`);
      }
    }
    assertIntInRange(retryAfter, 1, 3600, "throttledRetryAfterSeconds");
    assertRetention(retention, "accessLogRetentionDays");

    this.api = new ApiGatewayRestApi(this, "Api", {
      name,
      description: props.description,
      endpointConfiguration: { types: ["REGIONAL"] },
    });
    // Routes/<segment>/<segment>/...: one construct per path segment (the API Gateway resource
    // tree), and in it one per method; ids are the segments and methods as written, so
    // `/haiku/{item_id}` and `/haiku/item_id` stay apart. Earlier flat ids are declared as moves.
    this.resources.set("", { id: this.api.rootResourceId, scope: new Construct(this, "Routes") });
    const claim = (flatId: string, owner: string) => (this.flatIds.get(flatId) ?? this.flatIds.set(flatId, new Set()).get(flatId)!).add(owner);
    for (const r of props.routes) {
      claim(constructId(r.method, r.path), `${r.method} ${r.path}`);
      claim(constructId("OPTIONS", r.path), `OPTIONS ${r.path}`);
      const segments = r.path.split("/").filter(Boolean);
      for (let i = 1; i <= segments.length; i++) claim(constructId("", `/${segments.slice(0, i).join("/")}`), segments.slice(0, i).join("/"));
    }

    const validator = props.routes.some((r) => r.requestSchema)
      ? new ApiGatewayRequestValidator(this, "BodyValidator", { restApiId: this.api.id, name: "validate-body", validateRequestBody: true, validateRequestParameters: false })
      : undefined;

    const dependencies: Construct[] = [];
    const allowMethods = new Map<string, Set<string>>();
    for (const route of props.routes) {
      const resourceId = this.resourceFor(route.path);
      const rid = constructId(route.method, route.path);
      const ns = new Construct(this.resources.get(route.path)!.scope, route.method);
      let model: ApiGatewayModel | undefined;
      if (route.requestSchema) {
        model = new ApiGatewayModel(ns, "Model", {
          restApiId: this.api.id,
          name: route.modelName ?? `${rid}Body`,
          contentType: "application/json",
          schema: JSON.stringify(route.requestSchema),
        });
        this.moveFromFlat(model, "Model", rid);
      }
      const method = new ApiGatewayMethod(ns, "Method", {
        restApiId: this.api.id,
        resourceId,
        httpMethod: route.method,
        authorization: route.authorization ?? ApiAuthorization.NONE,
        requestValidatorId: model ? validator!.id : undefined,
        requestModels: model ? { "application/json": model.name } : undefined,
      });
      this.moveFromFlat(method, "Method", rid);
      this.methods.set(`${route.method} ${route.path}`, method);
      const integration = new ApiGatewayIntegration(ns, "Integration", {
        restApiId: this.api.id,
        resourceId,
        httpMethod: method.httpMethod,
        type: "AWS_PROXY",
        integrationHttpMethod: "POST",
        uri: route.function.invokeArn,
      });
      this.moveFromFlat(integration, "Integration", rid);
      dependencies.push(method, integration);
      // Only this method on this path of this API (path parameters match any value).
      route.function.grantInvoke(
        { service: "apigateway.amazonaws.com", sourceArn: `${this.api.executionArn}/*/${route.method}${route.path.replace(/\{[^}]+\}/g, "*")}` },
        `ApiInvoke${rid}`,
      );
      if (!allowMethods.has(route.path)) allowMethods.set(route.path, new Set());
      allowMethods.get(route.path)!.add(route.method);
    }

    // CORS preflight per resource: a MOCK integration answering 200 with the headers.
    const corsHeaderValues = (methods: readonly string[]): Record<string, string> => ({
      "Access-Control-Allow-Origin": `'${cors.allowOrigin}'`,
      "Access-Control-Allow-Methods": `'${[...methods, "OPTIONS"].join(",")}'`,
      "Access-Control-Allow-Headers": `'${cors.allowHeaders.join(",")}'`,
      ...(cors.exposeHeaders.length ? { "Access-Control-Expose-Headers": `'${cors.exposeHeaders.join(",")}'` } : {}),
    });
    for (const [routePath, methods] of allowMethods) {
      const resourceId = this.resourceFor(routePath);
      const rid = constructId("OPTIONS", routePath);
      const ns = new Construct(this.resources.get(routePath)!.scope, "OPTIONS");
      const headers = corsHeaderValues([...methods]);
      const options = new ApiGatewayMethod(ns, "Method", { restApiId: this.api.id, resourceId, httpMethod: "OPTIONS", authorization: "NONE" });
      const mock = new ApiGatewayIntegration(ns, "Integration", {
        restApiId: this.api.id,
        resourceId,
        httpMethod: options.httpMethod,
        type: "MOCK",
        requestTemplates: { "application/json": '{"statusCode": 200}' },
      });
      const response = new ApiGatewayMethodResponse(ns, "MethodResponse", {
        restApiId: this.api.id,
        resourceId,
        httpMethod: options.httpMethod,
        statusCode: "200",
        responseParameters: Object.fromEntries(Object.keys(headers).map((h) => [`method.response.header.${h}`, true])),
      });
      const integrationResponse = new ApiGatewayIntegrationResponse(ns, "IntegrationResponse", {
        restApiId: this.api.id,
        resourceId,
        httpMethod: options.httpMethod,
        statusCode: response.statusCode,
        responseParameters: Object.fromEntries(Object.entries(headers).map(([h, v]) => [`method.response.header.${h}`, v])),
        dependsOn: [mock],
      });
      this.moveFromFlat(options, "Method", rid);
      this.moveFromFlat(mock, "Integration", rid);
      this.moveFromFlat(response, "MethodResponse", rid);
      this.moveFromFlat(integrationResponse, "IntegrationResponse", rid);
      dependencies.push(options, mock, response, integrationResponse);
    }

    // Errors raised by the gateway itself (validation, throttling, missing route) get CORS
    // headers, so browsers can read them, and the API's `{"description": ...}` shape.
    const allApiMethods = [...new Set(props.routes.map((r) => r.method))];
    const corsResponseHeaders = Object.fromEntries(Object.entries(corsHeaderValues(allApiMethods)).map(([h, v]) => [`gatewayresponse.header.${h}`, v]));
    for (const type of ["DEFAULT_4XX", "DEFAULT_5XX"]) {
      const gatewayResponse = new ApiGatewayGatewayResponse(this, `GatewayResponse${type.replace("_", "")}`, {
        restApiId: this.api.id,
        responseType: type,
        responseParameters: corsResponseHeaders,
        responseTemplates: { "application/json": '{"description":$context.error.messageString}' },
      });
      dependencies.push(gatewayResponse);
    }
    // Throttled (stage or method limits): 429, a description a client can act on, and Retry-After.
    dependencies.push(
      new ApiGatewayGatewayResponse(this, "GatewayResponseThrottled", {
        restApiId: this.api.id,
        responseType: "THROTTLED",
        statusCode: "429",
        responseParameters: { ...corsResponseHeaders, "gatewayresponse.header.Retry-After": `'${retryAfter}'` },
        responseTemplates: { "application/json": JSON.stringify({ description: `Too many requests: this API's rate limit was exceeded; retry after ${retryAfter} s` }) },
      }),
    );

    // Redeploy when anything in the definition changes: the synth-time description of the
    // routes, schemas and CORS settings, plus the ids of everything the deployment snapshots.
    const definition = {
      routes: props.routes.map((r) => ({ method: r.method, path: r.path, schema: r.requestSchema ?? null, model: r.modelName ?? null, authorization: r.authorization ?? ApiAuthorization.NONE })),
      cors,
      gatewayResponses: ["DEFAULT_4XX", "DEFAULT_5XX", "THROTTLED"],
      retryAfter,
    };
    this.deployment = new ApiGatewayDeployment(this, "Deployment", {
      restApiId: this.api.id,
      description: "Managed by cdktf; replaced when the API definition changes",
      triggers: {
        definition: crypto.createHash("sha256").update(JSON.stringify(definition)).digest("hex"),
        resources: Fn.sha1(Fn.jsonencode(dependencies.map((d) => (d as unknown as { id: string }).id))),
      },
      lifecycle: { createBeforeDestroy: true },
      dependsOn: dependencies as never,
    });

    this.accessLogs = new CloudwatchLogGroup(this, "AccessLogs", {
      namePrefix: `/aws/apigateway/${name.slice(0, 400)}-access-`,
      retentionInDays: retention,
    });
    let account: ApiGatewayAccount | undefined;
    if (manageAccount) {
      const role = new Role(this, "CloudWatchRole", {
        assumedBy: "apigateway.amazonaws.com",
        description: "Lets API Gateway write access logs to CloudWatch Logs (account-level setting)",
        awsManagedPolicies: ["service-role/AmazonAPIGatewayPushToCloudWatchLogs"],
      });
      account = new ApiGatewayAccount(this, "Account", { cloudwatchRoleArn: role.roleArn, resetOnDelete: true });
    }
    this.stage = new ApiGatewayStage(this, "Stage", {
      restApiId: this.api.id,
      deploymentId: this.deployment.id,
      stageName,
      accessLogSettings: { destinationArn: this.accessLogs.arn, format: ACCESS_LOG_FORMAT },
      xrayTracingEnabled: tracing,
      dependsOn: account ? [account] : undefined,
    });
    this.executionLogs = new CloudwatchLogGroup(this, "ExecutionLogs", {
      name: `API-Gateway-Execution-Logs_${this.api.id}/${stageName}`,
      retentionInDays: retention,
    });
    new ApiGatewayMethodSettings(this, "Throttling", {
      restApiId: this.api.id,
      stageName: this.stage.stageName,
      methodPath: "*/*",
      settings: {
        throttlingRateLimit: throttle.rateLimit,
        throttlingBurstLimit: throttle.burstLimit,
        // Into the declared ExecutionLogs group (created first, so API Gateway does not make its own).
        loggingLevel,
        metricsEnabled: false,
      },
      dependsOn: [this.executionLogs],
    });
    // Method-level overrides. The method path escapes every "/" of the resource path as "~1"
    // (what GetStage returns; terraform-provider-aws passes method_path through unchanged,
    // hashicorp/terraform-provider-aws#9738): POST /haiku -> "~1haiku/POST".
    for (const route of props.routes) {
      if (!route.throttle) continue;
      const throttling = new ApiGatewayMethodSettings(this.methods.get(`${route.method} ${route.path}`)!.node.scope!, "Throttling", {
        restApiId: this.api.id,
        stageName: this.stage.stageName,
        methodPath: `${route.path.replace(/\//g, "~1")}/${route.method}`,
        settings: {
          throttlingRateLimit: route.throttle.rateLimit,
          throttlingBurstLimit: route.throttle.burstLimit,
          loggingLevel,
          metricsEnabled: false,
        },
        dependsOn: [this.executionLogs],
      });
      this.moveFromFlat(throttling, "Throttling", constructId(route.method, route.path));
    }
  }

  /** `https://<id>.execute-api.<region>.amazonaws.com/<stage>` */
  get url(): string {
    return this.stage.invokeUrl;
  }

  get executionArn(): string {
    return this.api.executionArn;
  }

  /**
   * Declares the move from the flat id `<kind><flatId>` of earlier versions
   * (e.g. `MethodGetHaiku`), unless two routes or paths shared that id: such
   * an API could not be synthesized then, so nothing was deployed there.
   */
  private moveFromFlat(resource: TerraformResource, kind: string, flatId: string): void {
    if (this.flatIds.get(flatId)?.size === 1) movedFromPath(resource, this, `${kind}${flatId}`);
  }

  /** The resource id for a path, creating the parents as needed. */
  private resourceFor(path: string): string {
    const segments = path.split("/").filter(Boolean);
    let current = "";
    let parent = "";
    let parentId = this.resources.get("")!.id;
    for (const segment of segments) {
      current = `${current}/${segment}`;
      let entry = this.resources.get(current);
      if (!entry) {
        const scope = new Construct(this.resources.get(parent)!.scope, segment);
        const resource = new ApiGatewayResource(scope, "Resource", { restApiId: this.api.id, parentId, pathPart: segment });
        this.moveFromFlat(resource, "Resource", constructId("", current));
        entry = { id: resource.id, scope, resource };
        this.resources.set(current, entry);
      }
      parentId = entry.id;
      parent = current;
    }
    return parentId;
  }
}

function assertThrottle(throttle: Throttle, prop: string): void {
  if (!Token.isUnresolved(throttle.rateLimit) && !(throttle.rateLimit > 0 && throttle.rateLimit <= 10000)) {
    throw new Error(`${prop}.rateLimit (${throttle.rateLimit}) must be in (0, 10000] requests per second`);
  }
  assertIntInRange(throttle.burstLimit, 1, 5000, `${prop}.burstLimit`);
}

/** `PATCH /haiku/{item_id}` -> `PatchHaikuItemId`: the flat ids of earlier versions (declared as moves), and ids outside this construct (ApiInvoke permissions). */
function constructId(method: string, path: string): string {
  const words = [method.toLowerCase(), ...path.split(/[^A-Za-z0-9]+/)].filter(Boolean);
  return words.map((w) => w[0].toUpperCase() + w.slice(1)).join("");
}
