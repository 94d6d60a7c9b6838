import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { AttributeType, Table, TableProps } from "../../../modules/storage/table";
import { NodeFunction } from "../../../modules/serverless/function";
import { onlyResource, synthJson, synthScope, TfJson } from "../../helpers/synth";

const ITEM_ID = { name: "item_id", type: AttributeType.STRING };

function tableJson(props: Partial<TableProps> = {}): TfJson {
  return synthJson((s) => new Table(s, "Table", { partitionKey: ITEM_ID, ...props }));
}

/** Grant statements the function's role received (after its own log and X-Ray statements). */
function grantsOf(build: (t: Table, fn: NodeFunction) => void, props: Partial<TableProps> = {}): { statements: any[]; tableKey: string } {
  const json = synthJson((s) => {
    const table = new Table(s, "Table", { partitionKey: ITEM_ID, ...props });
    const fn = new NodeFunction(s, "Fn", { entry: "simple-lambda" });
    build(table, fn);
  });
  const doc = Object.entries(json.data!.aws_iam_policy_document).find(([k]) => k.includes("PolicyDocument"))![1] as any;
  return { statements: doc.statement.filter((st: any) => st.sid !== "WriteOwnLogGroup" && st.sid !== "WriteTraces"), tableKey: Object.keys(json.resource!.aws_dynamodb_table)[0] };
}

