import * as path from "path";
import { Construct } from "constructs";
import { Annotations, App, TerraformAsset, AssetType, TerraformResource, Token } from "cdktf";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { LambdaFunctionEventInvokeConfig } from "@cdktf/provider-aws/lib/lambda-function-event-invoke-config";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy";
import { Role } from "../iam/role";
import { Grant, IGrantable, IPrincipal } from "../iam/grant";
import { assertRetention, DEFAULT_LOG_RETENTION_DAYS } from "../core/log-retention";
import { bundleEntry, stageBundle } from "./bundle";
import { physicalName } from "../core/names";
import { assertIntInRange } from "../core/validate";
import { resolveToken } from "../core/cdktf-internals";

/** Lambda's Node.js runtime used by every NodeFunction (AWS SDK v3 built in; supported until 2027). */
export const NODE_RUNTIME = "nodejs22.x";
export const DEFAULT_MEMORY_MB = 128;
export const DEFAULT_TIMEOUT_SECONDS = 10;
export { DEFAULT_LOG_RETENTION_DAYS };
/** Lambda's instruction set architectures. */
export const ARCHITECTURES = ["arm64", "x86_64"] as const;
export const DEFAULT_ARCHITECTURE: Architecture = "arm64";
/**
 * Lambda's default quota of concurrent executions per account and region
 * (Service Quotas: Lambda "Concurrent executions", L-B99A9384); new accounts
 * may start lower, some at 10.
 */
export const DEFAULT_CONCURRENCY_QUOTA = 1000;
/** Concurrency Lambda keeps unreserved for the other functions of the account. */
export const UNRESERVED_CONCURRENCY_MINIMUM = 100;
/** The most `reservedConcurrency` can reserve under the default quota. */
export const MAX_RESERVED_CONCURRENCY_AT_DEFAULT_QUOTA = DEFAULT_CONCURRENCY_QUOTA - UNRESERVED_CONCURRENCY_MINIMUM;

/** Why `reserved` needs a raised quota, or `undefined` when the default quota allows it. */
export function reservedConcurrencyWarning(reserved: number): string | undefined {
  if (reserved <= MAX_RESERVED_CONCURRENCY_AT_DEFAULT_QUOTA) return undefined;
  return (
    `reserves more than the ${MAX_RESERVED_CONCURRENCY_AT_DEFAULT_QUOTA} concurrent executions the default account quota allows ` +
    `(Lambda "Concurrent executions" quota ${DEFAULT_CONCURRENCY_QUOTA}, L-B99A9384, minus the ${UNRESERVED_CONCURRENCY_MINIMUM} AWS keeps unreserved; ` +
    "new accounts may start lower): the apply fails unless the quota is raised (Service Quotas console)"
  );
}

/** 14 days, the SQS maximum: time to look at failed events before they expire. */
export const DLQ_RETENTION_SECONDS = 14 * 24 * 3600;

/** Lambda's X-Ray tracing modes. */
export const TRACING_MODES = ["Active", "PassThrough"] as const;
export type TracingMode = (typeof TRACING_MODES)[number];
/**
 * Active X-Ray tracing. Cost: the first 100,000 traces recorded a month are
 * free, then 5 USD per million (0.50 USD per million retrieved/scanned): a
 * course's few thousand invocations cost nothing.
 */
export const DEFAULT_TRACING: TracingMode = "Active";
/** What the execution role needs for Active tracing (no resource-level permissions: `Resource: *`). */
export const XRAY_WRITE_ACTIONS = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"] as const;

/**
 * The statement that makes a queue TLS-only: deny every SQS action over
 * plain HTTP. Shared by the dead-letter queue and any module that writes
 * its own policy for a queue (one aws_sqs_queue_policy per queue).
 */
