import type { PolicyRule, ResourceView, StackIndex } from "../rule";
import { asList } from "../helpers";

/** Service principals that invoke Lambda asynchronously (events are retried, then dropped). */
export const ASYNC_PRINCIPALS = ["events.amazonaws.com", "sns.amazonaws.com", "s3.amazonaws.com", "scheduler.amazonaws.com", "logs.amazonaws.com", "ses.amazonaws.com", "iot.amazonaws.com"];

function refersTo(value: unknown, fn: ResourceView, stack: StackIndex): boolean {
  if (stack.resolveReference(value) === fn) return true;
  return typeof value === "string" && value === fn.config.function_name;
}

/** How the function is invoked asynchronously, if it is. */
export function asyncInvokers(fn: ResourceView, stack: StackIndex): string[] {
  const why: string[] = [];
  for (const p of stack.byType("aws_lambda_permission")) {
    if (refersTo(p.config.function_name, fn, stack) && ASYNC_PRINCIPALS.includes(String(p.config.principal))) why.push(String(p.config.principal));
  }
  if (stack.byType("aws_lambda_function_event_invoke_config").some((c) => refersTo(c.config.function_name, fn, stack))) why.push("an event invoke config");
  // Invokers wired without a permission in this stack (the permission may live elsewhere): still asynchronous.
  const arnRefs = (v: unknown) => stack.referencesIn(v).includes(fn);
  for (const t of stack.byType("aws_cloudwatch_event_target")) if (arnRefs(t.config.arn)) why.push(`an EventBridge target (aws_cloudwatch_event_target.${t.name})`);
  for (const s of stack.byType("aws_sns_topic_subscription")) if (s.config.protocol === "lambda" && arnRefs(s.config.endpoint)) why.push(`an SNS subscription (aws_sns_topic_subscription.${s.name})`);
  for (const n of stack.byType("aws_s3_bucket_notification")) if (arnRefs(n.config.lambda_function)) why.push(`an S3 notification (aws_s3_bucket_notification.${n.name})`);
  for (const s of stack.byType("aws_scheduler_schedule")) if (arnRefs(s.config.target)) why.push(`an EventBridge schedule (aws_scheduler_schedule.${s.name})`);
  return [...new Set(why)];
}

/** Failed asynchronous events land in a dead-letter queue or an on-failure destination instead of vanishing. */
export const LambdaAsyncDlq: PolicyRule = {
  id: "LAMBDA-ASYNC-DLQ",
  description: "Asynchronously invoked Lambda functions (EventBridge/SNS/S3/scheduler permission, event target, subscription, notification or event invoke config) have a DLQ or on-failure destination",
  level: "error",
  equivalents: { checkov: "CKV_AWS_116", trivy: "(none)", cdkNag: "NIST.800.53.R5-LambdaDLQ" },
  moduleDefault: "NodeFunction adds an SSE-SQS, TLS-only dead-letter queue as soon as an asynchronous invoker is granted (free while empty)",
  resourceTypes: ["aws_lambda_function"],
  check(fn, stack) {
    const invokers = asyncInvokers(fn, stack);
    if (invokers.length === 0) return undefined;
    if (asList(fn.config.dead_letter_config).some((d: any) => d?.target_arn)) return undefined;
    const onFailure = stack
      .byType("aws_lambda_function_event_invoke_config")
      .filter((c) => refersTo(c.config.function_name, fn, stack))
      .some((c) => asList(c.config.destination_config).some((d: any) => asList(d.on_failure).some((f: any) => f?.destination)));
    if (onFailure) return undefined;
    return `is invoked asynchronously (${invokers.join(", ")}) but has no dead_letter_config.target_arn nor on_failure destination`;
  },
};
