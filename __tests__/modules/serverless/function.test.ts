import * as fs from "fs";
import * as path from "path";
import { App, TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { LambdaFunctionEventInvokeConfig } from "@cdktf/provider-aws/lib/lambda-function-event-invoke-config";
import { NodeFunction, NodeFunctionProps } from "../../../modules/serverless/function";
import { Role } from "../../../modules/iam/role";
import { readZip } from "../../../modules/serverless/zip";
import { onlyResource, resourcesOf, synthJson, synthScope, TfJson } from "../../helpers/synth";

const ENTRY = "simple-lambda";

function fnJson(props: Partial<NodeFunctionProps> = {}, extra?: (fn: NodeFunction) => void): TfJson {
  return synthJson((s) => {
    const fn = new NodeFunction(s, "Fn", { entry: ENTRY, ...props });
    extra?.(fn);
  });
}

/** Statements of the only role policy document (the inline policy of the execution role). */
function policyStatements(json: TfJson): any[] {
  const docs = Object.entries(json.data?.aws_iam_policy_document ?? {}).filter(([k]) => k.includes("PolicyDocument"));
  return docs.flatMap(([, d]: [string, any]) => d.statement);
}

describe("NodeFunction", () => {
  test("runs the bundled entry on nodejs22.x arm64 with 128 MB, 10 s, and its source hash", () => {
    const out = synthScope((s) => new NodeFunction(s, "Fn", { entry: ENTRY }));
    expect(out).toHaveResourceWithProperties(LambdaFunction, {
      runtime: "nodejs22.x",
      handler: "index.handler",
      architectures: ["arm64"],
      memory_size: 128,
      timeout: 10,
    });
    const fn = onlyResource(JSON.parse(out), "aws_lambda_function");
    expect(fn.source_code_hash).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(fn.filename).toMatch(/^assets\/.+\/[0-9a-f]{32}\/simple-lambda\.zip$/);
    expect(fn.reserved_concurrent_executions).toBeUndefined();
    expect(fn.dead_letter_config).toBeUndefined();
  });

  test("writes to its own log group with 14-day retention, created before the function", () => {
    const json = fnJson({ functionName: "my-fn" });
    const group = onlyResource(json, "aws_cloudwatch_log_group");
    expect(group).toMatchObject({ name: "/aws/lambda/my-fn", retention_in_days: 14 });
    const groupKey = Object.keys(resourcesOf(json, "aws_cloudwatch_log_group"))[0];
    const fn = onlyResource(json, "aws_lambda_function");
    expect(fn.logging_config.log_group).toBe(`\${aws_cloudwatch_log_group.${groupKey}.name}`);
    expect(fn.depends_on).toContain(`aws_cloudwatch_log_group.${groupKey}`);
    expect(fn.depends_on.some((d: string) => d.startsWith("aws_iam_role_policy."))).toBe(true);
  });

  test("gives the execution role log writes on its own log group only, X-Ray trace writes, and no managed policy", () => {
    const json = fnJson();
    expect(resourcesOf(json, "aws_iam_role_policy_attachment")).toEqual({});
    const statements = policyStatements(json);
    expect(statements).toHaveLength(2);
    // Active tracing (the default): X-Ray has no resource-level permissions, so Resource *.
    expect(statements[1]).toMatchObject({ sid: "WriteTraces", actions: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], resources: ["*"] });
    expect(onlyResource(json, "aws_lambda_function").tracing_config).toEqual({ mode: "Active" });
    const groupKey = Object.keys(resourcesOf(json, "aws_cloudwatch_log_group"))[0];
    expect(statements[0]).toMatchObject({
      effect: "Allow",
      actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
      resources: [`\${aws_cloudwatch_log_group.${groupKey}.arn}:*`],
    });
    const trust = Object.entries(json.data!.aws_iam_policy_document).find(([k]) => k.includes("Trust"))![1] as any;
    expect(trust.statement[0].principals[0].identifiers).toEqual(["lambda.amazonaws.com"]);
  });

  test("applies every sizing prop", () => {
    const out = synthScope(
      (s) =>
        new NodeFunction(s, "Fn", {
          entry: ENTRY,
          memorySize: 1024,
          timeout: 900,
          architecture: "x86_64",
          reservedConcurrency: 5,
          description: "demo",
          environment: { TABLE_NAME: "t" },
          logRetentionDays: 30,
          functionName: "demo-fn",
        })
    );
    expect(out).toHaveResourceWithProperties(LambdaFunction, {
      function_name: "demo-fn",
      description: "demo",
      memory_size: 1024,
      timeout: 900,
      architectures: ["x86_64"],
      reserved_concurrent_executions: 5,
      environment: { variables: { TABLE_NAME: "t" } },
    });
    expect(out).toHaveResourceWithProperties(CloudwatchLogGroup, { retention_in_days: 30 });
  });

  test("generates a stable function name from the construct path", () => {
    const a = onlyResource(fnJson(), "aws_lambda_function").function_name;
    const b = onlyResource(fnJson(), "aws_lambda_function").function_name;
    expect(a).toBe(b);
    expect(a).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    expect(a).toMatch(/Fn$/);
  });

  test("shortens long generated names to 64 characters and keeps them unique", () => {
    const json = synthJson((s) => {
      new NodeFunction(s, "A".repeat(70), { entry: ENTRY });
      new NodeFunction(s, `${"A".repeat(69)}B`, { entry: ENTRY });
    });
    const names = Object.values(resourcesOf(json, "aws_lambda_function")).map((f: any) => f.function_name);
    expect(names.every((n) => n.length <= 64)).toBe(true);
    expect(new Set(names).size).toBe(2);
  });

  test("adds an encrypted dead-letter queue that only this role may send to", () => {
    const json = fnJson({ deadLetterQueue: true, functionName: "dlq-fn" });
    const queue = onlyResource(json, "aws_sqs_queue");
    expect(queue).toMatchObject({ name: "dlq-fn-dlq", sqs_managed_sse_enabled: true, message_retention_seconds: 1209600 });
    const queueKey = Object.keys(resourcesOf(json, "aws_sqs_queue"))[0];
    expect(onlyResource(json, "aws_lambda_function").dead_letter_config).toEqual({ target_arn: `\${aws_sqs_queue.${queueKey}.arn}` });
    expect(policyStatements(json)).toContainEqual(expect.objectContaining({ actions: ["sqs:SendMessage"], resources: [`\${aws_sqs_queue.${queueKey}.arn}`] }));
  });

  test("adds the dead-letter queue when an asynchronous invoker is granted, unless opted out", () => {
    const events = { service: "events.amazonaws.com", sourceArn: "arn:aws:events:ap-northeast-1:123456789012:rule/r" };
    expect(
      Object.keys(
        resourcesOf(
          fnJson({}, (f) => f.grantInvoke(events)),
          "aws_sqs_queue"
        )
      )
    ).toHaveLength(1);
    expect(
      resourcesOf(
        fnJson({ deadLetterQueue: false }, (f) => f.grantInvoke(events)),
        "aws_sqs_queue"
      )
    ).toEqual({});
    // a synchronous invoker (API Gateway) needs no queue
    const api = { service: "apigateway.amazonaws.com", sourceArn: "arn:aws:execute-api:ap-northeast-1:123456789012:abc/*" };
    expect(
      resourcesOf(
        fnJson({}, (f) => f.grantInvoke(api)),
        "aws_sqs_queue"
      )
    ).toEqual({});
  });

  test("grantInvoke adds a lambda permission scoped to the source ARN, with numbered ids when repeated", () => {
    const json = fnJson({}, (f) => {
      f.grantInvoke({ service: "apigateway.amazonaws.com", sourceArn: "arn:aws:execute-api:ap-northeast-1:123456789012:abc/*/GET/x" });
      f.grantInvoke({ service: "apigateway.amazonaws.com", sourceArn: "arn:aws:execute-api:ap-northeast-1:123456789012:abc/*/POST/x" });
    });
    const permissions = Object.entries(resourcesOf(json, "aws_lambda_permission"));
    expect(permissions).toHaveLength(2);
    expect(permissions.map(([k]) => k.split("_")[1]).sort()).toEqual(["InvokeByApigateway", "InvokeByApigateway2"]);
    expect(permissions[0][1]).toMatchObject({ action: "lambda:InvokeFunction", principal: "apigateway.amazonaws.com" });
    expect(
      synthScope((s) => new NodeFunction(s, "Fn", { entry: ENTRY }).grantInvoke({ service: "sns.amazonaws.com" }, "FromTopic"))
    ).toHaveResourceWithProperties(LambdaPermission, { principal: "sns.amazonaws.com" });
  });

  test("grantInvokeTo lets another role invoke the function and its versions only", () => {
    const json = synthJson((s) => {
      const fn = new NodeFunction(s, "Fn", { entry: ENTRY });
      const caller = new Role(s, "Caller", { assumedBy: "ecs-tasks.amazonaws.com" });
      fn.grantInvokeTo(caller);
    });
    const fnKey = Object.keys(resourcesOf(json, "aws_lambda_function"))[0];
    const callerDoc = Object.entries(json.data!.aws_iam_policy_document).find(([k]) => k.startsWith("Caller") && k.includes("PolicyDocument"))![1] as any;
    expect(callerDoc.statement).toEqual([
      expect.objectContaining({
        actions: ["lambda:InvokeFunction"],
        resources: [`\${aws_lambda_function.${fnKey}.arn}`, `\${aws_lambda_function.${fnKey}.arn}:*`],
      }),
    ]);
  });

  test("sends failed async events to an on-failure destination it may write to", () => {
    const json = synthJson((s) => {
      const target = new SqsQueue(s, "Failures", { sqsManagedSseEnabled: true });
      new NodeFunction(s, "Fn", { entry: ENTRY, onFailure: { destinationArn: target.arn } });
    });
    const queueKey = Object.keys(resourcesOf(json, "aws_sqs_queue"))[0];
    expect(onlyResource(json, "aws_lambda_function_event_invoke_config").destination_config).toEqual({
      on_failure: { destination: `\${aws_sqs_queue.${queueKey}.arn}` },
    });
    expect(policyStatements(json)).toContainEqual(expect.objectContaining({ actions: ["sqs:SendMessage"] }));
    const topic = synthJson((s) => {
      new NodeFunction(s, "Fn", { entry: ENTRY, onFailure: { destinationArn: "arn:aws:sns:ap-northeast-1:123456789012:failures" } });
    });
    expect(policyStatements(topic)).toContainEqual(
      expect.objectContaining({ actions: ["sns:Publish"], resources: ["arn:aws:sns:ap-northeast-1:123456789012:failures"] })
    );
    expect(synthScope((s) => new NodeFunction(s, "Fn", { entry: ENTRY }))).not.toHaveResource(LambdaFunctionEventInvokeConfig);
  });

  test("packs index.js alone, mode 0644, in a zip whose bytes the asset path and hash name", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "s");
    new AwsProvider(stack, "aws", { region: "ap-northeast-1" });
    new NodeFunction(stack, "Fn", { entry: ENTRY });
    app.synth();
    const json = JSON.parse(fs.readFileSync(path.join(app.outdir, "stacks", "s", "cdk.tf.json"), "utf8"));
    const fn = onlyResource(json, "aws_lambda_function");
    const zip = fs.readFileSync(path.join(app.outdir, "stacks", "s", fn.filename));
    const entries = readZip(zip);
    expect(entries.map((e) => [e.name, e.mode.toString(8)])).toEqual([["index.js", "100644"]]);
    expect(entries[0].data.toString()).toContain("Congratulations! You are given");
    expect(require("crypto").createHash("sha256").update(zip).digest("base64")).toBe(fn.source_code_hash);
    expect(app).toBeInstanceOf(App);
  });

  describe("validation", () => {
    const make = (props: Partial<NodeFunctionProps>) => () => synthScope((s) => new NodeFunction(s, "Fn", { entry: ENTRY, ...props }));
    const cases: [Partial<NodeFunctionProps>, RegExp][] = [
      [{ memorySize: 64 }, /memorySize \(64\) must be a whole number in 128\.\.10240/],
      [{ memorySize: 10241 }, /memorySize \(10241\)/],
      [{ memorySize: 128.5 }, /memorySize \(128.5\)/],
      [{ timeout: 0 }, /timeout \(0\) must be a whole number in 1\.\.900/],
      [{ timeout: 901 }, /timeout \(901\)/],
      [{ architecture: "ppc64" as never }, /architecture \(ppc64\)/],
      [{ logRetentionDays: 10 }, /logRetentionDays \(10\)/],
      [{ functionName: "bad name!" }, /functionName \(bad name!\)/],
      [{ functionName: "x".repeat(65) }, /functionName/],
      [{ reservedConcurrency: -1 }, /reservedConcurrency \(-1\)/],
      [{ environment: { AWS_REGION: "x" } }, /environment key \(AWS_REGION\) is reserved/],
      [{ environment: { "1BAD": "x" } }, /environment key \(1BAD\)/],
      [{ environment: { BIG: "x".repeat(5000) } }, /environment \(5003 bytes\) must total at most 4096/],
      [{ onFailure: { destinationArn: "arn:aws:s3:::bucket" } }, /onFailure\.destinationArn \(arn:aws:s3:::bucket\)/],
      [{ onFailure: { destinationArn: "" } }, /onFailure\.destinationArn/],
      [{ entry: "../etc" }, /entry \("\.\.\/etc"\)/],
      [{ entry: "no-such-entry" }, /entry \(no-such-entry\).*does not exist/],
    ];
    test.each(cases.map(([props, message]) => [JSON.stringify(props).slice(0, 70), props, message] as const))("rejects %s", (_label, props, message) => {
      expect(make(props)).toThrow(message);
    });

    test("rejects an on-failure destination that references an unsupported resource", () => {
      expect(() =>
        synthScope((s) => {
          const group = new CloudwatchLogGroup(s, "G", { name: "g", retentionInDays: 1 });
          new NodeFunction(s, "Fn", { entry: ENTRY, onFailure: { destinationArn: group.arn } });
        })
      ).toThrow(/onFailure\.destinationArn \(\$\{aws_cloudwatch_log_group/);
    });

    test("rejects a non-service principal and a reused permission id", () => {
      expect(() => fnJson({}, (f) => f.grantInvoke({ service: "123456789012" }))).toThrow(/service \(123456789012\)/);
      expect(() =>
        fnJson({}, (f) => {
          f.grantInvoke({ service: "sns.amazonaws.com" }, "P");
          f.grantInvoke({ service: "sns.amazonaws.com" }, "P");
        })
      ).toThrow(/id \(P\) is already used/);
    });
  });
});

