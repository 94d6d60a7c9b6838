import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import type { InfraConfig } from "../config";
import { CourseStack } from "./course-stack";
import { AttributeType, Table } from "../modules/storage/table";
import { suppress } from "../modules/policy/suppress";

/**
 * `simple-dynamodb` (hands-on 4): one on-demand table keyed by `item_id`,
 * removed with the stack. Fill and query it with `npm run cli -- ddb write`
 * and `npm run cli -- ddb search-under-age`.
 */
export class SimpleDynamodbStack extends CourseStack {
  readonly table: Table;

  constructor(scope: Construct, id: string, config: InfraConfig) {
    super(scope, id, config);
    const settings = config.stacks.simpleDynamodb;

    this.table = new Table(this, "Table", {
      tableName: this.resourceName("simple-dynamodb"),
      partitionKey: { name: "item_id", type: AttributeType.STRING },
      billingMode: settings.billingMode,
      readCapacity: settings.readCapacity,
      writeCapacity: settings.writeCapacity,
      pointInTimeRecovery: settings.pointInTimeRecovery,
      deletionProtection: settings.deletionProtection,
    });
    if (!settings.deletionProtection) {
      suppress(
        this.table.resource,
        "DYNAMODB-DELETION-PROTECTION",
        "the course's throwaway table (stacks.simpleDynamodb.deletionProtection false, the default): created and destroyed within a session, destroy must leave nothing billable",
      );
    }

    new TerraformOutput(this, "TableName", { value: this.table.tableName, description: "Name for npm run cli -- ddb write / search-under-age" });
    new TerraformOutput(this, "TableArn", { value: this.table.tableArn });
  }
}