export function tlsOnlyQueueStatement(queueArn: string): Record<string, unknown> {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "sqs:*",
    Resource: queueArn,
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

/** Actions of the execution role on its own log group, and nothing else by default. */
export const LOG_WRITE_ACTIONS = ["logs:CreateLogStream", "logs:PutLogEvents"] as const;
export const INVOKE_ACTIONS = ["lambda:InvokeFunction"] as const;

/**
 * Service principals that invoke functions asynchronously (Lambda retries
 * twice, then drops the event unless a DLQ or on-failure destination exists).
 */
export const ASYNC_INVOKERS = [
  "events.amazonaws.com",
  "sns.amazonaws.com",
  "s3.amazonaws.com",
  "scheduler.amazonaws.com",
  "logs.amazonaws.com",
  "ses.amazonaws.com",
  "iot.amazonaws.com",
] as const;

/** Environment variables the Lambda runtime sets itself and refuses in a function's configuration. */
export const RESERVED_ENVIRONMENT_KEYS = [
  "_HANDLER",
  "_X_AMZN_TRACE_ID",
  "AWS_DEFAULT_REGION",
  "AWS_REGION",
  "AWS_EXECUTION_ENV",
  "AWS_LAMBDA_FUNCTION_NAME",
  "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
  "AWS_LAMBDA_FUNCTION_VERSION",
  "AWS_LAMBDA_INITIALIZATION_TYPE",
  "AWS_LAMBDA_LOG_GROUP_NAME",
  "AWS_LAMBDA_LOG_STREAM_NAME",
  "AWS_ACCESS_KEY",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_LAMBDA_RUNTIME_API",
  "LAMBDA_TASK_ROOT",
  "LAMBDA_RUNTIME_DIR",
] as const;

/** The permission each kind of on-failure destination needs on the execution role. */
const DESTINATION_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  sqs: ["sqs:SendMessage"],
  sns: ["sns:Publish"],
  lambda: ["lambda:InvokeFunction"],
  events: ["events:PutEvents"],
};
/** Terraform resource type -> destination kind, for ARNs given as references. */
const DESTINATION_TYPES: Readonly<Record<string, string>> = {
  aws_sqs_queue: "sqs",
  aws_sns_topic: "sns",
  aws_lambda_function: "lambda",
  aws_lambda_alias: "lambda",
  aws_cloudwatch_event_bus: "events",
};

export type Architecture = (typeof ARCHITECTURES)[number];

export interface OnFailureDestination {
  /** ARN of an SQS queue, SNS topic, Lambda function or EventBridge bus (a literal or a reference to one of those resources). */
  readonly destinationArn: string;
}

export interface NodeFunctionProps {
  /**
   * Folder under `lambdas/` holding `index.ts` with `export const handler`,
   * e.g. `"simple-lambda"` -> `lambdas/simple-lambda/index.ts`. Bundled with
   * esbuild at synth (minified, node22, CommonJS, AWS SDK v3 external: the
   * runtime provides it).
   */
  readonly entry: string;
  /** Shown in the console. @default none */
  readonly description?: string;
  /**
   * Memory in MB, 128..10240; CPU scales with it.
   * Cost: 0.0000133334 USD per GB-second on arm64 (ap-northeast-1, 2026-11),
   * so 128 MB for 3 s is ~0.000005 USD per call, plus 0.20 USD per million requests.
   * @default 128
   */
  readonly memorySize?: number;
  /** Seconds before Lambda stops an invocation, 1..900. @default 10 */
  readonly timeout?: number;
  /**
   * Processor. arm64 (Graviton) is ~20% cheaper per GB-second than x86_64 and
   * runs the same JavaScript.
   * @default "arm64"
   */
  readonly architecture?: Architecture;
  /** Environment variables (keys the runtime reserves, like AWS_REGION, are refused). @default none */
  readonly environment?: Record<string, string>;
  /**
   * Concurrent executions reserved for (and capping) this function. 0 disables it.
   * Reserving takes concurrency away from the account's unreserved pool (1000 by default, sometimes 10 on new accounts).
   * @default none (unreserved: shares the account pool)
   */
  readonly reservedConcurrency?: number;
  /**
   * An SQS dead-letter queue (SSE-SQS encrypted, 14-day retention) for events
   * that failed every asynchronous attempt; the role may send to that queue only.
   * Cost: nothing while empty (0.40 USD per million requests).
   * @default false, but a queue is added as soon as {@link NodeFunction.grantInvoke}
   * gives an asynchronous invoker (EventBridge, SNS, S3, ...) access and no
   * `onFailure` destination is set; `false` explicitly opts out.
   */
  readonly deadLetterQueue?: boolean;
  /**
   * Give the dead-letter queue its TLS-only queue policy. Turn off only when
   * the caller writes the queue's one policy itself (it must then include
   * {@link tlsOnlyQueueStatement}). @default true
   */
  readonly deadLetterQueuePolicy?: boolean;
  /**
   * X-Ray tracing mode. Active records a trace per invocation (the role gets
   * `xray:PutTraceSegments` / `xray:PutTelemetryRecords`).
   * Cost: 100,000 traces a month free, then 5 USD per million.
   * @default "Active"
   */
  readonly tracing?: TracingMode;
  /** Where asynchronous invocations that failed every retry go (aws_lambda_function_event_invoke_config). @default none */
  readonly onFailure?: OnFailureDestination;
  /**
   * Retention of the function's own log group `/aws/lambda/<name>`, which the
   * stack creates before the function (so Lambda never creates a never-expiring one).
   * @default 14
   */
  readonly logRetentionDays?: number;
  /**
   * Function name, 1..64 of `A-Za-z0-9-_`. Names are unique per account and region: give one with the
   * environment in it (`CourseStack.resourceName(...)`) when several environments share an account.
   * @default stable, from the construct path (`<stack>-<ids>`, shortened with a hash past 64 characters)
   */
  readonly functionName?: string;
}

