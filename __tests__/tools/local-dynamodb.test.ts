import { CreateTableCommand, CreateTableCommandInput, DescribeTableCommand, GetItemCommand, PutItemCommand, ResourceNotFoundException } from "@aws-sdk/client-dynamodb";
import { createTable, Dynalite, startDynalite } from "../../tools/local-dynamodb";

const table = (name: string): CreateTableCommandInput => ({
  TableName: name,
  AttributeDefinitions: [{ AttributeName: "item_id", AttributeType: "S" }],
  KeySchema: [{ AttributeName: "item_id", KeyType: "HASH" }],
  BillingMode: "PAY_PER_REQUEST",
});
const put = (name: string) => new PutItemCommand({ TableName: name, Item: { item_id: { S: "1" } } });

let dynamo: Dynalite;
beforeAll(async () => {
  // Tables stay CREATING for 150 ms, as real ones stay for seconds.
  dynamo = await startDynalite({ createTableMs: 150, maxAttempts: 1 });
});
afterAll(() => dynamo.stop());

test("a write right after a bare CreateTable is refused while the table is CREATING", async () => {
  await dynamo.client.send(new CreateTableCommand(table("bare")));
  await expect(dynamo.client.send(put("bare"))).rejects.toBeInstanceOf(ResourceNotFoundException);
});

test("createTable returns only once the table is ACTIVE, so the first write succeeds", async () => {
  await createTable(dynamo.client, table("waited"));
  const { Table } = await dynamo.client.send(new DescribeTableCommand({ TableName: "waited" }));
  expect(Table?.TableStatus).toBe("ACTIVE");
  await expect(dynamo.client.send(put("waited"))).resolves.toBeDefined();
});

test("createTable on an existing table keeps it and its items", async () => {
  await createTable(dynamo.client, table("kept"));
  await dynamo.client.send(put("kept"));
  await createTable(dynamo.client, table("kept"));
  const { Item } = await dynamo.client.send(new GetItemCommand({ TableName: "kept", Key: { item_id: { S: "1" } } }));
  expect(Item).toEqual({ item_id: { S: "1" } });
});

test("createTable names the table and its status when it never becomes ACTIVE in time", async () => {
  await expect(createTable(dynamo.client, table("slow"), 20)).rejects.toThrow(/table slow is CREATING after 20 ms, expected ACTIVE/);
});
