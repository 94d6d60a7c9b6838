import { movedBlock, probableRenames } from "../../../tools/review/renames";

import type { TfJson } from "../../../tools/review/workspace";

const json = (resources: Record<string, Record<string, unknown>>): TfJson => {
  const resource: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const [address, cfg] of Object.entries(resources)) {
    const [type, name] = address.split(".");
    (resource[type] ??= {})[name] = cfg;
  }
  return { resource };
};

describe("probable construct renames", () => {
  const table = { name: "t", hash_key: "item_id", billing_mode: "PAY_PER_REQUEST", attribute: [{ name: "item_id", type: "S" }], "//": { metadata: { path: "s/Items" } } };

  test("a delete and a create of the same type and configuration pair up", () => {
    const base = json({ "aws_dynamodb_table.Items_1": table });
    const head = json({ "aws_dynamodb_table.Records_2": { ...table, "//": { metadata: { path: "s/Records" } } } });
    expect(probableRenames(["aws_dynamodb_table.Items_1"], ["aws_dynamodb_table.Records_2"], base, head)).toEqual([
      { from: "aws_dynamodb_table.Items_1", to: "aws_dynamodb_table.Records_2", similarity: 1 },
    ]);
  });

  test("references count by type and attribute, not by the renamed name", () => {
    const base = json({ "aws_subnet.A_1": { vpc_id: "${aws_vpc.Old_1.id}", cidr_block: "10.0.0.0/24" } });
    const head = json({ "aws_subnet.B_2": { vpc_id: "${aws_vpc.New_2.id}", cidr_block: "10.0.0.0/24" } });
    expect(probableRenames(["aws_subnet.A_1"], ["aws_subnet.B_2"], base, head)).toHaveLength(1);
  });

  test("different types or different configurations are not renames", () => {
    const base = json({ "aws_dynamodb_table.Items_1": table, "aws_sqs_queue.Q_1": { name: "q" } });
    const head = json({ "aws_dynamodb_table.Other_2": { name: "u", hash_key: "pk", billing_mode: "PROVISIONED", attribute: [{ name: "pk", type: "N" }] }, "aws_sns_topic.Q_2": { name: "q" } });
    expect(probableRenames(["aws_dynamodb_table.Items_1", "aws_sqs_queue.Q_1"], ["aws_dynamodb_table.Other_2", "aws_sns_topic.Q_2"], base, head)).toEqual([]);
  });

  test("each address pairs once, best match first", () => {
    const base = json({ "aws_sqs_queue.A": { name: "a", delay_seconds: 1 }, "aws_sqs_queue.B": { name: "b", delay_seconds: 2 } });
    const head = json({ "aws_sqs_queue.A2": { name: "a", delay_seconds: 1 }, "aws_sqs_queue.B2": { name: "b", delay_seconds: 2 } });
    expect(probableRenames(["aws_sqs_queue.A", "aws_sqs_queue.B"], ["aws_sqs_queue.B2", "aws_sqs_queue.A2"], base, head).map((r) => `${r.from}->${r.to}`).sort()).toEqual([
      "aws_sqs_queue.A->aws_sqs_queue.A2",
      "aws_sqs_queue.B->aws_sqs_queue.B2",
    ]);
  });

  test("the fix is a moved block", () => {
    expect(movedBlock("aws_s3_bucket.a", "aws_s3_bucket.b")).toBe("moved {\n  from = aws_s3_bucket.a\n  to   = aws_s3_bucket.b\n}");
  });
});