/**
 * A Node.js 22 Lambda function from a TypeScript entry under `lambdas/`:
 *
 * - bundled at synth into a deterministic zip (same bytes across synths,
 *   machines and umasks, so `cdktf diff` shows no change when code did not change),
 *   uploaded from a `TerraformAsset`, `source_code_hash` = its SHA-256;
 * - its own log group with retention, created before the function;
 * - an execution role that may only write to that log group (no
 *   AWSLambdaBasicExecutionRole, whose `logs:*` actions are on `Resource: *`);
 *   other constructs add to it through `grantX(fn)`, since the function is an {@link IGrantable};
 * - Active X-Ray tracing (free up to 100,000 traces a month);
 * - optional dead-letter queue (encrypted, TLS-only), on-failure destination, reserved concurrency.
 *
 * @example
 * const fn = new NodeFunction(this, "Function", { entry: "simple-lambda", deadLetterQueue: true });
 * table.grantReadData(fn);
 */
export class NodeFunction extends Construct implements IGrantable {
  readonly resource: LambdaFunction;
  readonly role: Role;
  readonly grantPrincipal: IPrincipal;
  readonly logGroup: CloudwatchLogGroup;
  /** The deployment zip, copied into the stack folder at synth (`assets/<id>/<hash>/<entry>.zip`). */
  readonly asset: TerraformAsset;
  private dlq?: SqsQueue;
  private readonly autoDeadLetterQueue: boolean;
  private readonly dlqPolicy: boolean;

