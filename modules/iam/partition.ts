import { Construct } from "constructs";
import { TerraformStack } from "cdktf";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";

const ID = "AwsPartition";

/**
 * `aws`, `aws-cn` or `aws-us-gov` for the stack's provider, as a token. One
 * `aws_partition` data source per stack; it reads no AWS API, so plans stay offline.
 */
export function partitionOf(scope: Construct): string {
  const stack = TerraformStack.of(scope);
  const existing = stack.node.tryFindChild(ID) as DataAwsPartition | undefined;
  return (existing ?? new DataAwsPartition(stack, ID)).partition;
}

/** ARN of an AWS managed policy, e.g. `AmazonSSMManagedInstanceCore`. */
export function awsManagedPolicyArn(scope: Construct, name: string): string {
  return `arn:${partitionOf(scope)}:iam::aws:policy/${name}`;
}