describe("Table", () => {
  test("keys items by item_id on demand, with PITR, encryption and deletion protection by default", () => {
    const out = synthScope((s) => new Table(s, "Table", { partitionKey: ITEM_ID }));
    expect(out).toHaveResourceWithProperties(DynamodbTable, {
      hash_key: "item_id",
      billing_mode: "PAY_PER_REQUEST",
      attribute: [{ name: "item_id", type: "S" }],
      point_in_time_recovery: { enabled: true },
      server_side_encryption: { enabled: true },
      deletion_protection_enabled: true,
    });
    const table = onlyResource(JSON.parse(out), "aws_dynamodb_table");
    expect(table.read_capacity).toBeUndefined();
    expect(table.range_key).toBeUndefined();
    expect(table.ttl).toBeUndefined();
    expect(table.global_secondary_index).toBeUndefined();
    expect(table.name).toMatch(/^[A-Za-z0-9_.-]{3,255}$/);
  });

  test("applies sort key, name, provisioned capacity, TTL, deletion protection and PITR off", () => {
    const table = onlyResource(
      tableJson({
        sortKey: { name: "created_at", type: AttributeType.NUMBER },
        tableName: "my-table",
        billingMode: "PROVISIONED",
        readCapacity: 3,
        writeCapacity: 2,
        timeToLiveAttribute: "expires_at",
        deletionProtection: true,
        pointInTimeRecovery: false,
      }),
      "aws_dynamodb_table"
    );
    expect(table).toMatchObject({
      name: "my-table",
      range_key: "created_at",
      billing_mode: "PROVISIONED",
      read_capacity: 3,
      write_capacity: 2,
      ttl: { enabled: true, attribute_name: "expires_at" },
      deletion_protection_enabled: true,
      point_in_time_recovery: { enabled: false },
    });
    expect(table.attribute).toEqual([
      { name: "item_id", type: "S" },
      { name: "created_at", type: "N" },
    ]);
  });

  test("defaults provisioned capacity to 5 for the table and its indexes", () => {
    const table = onlyResource(
      tableJson({
        billingMode: "PROVISIONED",
        globalSecondaryIndexes: [{ indexName: "by-user", partitionKey: { name: "username", type: AttributeType.STRING } }],
      }),
      "aws_dynamodb_table"
    );
    expect(table).toMatchObject({ read_capacity: 5, write_capacity: 5 });
    expect(table.global_secondary_index[0]).toMatchObject({ read_capacity: 5, write_capacity: 5 });
  });

  test("builds global secondary indexes with each projection and shares attribute definitions", () => {
    const table = onlyResource(
      tableJson({
        globalSecondaryIndexes: [
          { indexName: "by-user", partitionKey: { name: "username", type: AttributeType.STRING }, sortKey: { name: "likes", type: AttributeType.NUMBER } },
          { indexName: "by-user-keys", partitionKey: { name: "username", type: AttributeType.STRING }, projection: "KEYS_ONLY" },
          { indexName: "by-likes", partitionKey: { name: "likes", type: AttributeType.NUMBER }, projection: { include: ["first"] } },
        ],
      }),
      "aws_dynamodb_table"
    );
    expect(table.global_secondary_index).toEqual([
      expect.objectContaining({ name: "by-user", hash_key: "username", range_key: "likes", projection_type: "ALL" }),
      expect.objectContaining({ name: "by-user-keys", hash_key: "username", projection_type: "KEYS_ONLY" }),
      expect.objectContaining({ name: "by-likes", hash_key: "likes", projection_type: "INCLUDE", non_key_attributes: ["first"] }),
    ]);
    expect(table.attribute).toEqual([
      { name: "item_id", type: "S" },
      { name: "username", type: "S" },
      { name: "likes", type: "N" },
    ]);
  });

  test("grants read data as a named action list on the table ARN only when it has no index", () => {
    const { statements, tableKey } = grantsOf((t, fn) => t.grantReadData(fn));
    expect(statements).toEqual([
      expect.objectContaining({
        actions: ["dynamodb:BatchGetItem", "dynamodb:ConditionCheckItem", "dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan"],
        resources: [`\${aws_dynamodb_table.${tableKey}.arn}`],
      }),
    ]);
  });

  const GSI = {
    globalSecondaryIndexes: [
      { indexName: "by-age", partitionKey: { name: "age", type: AttributeType.NUMBER } },
      { indexName: "by-name", partitionKey: { name: "name", type: AttributeType.STRING } },
    ],
  };

  test("item writes go on the table ARN only, never <table>/index/*, even when the table has indexes", () => {
    const write = grantsOf((t, fn) => t.grantWriteData(fn), GSI);
    const arn = `\${aws_dynamodb_table.${write.tableKey}.arn}`;
    expect(write.statements).toEqual([
      expect.objectContaining({
        actions: ["dynamodb:BatchWriteItem", "dynamodb:DeleteItem", "dynamodb:DescribeTable", "dynamodb:PutItem", "dynamodb:UpdateItem"],
        resources: [arn],
      }),
    ]);
    for (const st of write.statements) expect(st.resources.some((r: string) => r.includes("/index/"))).toBe(false);
  });

  test("read-write: item actions on the table; Query and Scan on each index by name (no index wildcard)", () => {
    const rw = grantsOf((t, fn) => t.grantReadWriteData(fn), GSI);
    const arn = `\${aws_dynamodb_table.${rw.tableKey}.arn}`;
    expect(rw.statements).toHaveLength(3);
    expect(rw.statements[0].actions).toHaveLength(10);
    expect(rw.statements[0].resources).toEqual([arn]);
    expect(rw.statements.slice(1)).toEqual([
      expect.objectContaining({ actions: ["dynamodb:Query", "dynamodb:Scan"], resources: [`${arn}/index/by-age`] }),
      expect.objectContaining({ actions: ["dynamodb:Query", "dynamodb:Scan"], resources: [`${arn}/index/by-name`] }),
    ]);
    expect(JSON.stringify(rw.statements)).not.toContain("/index/*");
  });

  test("grant gives exactly the listed actions, on the table ARN only (a Query or Scan of the base table)", () => {
    const { statements, tableKey } = grantsOf((t, fn) => t.grant(fn, "dynamodb:Query", "dynamodb:GetItem"), GSI);
    expect(statements).toEqual([
      expect.objectContaining({ actions: ["dynamodb:GetItem", "dynamodb:Query"], resources: [`\${aws_dynamodb_table.${tableKey}.arn}`] }),
    ]);
  });

  test("grantIndexQuery: Query on that one index's ARN only, not the table, not the other index", () => {
    const { statements, tableKey } = grantsOf((t, fn) => t.grantIndexQuery(fn, "by-name"), GSI);
    expect(statements).toEqual([
      expect.objectContaining({ actions: ["dynamodb:Query"], resources: [`\${aws_dynamodb_table.${tableKey}.arn}/index/by-name`] }),
    ]);
  });

  test("grantIndex refuses an unknown index and actions that do not target an index", () => {
    expect(() => grantsOf((t, fn) => t.grantIndexQuery(fn, "by-size"), GSI)).toThrow(/indexName \(by-size\) is not an index of .*\(indexes: by-age, by-name\)/);
    expect(() => grantsOf((t, fn) => t.grantIndexQuery(fn, "by-age"))).toThrow(/indexes: none/);
    expect(() => grantsOf((t, fn) => t.grantIndex(fn, "by-age", "dynamodb:PutItem"), GSI)).toThrow(/action \(dynamodb:PutItem\) does not target an index/);
    expect(() => grantsOf((t, fn) => t.grantIndex(fn, "by-age"), GSI)).toThrow(/grantIndex on .*actions \(\[\]\)/);
  });

  describe("validation", () => {
    const make = (props: Partial<TableProps>) => () => tableJson(props);
    const cases: [string, Partial<TableProps>, RegExp][] = [
      ["empty partition key name", { partitionKey: { name: "", type: AttributeType.STRING } }, /partitionKey\.name \(""\) must not be empty/],
      ["bad partition key type", { partitionKey: { name: "id", type: "X" as AttributeType } }, /partitionKey\.type \(X\)/],
      ["empty sort key name", { sortKey: { name: " ", type: AttributeType.STRING } }, /sortKey\.name/],
      ["sort key = partition key", { sortKey: { name: "item_id", type: AttributeType.STRING } }, /sortKey\.name \(item_id\) must differ/],
      ["bad table name", { tableName: "a b" }, /tableName \(a b\)/],
      ["short table name", { tableName: "ab" }, /tableName \(ab\)/],
      ["bad billing mode", { billingMode: "FREE" as never }, /billingMode \(FREE\)/],
      ["capacity on demand", { readCapacity: 5 }, /readCapacity \(5\).*PROVISIONED/],
      ["zero read capacity", { billingMode: "PROVISIONED", readCapacity: 0 }, /readCapacity \(0\) must be an integer >= 1/],
      ["fractional write capacity", { billingMode: "PROVISIONED", writeCapacity: 1.5 }, /writeCapacity \(1.5\)/],
      ["empty TTL attribute", { timeToLiveAttribute: "" }, /timeToLiveAttribute \(""\)/],
      ["bad index name", { globalSecondaryIndexes: [{ indexName: "x", partitionKey: ITEM_ID }] }, /globalSecondaryIndexes\[0\]\.indexName \(x\)/],
      [
        "duplicate index name",
        {
          globalSecondaryIndexes: [
            { indexName: "idx", partitionKey: ITEM_ID },
            { indexName: "idx", partitionKey: ITEM_ID },
          ],
        },
        /globalSecondaryIndexes\[1\]\.indexName \(idx\) is used twice/,
      ],
      [
        "empty index key",
        { globalSecondaryIndexes: [{ indexName: "idx", partitionKey: { name: "", type: AttributeType.STRING } }] },
        /globalSecondaryIndexes\[0\]\.partitionKey\.name/,
      ],
      ["empty include", { globalSecondaryIndexes: [{ indexName: "idx", partitionKey: ITEM_ID, projection: { include: [] } }] }, /projection\.include/],
      [
        "conflicting attribute types",
        { globalSecondaryIndexes: [{ indexName: "idx", partitionKey: { name: "item_id", type: AttributeType.NUMBER } }] },
        /globalSecondaryIndexes\[0\]\.partitionKey\.type \(N\) conflicts with type S of attribute item_id/,
      ],
      [
        "21 indexes",
        { globalSecondaryIndexes: Array.from({ length: 21 }, (_, i) => ({ indexName: `idx${i}`, partitionKey: ITEM_ID })) },
        /globalSecondaryIndexes \(21\) must be at most 20/,
      ],
    ];
    test.each(cases)("rejects %s", (_label, props, message) => {
      expect(make(props)).toThrow(message);
    });

    test("rejects wildcard or foreign actions in grant", () => {
      expect(() => grantsOf((t, fn) => t.grant(fn, "dynamodb:*"))).toThrow(/action \(dynamodb:\*\)/);
      expect(() => grantsOf((t, fn) => t.grant(fn, "s3:GetObject"))).toThrow(/action \(s3:GetObject\)/);
      expect(() => grantsOf((t, fn) => t.grant(fn))).toThrow(/actions \(\[\]\)/);
    });
  });
});