  constructor(scope: Construct, id: string, props: NodeFunctionProps) {
    super(scope, id);
    const memorySize = props.memorySize ?? DEFAULT_MEMORY_MB;
    const timeout = props.timeout ?? DEFAULT_TIMEOUT_SECONDS;
    const architecture = props.architecture ?? DEFAULT_ARCHITECTURE;
    const logRetentionDays = props.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS;
    const functionName = props.functionName ?? physicalName(this, { maxLength: 64 });
    const environment = props.environment ?? {};
    const tracing = props.tracing ?? DEFAULT_TRACING;
    this.dlqPolicy = props.deadLetterQueuePolicy ?? true;

    // Validate first.
    assertIntInRange(memorySize, 128, 10240, "memorySize");
    assertIntInRange(timeout, 1, 900, "timeout");
    if (architecture !== "arm64" && architecture !== "x86_64") {
      throw new Error(`architecture (${String(architecture)}) must be "arm64" or "x86_64"`);
    }
    assertRetention(logRetentionDays, "logRetentionDays");
    if (!(TRACING_MODES as readonly string[]).includes(tracing)) {
      throw new Error(`tracing (${String(tracing)}) must be one of ${TRACING_MODES.join(", ")}`);
    }
    if (!Token.isUnresolved(functionName) && !/^[A-Za-z0-9_-]{1,64}$/.test(functionName)) {
      throw new Error(`functionName (${functionName}) must be 1..64 characters of A-Za-z0-9-_`);
    }
    if (props.reservedConcurrency !== undefined) {
      assertIntInRange(props.reservedConcurrency, 0, 1_000_000, "reservedConcurrency");
    }
    validateEnvironment(environment);
    const destinationKind = props.onFailure ? destinationKindOf(this, props.onFailure.destinationArn) : undefined;
    if (props.deadLetterQueue && props.onFailure) {
      Annotations.of(this).addWarning(`${this.node.path}: both deadLetterQueue and onFailure are set; failed events go to both`);
    }
    const quotaWarning = props.reservedConcurrency !== undefined ? reservedConcurrencyWarning(props.reservedConcurrency) : undefined;
    if (quotaWarning) Annotations.of(this).addWarning(`${this.node.path}: reservedConcurrency (${props.reservedConcurrency}) ${quotaWarning}`);
    if (props.reservedConcurrency === 0) {
      Annotations.of(this).addWarning(`${this.node.path}: reservedConcurrency (0) throttles every invocation of ${functionName}`);
    }
    // Bundling throws naming `entry` when the entry is malformed or missing.
    const bundle = bundleEntry(props.entry);

    // Then build.
    this.logGroup = new CloudwatchLogGroup(this, "LogGroup", {
      name: `/aws/lambda/${functionName}`,
      retentionInDays: logRetentionDays,
    });
    this.role = new Role(this, "ServiceRole", {
      assumedBy: "lambda.amazonaws.com",
      description: `Execution role of ${functionName}`,
    });
    this.grantPrincipal = this.role;
    this.role.addToPolicy({
      sid: "WriteOwnLogGroup",
      actions: LOG_WRITE_ACTIONS,
      resources: [`${this.logGroup.arn}:*`],
    });
    if (tracing === "Active") {
      this.role.addToPolicy({ sid: "WriteTraces", actions: XRAY_WRITE_ACTIONS, resources: ["*"] });
    }
    if (props.onFailure && destinationKind) {
      this.role.addToPolicy({
        sid: "SendToOnFailureDestination",
        actions: DESTINATION_ACTIONS[destinationKind],
        resources: [props.onFailure.destinationArn],
      });
    }

    this.asset = new TerraformAsset(this, "Code", {
      path: stageBundle(bundle, props.entry, stagingDirOf(this)),
      type: AssetType.FILE,
      assetHash: bundle.zipSha256Hex.slice(0, 32),
    });

    this.resource = new LambdaFunction(this, "Resource", {
      functionName,
      description: props.description,
      role: this.role.roleArn,
      runtime: NODE_RUNTIME,
      handler: "index.handler",
      architectures: [architecture],
      memorySize,
      timeout,
      filename: this.asset.path,
      sourceCodeHash: bundle.zipSha256Base64,
      environment: Object.keys(environment).length ? { variables: { ...environment } } : undefined,
      reservedConcurrentExecutions: props.reservedConcurrency,
      loggingConfig: { logFormat: "Text", logGroup: this.logGroup.name },
      tracingConfig: { mode: tracing },
      // The log group must exist first (else Lambda makes a never-expiring one), and so must the
      // role's policy: Lambda checks sqs:SendMessage on the dead-letter queue at creation.
      dependsOn: [this.logGroup, ...roleResources(this.role)],
    });

    this.autoDeadLetterQueue = props.deadLetterQueue === undefined && !props.onFailure;
    if (props.deadLetterQueue) this.addDeadLetterQueue();

    if (props.onFailure) {
      new LambdaFunctionEventInvokeConfig(this, "EventInvokeConfig", {
        functionName: this.resource.functionName,
        destinationConfig: { onFailure: { destination: props.onFailure.destinationArn } },
      });
    }
  }

  get functionName(): string {
    return this.resource.functionName;
  }

  get functionArn(): string {
    return this.resource.arn;
  }

  /** For API Gateway integrations (`arn:...:apigateway:<region>:lambda:path/2015-03-31/functions/<arn>/invocations`). */
  get invokeArn(): string {
    return this.resource.invokeArn;
  }

  /** The dead-letter queue, when there is one. */
  get deadLetterQueue(): SqsQueue | undefined {
    return this.dlq;
  }

  /**
   * A resource-based permission (`aws_lambda_permission`) letting an AWS service
   * invoke the function, optionally only from `sourceArn` (an API's execution ARN,
   * an EventBridge rule ARN). Always give `sourceArn` when the service supports it:
   * without it any account's resource of that service could invoke the function.
   * An asynchronous invoker (EventBridge, SNS, S3, ...) adds the dead-letter queue
   * unless `deadLetterQueue: false` or `onFailure` was given.
   * @param id construct id (a Terraform address). @default `InvokeBy<Service>`, numbered when repeated
   */
  grantInvoke(principal: { readonly service: string; readonly sourceArn?: string }, id?: string): LambdaPermission {
    if (!/^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/.test(principal.service)) {
      throw new Error(`grantInvoke: service (${principal.service}) must be a service principal like apigateway.amazonaws.com`);
    }
    const permissionId = id ?? this.nextPermissionId(principal.service);
    if (this.node.tryFindChild(permissionId)) throw new Error(`grantInvoke: id (${permissionId}) is already used in ${this.node.path}`);
    const permission = new LambdaPermission(this, permissionId, {
      functionName: this.resource.functionName,
      action: INVOKE_ACTIONS[0],
      principal: principal.service,
      sourceArn: principal.sourceArn,
    });
    if (this.autoDeadLetterQueue && !this.dlq && (ASYNC_INVOKERS as readonly string[]).includes(principal.service)) {
      this.addDeadLetterQueue();
    }
    return permission;
  }