describe("NodeFunction dead-letter queue policy (issue 15)", () => {
  test("the dead-letter queue is TLS-only, unless the caller writes the queue's one policy", () => {
    const json = synthJson((s) => new NodeFunction(s, "Fn", { entry: "simple-lambda", deadLetterQueue: true }));
    const policy = JSON.parse(onlyResource(json, "aws_sqs_queue_policy").policy);
    expect(policy.Statement).toEqual([expect.objectContaining({ Effect: "Deny", Action: "sqs:*", Condition: { Bool: { "aws:SecureTransport": "false" } } })]);
    const own = synthJson((s) => new NodeFunction(s, "Fn", { entry: "simple-lambda", deadLetterQueue: true, deadLetterQueuePolicy: false }));
    expect(resourcesOf(own, "aws_sqs_queue_policy")).toEqual({});
  });

  test("tracing PassThrough drops the X-Ray statement; an unknown mode is refused", () => {
    const json = synthJson((s) => new NodeFunction(s, "Fn", { entry: "simple-lambda", tracing: "PassThrough" }));
    expect(onlyResource(json, "aws_lambda_function").tracing_config).toEqual({ mode: "PassThrough" });
    expect(JSON.stringify(json.data)).not.toMatch(/xray:/);
    expect(() => synthJson((s) => new NodeFunction(s, "Fn", { entry: "simple-lambda", tracing: "On" as never }))).toThrow(/tracing \(On\)/);
  });
});
