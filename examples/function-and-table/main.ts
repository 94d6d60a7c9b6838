/**
 * A minimal cdktf app outside this repository's stacks, to show that the
 * modules stand on their own: a plain `TerraformStack` (no CourseStack, no
 * project configuration) with a DynamoDB table and a Lambda function that
 * may read it. The two modules are `Table` and `NodeFunction`
 * (modules/serverless); the rest is plain cdktf.
 *
 *   node --import tsx examples/function-and-table/main.ts   # -> examples/function-and-table/cdktf.out
 *
 * See ./README.md.
 */
import * as path from "path";
import { App, LocalBackend, TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { NodeFunction } from "../../modules/serverless/function";
import { AttributeType, Table } from "../../modules/storage/table";

export interface FunctionAndTableProps {
  /** @default "ap-northeast-1" */
  readonly region?: string;
}

/** A table keyed by `item_id` and a function (lambdas/simple-lambda) granted read access to it. */
export class FunctionAndTableStack extends TerraformStack {
  readonly table: Table;
  readonly fn: NodeFunction;

  constructor(scope: Construct, id: string, props: FunctionAndTableProps = {}) {
    super(scope, id);
    const region = props.region ?? "ap-northeast-1";

    new AwsProvider(this, "aws", { region });
    new LocalBackend(this, { path: "terraform.tfstate" });

    this.table = new Table(this, "Items", {
      partitionKey: { name: "item_id", type: AttributeType.STRING },
    });
    this.fn = new NodeFunction(this, "Reader", {
      entry: "simple-lambda",
      environment: { TABLE_NAME: this.table.tableName },
    });
    this.table.grantReadData(this.fn);

    new TerraformOutput(this, "TableName", { value: this.table.tableName });
    new TerraformOutput(this, "FunctionName", { value: this.fn.resource.functionName });
  }
}

/** Synthesizes the example app into `outdir` and returns it. */
export function synthExample(outdir = path.join(__dirname, "cdktf.out")): string {
  const app = new App({ outdir, stackTraces: false });
  new FunctionAndTableStack(app, "function-and-table");
  app.synth();
  return outdir;
}

if (require.main === module) console.log(`synthesized the example into ${path.relative(process.cwd(), synthExample()) || "."}`);
