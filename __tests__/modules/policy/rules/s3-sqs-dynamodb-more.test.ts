import { describeRule, merge, policyJson, res } from "../rule-cases";
import { synthJson } from "../../../helpers/synth";
import { S3AccessLogging } from "../../../../modules/policy/rules/s3-access-logging";
import { S3Versioning } from "../../../../modules/policy/rules/s3-versioning";
import { S3ConfigAttached } from "../../../../modules/policy/rules/s3-config-attached";
import { SqsTlsOnly } from "../../../../modules/policy/rules/sqs-tls-only";
import { SqsQueuePolicyScope } from "../../../../modules/policy/rules/sqs-queue-policy-scope";
import { DynamodbDeletionProtection } from "../../../../modules/policy/rules/dynamodb-deletion-protection";
import { DynamodbCmk } from "../../../../modules/policy/rules/dynamodb-cmk";
import { StateBucket } from "../../../../modules/state/state-bucket";
import { Network } from "../../../../modules/network/network";
import { ApplicationLoadBalancer } from "../../../../modules/loadbalancing/application-load-balancer";
import { NodeFunction } from "../../../../modules/serverless/function";
import { AttributeType, Table } from "../../../../modules/storage/table";

const bucket = (config: Record<string, unknown> = {}) => res("aws_s3_bucket", "b", { bucket: "b", ...config });
const part = (type: string, config: Record<string, unknown>) => res(type, `${type.replace("aws_s3_bucket_", "")}`, { bucket: "${aws_s3_bucket.b.id}", ...config });
const albJson = () => synthJson((s) => void new ApplicationLoadBalancer(s, "Alb", { network: new Network(s, "Net", { availabilityZones: 2 }) }));

describeRule(S3AccessLogging, {
  compliant: [
    { name: "bucket with aws_s3_bucket_logging", tf: merge(bucket(), part("aws_s3_bucket_logging", { target_bucket: "${aws_s3_bucket.logs.id}", target_prefix: "b/" }), res("aws_s3_bucket", "logs", { bucket: "logs" })) },
    { name: "the ALB's log bucket (a log target itself)", tf: albJson },
  ],
  noncompliant: [{ name: "bucket without logging", tf: bucket(), message: /no aws_s3_bucket_logging/ }],
});

describeRule(S3Versioning, {
  compliant: [
    { name: "StateBucket (versioned)", tf: () => synthJson((s) => void new StateBucket(s, "State", { bucketName: "b" })) },
    { name: "ALB log bucket (every object expires)", tf: albJson },
    { name: "site bucket whose objects the stack uploads, force_destroy", tf: merge(bucket({ force_destroy: true }), res("aws_s3_object", "o", { bucket: "${aws_s3_bucket.b.id}", key: "index.html", source: "index.html" })) },
  ],
  noncompliant: [
    { name: "data bucket without versioning", tf: bucket(), message: /no aws_s3_bucket_versioning/ },
    { name: "versioning Suspended", tf: merge(bucket(), part("aws_s3_bucket_versioning", { versioning_configuration: { status: "Suspended" } })), message: /aws_s3_bucket_versioning\.versioning is not Enabled/ },
    { name: "objects uploaded but no force_destroy (someone else may write)", tf: merge(bucket(), res("aws_s3_object", "o", { bucket: "${aws_s3_bucket.b.id}", key: "k" })) },
  ],
});

describeRule(S3ConfigAttached, {
  compliant: [{ name: "StateBucket's parts reference the bucket", tf: () => synthJson((s) => void new StateBucket(s, "State", { bucketName: "b" })) }],
  noncompliant: [
    { name: "policy naming the stack's bucket by literal name", tf: merge(bucket(), res("aws_s3_bucket_policy", "p", { bucket: "b", policy: "{}" })), message: /names aws_s3_bucket\.b by its literal name/ },
    { name: "public access block of a bucket the stack does not have", tf: res("aws_s3_bucket_public_access_block", "p", { bucket: "someone-elses" }), message: /not a bucket of this stack/ },
  ],
});

const queue = res("aws_sqs_queue", "q", { sqs_managed_sse_enabled: true });
const queuePolicy = (...statements: object[]) => res("aws_sqs_queue_policy", "p", { queue_url: "${aws_sqs_queue.q.url}", policy: policyJson(...statements) });
const tlsDeny = { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "sqs:*", Resource: "${aws_sqs_queue.q.arn}", Condition: { Bool: { "aws:SecureTransport": "false" } } };

describeRule(SqsTlsOnly, {
  compliant: [
    { name: "NodeFunction's dead-letter queue", tf: () => synthJson((s) => void new NodeFunction(s, "Fn", { entry: "simple-lambda", deadLetterQueue: true })) },
    { name: "queue policy with the deny", tf: merge(queue, queuePolicy(tlsDeny)) },
  ],
  noncompliant: [
    { name: "queue without a policy", tf: queue, message: /no aws_sqs_queue_policy/ },
    { name: "policy that only allows", tf: merge(queue, queuePolicy({ Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: "sqs:SendMessage", Resource: "${aws_sqs_queue.q.arn}" })), message: /aws_sqs_queue_policy\.p has no Deny/ },
  ],
});

describeRule(SqsQueuePolicyScope, {
  compliant: [{ name: "statements on its own queue", tf: merge(queue, queuePolicy(tlsDeny)) }],
  noncompliant: [
    {
      name: "copy-pasted statement naming another queue",
      tf: merge(queue, res("aws_sqs_queue", "other", {}), queuePolicy({ ...tlsDeny, Resource: "${aws_sqs_queue.other.arn}" })),
      message: /attached to aws_sqs_queue\.q .* names aws_sqs_queue\.other/,
    },
  ],
});

const table = (props: { deletionProtection?: boolean } = {}) => () =>
  synthJson((s) => void new Table(s, "Table", { partitionKey: { name: "id", type: AttributeType.STRING }, ...props }));

describeRule(DynamodbDeletionProtection, {
  compliant: [{ name: "Table default (protected)", tf: table() }],
  noncompliant: [{ name: "Table with deletionProtection false", tf: table({ deletionProtection: false }), message: /DeleteTable/ }],
});

describeRule(DynamodbCmk, {
  compliant: [{ name: "customer-managed key", tf: res("aws_dynamodb_table", "t", { server_side_encryption: { enabled: true, kms_key_arn: "${aws_kms_key.k.arn}" } }) }],
  noncompliant: [{ name: "Table default (AWS-owned key)", tf: table(), message: /AWS-owned key/ }],
});