  /** Lets another grantee (a role, a function) call `lambda:InvokeFunction` on this function and its versions/aliases. */
  grantInvokeTo(grantee: IGrantable): void {
    Grant.addToPrincipal({
      grantee,
      actions: INVOKE_ACTIONS,
      resourceArns: [this.functionArn, `${this.functionArn}:*`],
    });
  }

  private addDeadLetterQueue(): void {
    const name = this.resource.functionNameInput;
    this.dlq = new SqsQueue(this, "DeadLetterQueue", {
      name: name && !Token.isUnresolved(name) ? `${name}-dlq` : undefined,
      sqsManagedSseEnabled: true,
      messageRetentionSeconds: DLQ_RETENTION_SECONDS,
    });
    if (this.dlqPolicy) {
      new SqsQueuePolicy(this, "DeadLetterQueuePolicy", {
        queueUrl: this.dlq.url,
        policy: JSON.stringify({ Version: "2012-10-17", Statement: [tlsOnlyQueueStatement(this.dlq.arn)] }),
      });
    }
    this.role.addToPolicy({ sid: "SendToDeadLetterQueue", actions: ["sqs:SendMessage"], resources: [this.dlq.arn] });
    this.resource.putDeadLetterConfig({ targetArn: this.dlq.arn });
  }

  private nextPermissionId(service: string): string {
    const base = `InvokeBy${service
      .split(".")[0]
      .split("-")
      .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
      .join("")}`;
    let candidate = base;
    for (let n = 2; this.node.tryFindChild(candidate); n++) candidate = `${base}${n}`;
    return candidate;
  }
}

function validateEnvironment(environment: Record<string, string>): void {
  let bytes = 0;
  for (const [key, value] of Object.entries(environment)) {
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(key)) throw new Error(`environment key (${key}) must match [A-Za-z][A-Za-z0-9_]*`);
    if ((RESERVED_ENVIRONMENT_KEYS as readonly string[]).includes(key)) {
      throw new Error(`environment key (${key}) is reserved by the Lambda runtime`);
    }
    if (typeof value !== "string") throw new Error(`environment.${key} (${String(value)}) must be a string`);
    bytes += Buffer.byteLength(key) + (Token.isUnresolved(value) ? 0 : Buffer.byteLength(value));
  }
  if (bytes > 4096) throw new Error(`environment (${bytes} bytes) must total at most 4096 bytes (Lambda's limit)`);
}

/** `sqs` | `sns` | `lambda` | `events` for an on-failure destination ARN, literal or a reference. */
function destinationKindOf(scope: Construct, arn: string): string {
  if (!arn) throw new Error(`onFailure.destinationArn ("${arn}") must be an ARN`);
  let kind: string | undefined;
  if (Token.isUnresolved(arn)) {
    const resolved = String(resolveToken(scope, arn));
    const type = /^\$\{([a-z0-9_]+)\./.exec(resolved)?.[1];
    kind = type ? DESTINATION_TYPES[type] : undefined;
    if (!kind) {
      throw new Error(`onFailure.destinationArn (${resolved}) must reference one of ${Object.keys(DESTINATION_TYPES).join(", ")} (or be a literal ARN)`);
    }
  } else {
    kind = /^arn:aws[a-z-]*:([a-z0-9-]+):/.exec(arn)?.[1];
    if (!kind || !DESTINATION_ACTIONS[kind]) {
      throw new Error(`onFailure.destinationArn (${arn}) must be the ARN of an SQS queue, SNS topic, Lambda function or EventBridge bus`);
    }
  }
  return kind;
}

/** Staging folder for bundles: `<outdir>/.bundles`, outside every stack folder. */
function stagingDirOf(scope: Construct): string {
  return path.resolve(App.of(scope).outdir, ".bundles");
}

/** The role and its inline policy (once it has statements), for depends_on. */
function roleResources(role: Role): TerraformResource[] {
  return role.inlinePolicy ? [role.resource, role.inlinePolicy] : [role.resource];
}
