import type { PolicyRule } from "../rule";
import { isTrue } from "../helpers";

/** Queues encrypt messages at rest, said explicitly (SSE-SQS is free; KMS bills per request). */
export const SqsEncryption: PolicyRule = {
  id: "SQS-ENCRYPTION",
  description: "SQS queues set sqs_managed_sse_enabled = true or a kms_master_key_id",
  level: "error",
  equivalents: { checkov: "CKV_AWS_27", trivy: "AVD-AWS-0096", cdkNag: "AwsSolutions-SQS2" },
  resourceTypes: ["aws_sqs_queue"],
  check(queue) {
    const c = queue.config;
    return isTrue(c.sqs_managed_sse_enabled) || c.kms_master_key_id ? undefined : "neither sqs_managed_sse_enabled nor kms_master_key_id is set";
  },
};
