import { describeRule, res } from "../rule-cases";
import { synthJson } from "../../../helpers/synth";
import { DynamodbPitr } from "../../../../modules/policy/rules/dynamodb-pitr";
import { SqsEncryption } from "../../../../modules/policy/rules/sqs-encryption";
import { LogRetention } from "../../../../modules/policy/rules/log-retention";
import { RequiredTags } from "../../../../modules/policy/rules/required-tags";
import { Network } from "../../../../modules/network/network";
import { findingsOf } from "../rule-cases";

describeRule(DynamodbPitr, {
  compliant: [{ name: "PITR on", tf: res("aws_dynamodb_table", "t", { hash_key: "item_id", point_in_time_recovery: { enabled: true } }) }],
  noncompliant: [
    { name: "PITR block absent", tf: res("aws_dynamodb_table", "t", { hash_key: "item_id" }), message: /point_in_time_recovery/ },
    { name: "PITR off", tf: res("aws_dynamodb_table", "t", { point_in_time_recovery: { enabled: false } }), message: /not true/ },
  ],
});

describeRule(SqsEncryption, {
  compliant: [
    { name: "SSE-SQS", tf: res("aws_sqs_queue", "q", { sqs_managed_sse_enabled: true }) },
    { name: "KMS key", tf: res("aws_sqs_queue", "q", { kms_master_key_id: "alias/aws/sqs" }) },
  ],
  noncompliant: [{ name: "nothing said", tf: res("aws_sqs_queue", "q", { message_retention_seconds: 1209600 }), message: /sqs_managed_sse_enabled/ }],
});

describeRule(LogRetention, {
  compliant: [
    { name: "flow log group of a Network", tf: () => synthJson((scope) => void new Network(scope, "Net", { flowLogs: {} })) },
    { name: "14 days", tf: res("aws_cloudwatch_log_group", "g", { retention_in_days: 14 }) },
  ],
  noncompliant: [
    { name: "unset", tf: res("aws_cloudwatch_log_group", "g", { name: "/x" }), message: /never expire/ },
    { name: "0 (never expire)", tf: res("aws_cloudwatch_log_group", "g", { retention_in_days: 0 }), message: /is 0/ },
  ],
});

describeRule(RequiredTags, {
  compliant: [
    { name: "provider default tags cover a taggable resource", tf: res("aws_sqs_queue", "q", {}) },
    { name: "untaggable resource", tf: res("aws_route", "r", {}) },
  ],
  noncompliant: [
    {
      name: "default tags without ManagedBy",
      tf: { provider: { aws: [{ default_tags: [{ tags: { Project: "p", Environment: "e", Stack: "s" } }] }] }, resource: { aws_sqs_queue: { q: {} } } },
      message: /ManagedBy/,
    },
  ],
});

describe("RequiredTags merges resource tags", () => {
  it("accepts a tag given on the resource when default tags lack it", () => {
    // GIVEN default tags without Stack, and the resource carrying it
    const tf = { provider: { aws: [{ default_tags: [{ tags: { Project: "p", Environment: "e", ManagedBy: "m" } }] }] }, resource: { aws_sqs_queue: { q: { tags: { Stack: "s" } } } } };
    // WHEN / THEN
    expect(findingsOf(RequiredTags, tf as never)).toEqual([]);
  });
});
