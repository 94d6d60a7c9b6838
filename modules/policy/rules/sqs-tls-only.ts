import type { PolicyRule } from "../rule";
import { address, deniesInsecureTransport, statementsOf } from "../helpers";

/** Queues refuse plain-HTTP requests: a queue policy denies sqs:* when aws:SecureTransport is false. */
export const SqsTlsOnly: PolicyRule = {
  id: "SQS-TLS-ONLY",
  description: "SQS queues have an aws_sqs_queue_policy denying sqs:* when aws:SecureTransport = false",
  level: "error",
  equivalents: { checkov: "(none)", trivy: "(none)", cdkNag: "AwsSolutions-SQS4" },
  moduleDefault: "NodeFunction's dead-letter queue and the spot interruption handler's queue get a TLS-only queue policy (free)",
  resourceTypes: ["aws_sqs_queue"],
  check(queue, stack) {
    const policies = stack.byType("aws_sqs_queue_policy").filter((p) => stack.resolveReference(p.config.queue_url) === queue);
    if (policies.length === 0) return "has no aws_sqs_queue_policy denying insecure transport";
    if (policies.some((p) => deniesInsecureTransport(statementsOf(p.config.policy, stack), "sqs"))) return undefined;
    return `its ${policies.map(address).join(", ")} has no Deny of sqs:* when aws:SecureTransport is false`;
  },
};
