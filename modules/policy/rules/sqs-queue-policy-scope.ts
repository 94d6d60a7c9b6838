import type { PolicyRule } from "../rule";
import { address, statementsOf } from "../helpers";

/**
 * Cross-resource: a queue policy speaks about the queue it is attached to.
 * A statement whose Resource names another queue (copy-paste) grants or
 * denies nothing where it is, and the intended queue stays unprotected.
 */
export const SqsQueuePolicyScope: PolicyRule = {
  id: "SQS-QUEUE-POLICY-SCOPE",
  description: "aws_sqs_queue_policy statements name the queue the policy is attached to (queue_url and Resource agree)",
  level: "error",
  equivalents: { checkov: "(none)", trivy: "(none)", cdkNag: "(none)" },
  moduleDefault: "the modules build each queue policy from its own queue's ARN",
  resourceTypes: ["aws_sqs_queue_policy"],
  check(policy, stack) {
    const queue = stack.resolveReference(policy.config.queue_url);
    if (!queue) return undefined;
    for (const s of statementsOf(policy.config.policy, stack)) {
      for (const r of s.resources) {
        if (r === "*") continue;
        const target = stack.referencesIn(r)[0];
        if (target && target.type === "aws_sqs_queue" && target !== queue) {
          return `is attached to ${address(queue)} (queue_url) but its statement ${s.sid ?? ""} names ${address(target)}`.replace("  ", " ");
        }
      }
    }
    return undefined;
  },
};
