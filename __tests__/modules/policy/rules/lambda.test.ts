import { describeRule, res } from "../rule-cases";
import type { TfJson } from "../../../helpers/synth";
import { LambdaAsyncDlq } from "../../../../modules/policy/rules/lambda-async-dlq";
import { LambdaLogGroup } from "../../../../modules/policy/rules/lambda-log-group";
import { LambdaArm64 } from "../../../../modules/policy/rules/lambda-arm64";
import { LambdaRuntimeSupported } from "../../../../modules/policy/rules/lambda-runtime-supported";

const fn = (config: Record<string, unknown> = {}, more: TfJson = {}) =>
  res("aws_lambda_function", "f", { function_name: "course-fn", runtime: "nodejs22.x", handler: "index.handler", ...config }, more);
const permission = (principal: string) => res("aws_lambda_permission", "p", { function_name: "${aws_lambda_function.f.function_name}", principal, action: "lambda:InvokeFunction" });
const logGroup = (name: string) => res("aws_cloudwatch_log_group", "g", { name, retention_in_days: 14 });

describeRule(LambdaAsyncDlq, {
  compliant: [
    { name: "function invoked only synchronously (API Gateway)", tf: fn({}, permission("apigateway.amazonaws.com")) },
    { name: "EventBridge target with a DLQ", tf: fn({ dead_letter_config: { target_arn: "${aws_sqs_queue.dlq.arn}" } }, permission("events.amazonaws.com")) },
    {
      name: "event invoke config with an on-failure destination",
      tf: fn({}, res("aws_lambda_function_event_invoke_config", "c", { function_name: "${aws_lambda_function.f.function_name}", destination_config: { on_failure: { destination: "${aws_sqs_queue.q.arn}" } } })),
    },
  ],
  noncompliant: [
    { name: "EventBridge target without DLQ", tf: fn({}, permission("events.amazonaws.com")), message: /events\.amazonaws\.com/ },
    { name: "SNS subscriber without DLQ", tf: fn({}, permission("sns.amazonaws.com")), message: /sns/ },
    {
      name: "event invoke config without on-failure",
      tf: fn({}, res("aws_lambda_function_event_invoke_config", "c", { function_name: "course-fn", maximum_retry_attempts: 0 })),
      message: /event invoke config/,
    },
  ],
});

describeRule(LambdaLogGroup, {
  compliant: [
    { name: "log group /aws/lambda/<literal name>", tf: fn({}, logGroup("/aws/lambda/course-fn")) },
    { name: "logging_config pointing at a stack log group", tf: fn({ logging_config: { log_format: "JSON", log_group: "${aws_cloudwatch_log_group.g.name}" } }, logGroup("/course/fn")) },
  ],
  noncompliant: [
    { name: "no log group", tf: fn(), message: /\/aws\/lambda\/course-fn/ },
    { name: "logging_config to a group outside the stack", tf: fn({ logging_config: { log_group: "/elsewhere" } }), message: /not a log group of this stack/ },
  ],
});

describeRule(LambdaRuntimeSupported, {
  compliant: [
    { name: "nodejs22.x", tf: fn() },
    { name: "container image (no runtime)", tf: fn({ runtime: undefined, package_type: "Image" }) },
  ],
  noncompliant: [
    { name: "nodejs18.x", tf: fn({ runtime: "nodejs18.x" }), message: /nodejs18\.x was deprecated on 2025-09-01/ },
    { name: "python3.8", tf: fn({ runtime: "python3.8" }), message: /python3\.8/ },
  ],
});

describeRule(LambdaArm64, {
  compliant: [{ name: "arm64", tf: fn({ architectures: ["arm64"] }) }],
  noncompliant: [
    { name: "architectures unset (x86_64)", tf: fn(), message: /\["x86_64"\]/ },
    { name: "explicit x86_64", tf: fn({ architectures: ["x86_64"] }), message: /20% less/ },
  ],
});
