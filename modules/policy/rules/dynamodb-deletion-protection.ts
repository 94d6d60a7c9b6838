import type { PolicyRule } from "../rule";
import { isTrue } from "../helpers";

/** A table people write to refuses DeleteTable (and terraform destroy) until protection is turned off. Free. */
export const DynamodbDeletionProtection: PolicyRule = {
  id: "DYNAMODB-DELETION-PROTECTION",
  description: "DynamoDB tables set deletion_protection_enabled = true (free; destroy then needs it turned off first)",
  level: "warning",
  equivalents: { checkov: "(none; CKV_AWS_28 is PITR)", trivy: "(none)", cdkNag: "(none; aws-cdk deletionProtection)" },
  moduleDefault: "Table: on (DEFAULT_TABLE_DELETION_PROTECTION); off with a suppression for the course's throwaway tables (simple-dynamodb, qa-bot answers) and the haiku table while stacks.bashoutter.deletionProtection is false",
  resourceTypes: ["aws_dynamodb_table"],
  check(table) {
    return isTrue(table.config.deletion_protection_enabled) ? undefined : "can be deleted by one DeleteTable call (deletion_protection_enabled false)";
  },
};
