import { describeRule, merge, res } from "../rule-cases";
import { synthJson } from "../../../helpers/synth";
import { LambdaXray } from "../../../../modules/policy/rules/lambda-xray";
import { LambdaEnvSecrets } from "../../../../modules/policy/rules/lambda-env-secrets";
import { LambdaPublicConcurrency } from "../../../../modules/policy/rules/lambda-public-concurrency";
import { LambdaAsyncDlq } from "../../../../modules/policy/rules/lambda-async-dlq";
import { LogRetentionMinimum, logRetentionMinimumRule } from "../../../../modules/policy/rules/log-retention-minimum";
import { NodeFunction } from "../../../../modules/serverless/function";
import { findingsOf } from "../rule-cases";

const fn = (config: Record<string, unknown> = {}) => res("aws_lambda_function", "f", { function_name: "course-fn", runtime: "nodejs22.x", ...config });
const nodeFunction = (props: Partial<ConstructorParameters<typeof NodeFunction>[2]> = {}) => () =>
  synthJson((s) => void new NodeFunction(s, "Fn", { entry: "simple-lambda", ...props }));

describeRule(LambdaXray, {
  compliant: [{ name: "NodeFunction default (Active)", tf: nodeFunction() }],
  noncompliant: [
    { name: "NodeFunction with tracing PassThrough", tf: nodeFunction({ tracing: "PassThrough" }), message: /PassThrough/ },
    { name: "function without tracing_config", tf: fn(), message: /unset/ },
  ],
});

describeRule(LambdaEnvSecrets, {
  compliant: [
    { name: "names and references", tf: fn({ environment: { variables: { TABLE_NAME: "t", API_KEY_PARAMETER: "/course/key", CURSOR_SECRET: "${terraform_data.s.output}" } } }) },
    { name: "a sort key name is not a secret", tf: fn({ environment: { variables: { SORT_KEY_NAME: "created_at" } } }) },
  ],
  noncompliant: [
    { name: "literal password", tf: fn({ environment: { variables: { DB_PASSWORD: "hunter2" } } }), message: /DB_PASSWORD/ },
    { name: "literal API key and token", tf: fn({ environment: { variables: { OPENAI_API_KEY: "sk-123", GITHUB_TOKEN: "ghp_x" } } }), message: /OPENAI_API_KEY, GITHUB_TOKEN/ },
  ],
});

const apiPermission = res("aws_lambda_permission", "p", { function_name: "${aws_lambda_function.f.function_name}", principal: "apigateway.amazonaws.com", action: "lambda:InvokeFunction" });

describeRule(LambdaPublicConcurrency, {
  compliant: [
    { name: "API function with reserved concurrency", tf: merge(fn({ reserved_concurrent_executions: 5 }), apiPermission) },
    { name: "function nobody outside invokes", tf: fn() },
  ],
  noncompliant: [
    { name: "API Gateway function without a cap", tf: merge(fn(), apiPermission), message: /from the internet/ },
    { name: "public function URL", tf: merge(fn(), res("aws_lambda_function_url", "u", { function_name: "${aws_lambda_function.f.function_name}", authorization_type: "NONE" })) },
  ],
});

describe("LAMBDA-ASYNC-DLQ sees invokers wired without a permission", () => {
  describeRule(LambdaAsyncDlq, {
    compliant: [{ name: "SNS subscription, function with a DLQ", tf: merge(fn({ dead_letter_config: { target_arn: "${aws_sqs_queue.d.arn}" } }), res("aws_sns_topic_subscription", "s", { protocol: "lambda", endpoint: "${aws_lambda_function.f.arn}" })) }],
    noncompliant: [
      { name: "EventBridge target only", tf: merge(fn(), res("aws_cloudwatch_event_target", "t", { rule: "r", arn: "${aws_lambda_function.f.arn}" })), message: /aws_cloudwatch_event_target\.t/ },
      { name: "S3 notification", tf: merge(fn(), res("aws_s3_bucket_notification", "n", { bucket: "b", lambda_function: [{ lambda_function_arn: "${aws_lambda_function.f.arn}" }] })), message: /S3 notification/ },
    ],
  });
});

describeRule(LogRetentionMinimum, {
  compliant: [
    { name: "14 days (the modules' default)", tf: res("aws_cloudwatch_log_group", "g", { retention_in_days: 14 }) },
    { name: "unset is LOG-RETENTION's error, not this warning", tf: res("aws_cloudwatch_log_group", "g", {}) },
  ],
  noncompliant: [{ name: "1 day", tf: res("aws_cloudwatch_log_group", "g", { retention_in_days: 1 }), message: /below the minimum of 7 days/ }],
});

describe("logRetentionMinimumRule", () => {
  it("takes a team's own minimum", () => {
    const rule = logRetentionMinimumRule(30);
    expect(findingsOf(rule, res("aws_cloudwatch_log_group", "g", { retention_in_days: 14 })).map((f) => f.message)).toEqual(["retention_in_days (14) is below the minimum of 30 days"]);
  });
});
