import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import type { InfraConfig } from "../config";
import { CourseStack } from "./course-stack";
import { NodeFunction } from "../modules/serverless/function";

/**
 * `simple-lambda` (hands-on 4): the course's function - sleeps 2-5 s, then
 * hands out a random starter Pokemon - with its own log group and a
 * dead-letter queue. Invoke it with `npm run cli -- lambda invoke-one`.
 */
export class SimpleLambdaStack extends CourseStack {
  readonly function: NodeFunction;

  constructor(scope: Construct, id: string, config: InfraConfig) {
    super(scope, id, config);
    const settings = config.stacks.simpleLambda;

    this.function = new NodeFunction(this, "Function", {
      entry: "simple-lambda",
      functionName: this.resourceName("simple-lambda"),
      description: "Sleeps 2-5 s and hands out a random starter Pokemon (course hands-on 4)",
      memorySize: settings.memorySize,
      timeout: settings.timeout,
      architecture: settings.architecture,
      deadLetterQueue: settings.deadLetterQueue,
      reservedConcurrency: settings.reservedConcurrency,
      logRetentionDays: settings.logRetentionDays,
    });

    new TerraformOutput(this, "FunctionName", { value: this.function.functionName, description: "Name to invoke (npm run cli -- lambda invoke-one)" });
    new TerraformOutput(this, "FunctionArn", { value: this.function.functionArn });
    new TerraformOutput(this, "LogGroupName", { value: this.function.logGroup.name, description: "aws logs tail <name> --follow" });
    if (this.function.deadLetterQueue) {
      new TerraformOutput(this, "DeadLetterQueueUrl", { value: this.function.deadLetterQueue.url, description: "Failed asynchronous events" });
    }
  }
}
