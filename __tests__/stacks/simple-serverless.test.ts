import { SimpleLambdaStack } from "../../stacks/simple-lambda";
import { SimpleDynamodbStack } from "../../stacks/simple-dynamodb";
import { onlyResource, resourcesOf, synthStack } from "../helpers/synth";
import { testConfig } from "../helpers/config";

describe("simple-lambda stack", () => {
  const { json } = synthStack((app) => new SimpleLambdaStack(app, "simple-lambda", testConfig()));

  test("runs the course function: 128 MB, 10 s, nodejs22.x arm64, with a dead-letter queue", () => {
    const fn = onlyResource(json, "aws_lambda_function");
    expect(fn).toMatchObject({
      function_name: "aws-course-test-simple-lambda",
      memory_size: 128,
      timeout: 10,
      runtime: "nodejs22.x",
      architectures: ["arm64"],
    });
    expect(fn.dead_letter_config.target_arn).toMatch(/^\$\{aws_sqs_queue\..*\.arn\}$/);
    expect(onlyResource(json, "aws_sqs_queue")).toMatchObject({ sqs_managed_sse_enabled: true });
    expect(onlyResource(json, "aws_cloudwatch_log_group")).toMatchObject({ name: "/aws/lambda/aws-course-test-simple-lambda", retention_in_days: 14 });
  });

  test("outputs the function name for the CLI", () => {
    expect(json.output?.FunctionName.value).toMatch(/^\$\{aws_lambda_function\..*\.function_name\}$/);
    expect(json.output?.DeadLetterQueueUrl.value).toMatch(/^\$\{aws_sqs_queue\..*\.url\}$/);
  });

  test("takes its sizing from stacks.simpleLambda and can drop the queue", () => {
    const { json: j } = synthStack(
      (app) =>
        new SimpleLambdaStack(
          app,
          "simple-lambda",
          testConfig({ stacks: { simpleLambda: { memorySize: 256, deadLetterQueue: false, reservedConcurrency: 10 } } })
        )
    );
    expect(onlyResource(j, "aws_lambda_function")).toMatchObject({ memory_size: 256, reserved_concurrent_executions: 10 });
    expect(resourcesOf(j, "aws_sqs_queue")).toEqual({});
    expect(j.output?.DeadLetterQueueUrl).toBeUndefined();
  });

  test("rejects settings outside Lambda's limits, naming the key", () => {
    expect(() => testConfig({ stacks: { simpleLambda: { memorySize: 64 } } })).toThrow(/memorySize/);
    expect(() => testConfig({ stacks: { simpleLambda: { logRetentionDays: 10 } } })).toThrow(/logRetentionDays/);
    expect(() => testConfig({ stacks: { simpleLambda: { memory: 128 } } })).toThrow(/memory/);
  });
});

describe("simple-dynamodb stack", () => {
  const { json } = synthStack((app) => new SimpleDynamodbStack(app, "simple-dynamodb", testConfig()));

  test("keys items by item_id (string), on demand, PITR and encryption on, removable", () => {
    expect(onlyResource(json, "aws_dynamodb_table")).toMatchObject({
      name: "aws-course-test-simple-dynamodb",
      hash_key: "item_id",
      attribute: [{ name: "item_id", type: "S" }],
      billing_mode: "PAY_PER_REQUEST",
      point_in_time_recovery: { enabled: true },
      server_side_encryption: { enabled: true },
      deletion_protection_enabled: false,
    });
  });

  test("outputs the table name for the CLI", () => {
    expect(json.output?.TableName.value).toMatch(/^\$\{aws_dynamodb_table\..*\.name\}$/);
  });

  test("refuses capacity settings with on-demand billing", () => {
    expect(() => testConfig({ stacks: { simpleDynamodb: { readCapacity: 5 } } })).toThrow(/readCapacity/);
    const { json: j } = synthStack(
      (app) =>
        new SimpleDynamodbStack(
          app,
          "simple-dynamodb",
          testConfig({ stacks: { simpleDynamodb: { billingMode: "PROVISIONED", readCapacity: 2, writeCapacity: 1 } } })
        )
    );
    expect(onlyResource(j, "aws_dynamodb_table")).toMatchObject({ billing_mode: "PROVISIONED", read_capacity: 2, write_capacity: 1 });
  });
});
