import type { PolicyRule } from "../rule";
import { asList, isTrue } from "../helpers";

/** Encryption under a customer-managed KMS key (own key policy, own audit trail). Info: 1 USD per key-month plus requests. */
export const DynamodbCmk: PolicyRule = {
  id: "DYNAMODB-CMK",
  description: "DynamoDB tables encrypt with a customer-managed KMS key (cost: 1 USD per key-month + 0.03 USD per 10,000 requests)",
  level: "info",
  equivalents: { checkov: "CKV_AWS_119", trivy: "AVD-AWS-0025", cdkNag: "(none)" },
  moduleDefault: "AWS-owned key (free); no customer-managed key",
  resourceTypes: ["aws_dynamodb_table"],
  check(table) {
    const sse = asList(table.config.server_side_encryption)[0] as any;
    return sse && isTrue(sse.enabled) && sse.kms_key_arn ? undefined : "is encrypted with an AWS-owned key, not a customer-managed one";
  },
};
