import type { PolicyRule } from "../rule";
import { isTrue } from "../helpers";

/** Tables can be restored to any second of the last 35 days. */
export const DynamodbPitr: PolicyRule = {
  id: "DYNAMODB-PITR",
  description: "DynamoDB tables enable point-in-time recovery (cost: ~0.20 USD per GB-month of table size)",
  level: "error",
  equivalents: { checkov: "CKV_AWS_28", trivy: "AVD-AWS-0024", cdkNag: "AwsSolutions-DDB3" },
  resourceTypes: ["aws_dynamodb_table"],
  check(table) {
    const pitr = table.config.point_in_time_recovery;
    const enabled = Array.isArray(pitr) ? pitr.some((p) => isTrue(p.enabled)) : isTrue(pitr?.enabled);
    return enabled ? undefined : "point_in_time_recovery.enabled is not true";
  },
};
