import * as fs from "fs";
import * as path from "path";
import { tempDir } from "../helpers/synth";
import { dockerEntry, kebabToPascal, sdkCallsOf, shellCalls } from "../../tools/iam-calls";
import { HAIKU_ROUTES } from "../../lambdas/haiku/routes";

function project(files: Record<string, string>): string {
  const dir = tempDir("iam-calls");
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const REPOSITORY = `
import { DynamoDBDocumentClient, PutCommand, QueryCommand, DeleteCommand } from "@aws-sdk/lib-dynamodb";
import { DescribeTableCommand as Describe } from "@aws-sdk/client-dynamodb";
export class Repo {
  constructor(private readonly db: DynamoDBDocumentClient) {}
  async create() { await this.db.send(new PutCommand({ TableName: "t", Item: {} })); }
  async list() { return this.db.send(new QueryCommand({ TableName: "t", IndexName: "by_time", KeyConditionExpression: "x" })); }
  async remove() { await this.db.send(new DeleteCommand({ TableName: "t", Key: {} })); }
  async unused() { await this.db.send(new Describe({ TableName: "t" })); }
}
export const repo = () => new Repo(DynamoDBDocumentClient.from({} as never));
`;

describe("tools/iam-calls: SDK v3 commands reachable from one entry", () => {
  const dir = project({
    "shared/repo.ts": REPOSITORY,
    "shared/handlers.ts": `import { repo } from "./repo";
export function makeCreate() { return async () => repo().create(); }
export function makeList() { return async () => repo().list(); }`,
    "create/index.ts": `import { makeCreate } from "../shared/handlers";\nexport const handler = makeCreate();`,
    "list/index.ts": `import { makeList } from "../shared/handlers";\nexport const handler = makeList();`,
  });

  test("a shared repository counts only the methods this entry's handler names", () => {
    expect(sdkCallsOf(path.join(dir, "create/index.ts")).map((c) => c.action)).toEqual(["dynamodb:PutItem"]);
    const list = sdkCallsOf(path.join(dir, "list/index.ts"));
    expect(list.map((c) => c.action)).toEqual(["dynamodb:Query"]);
    expect(list[0]).toMatchObject({ call: "QueryCommand", index: true, line: 7 });
  });

  test("client commands map to their service prefix, aliases included", () => {
    const d = project({
      "a.ts": `${REPOSITORY}\nexport const handler = async () => repo().unused();`,
      "b.ts": `import { AutoScalingClient, DetachInstancesCommand } from "@aws-sdk/client-auto-scaling";
export const handler = async () => new AutoScalingClient({}).send(new DetachInstancesCommand({ AutoScalingGroupName: "g" }));`,
    });
    expect(sdkCallsOf(path.join(d, "a.ts")).map((c) => c.action)).toEqual(["dynamodb:DescribeTable"]);
    expect(sdkCallsOf(path.join(d, "b.ts")).map((c) => c.action)).toEqual(["autoscaling:DetachInstances"]);
  });

  test.each([
    [`import { DynamoDB } from "@aws-sdk/client-dynamodb";`, /DynamoDB from @aws-sdk\/client-dynamodb is neither a client/],
    [`import * as ddb from "@aws-sdk/client-dynamodb";`, /namespace import/],
    [`import { TransactWriteCommand } from "@aws-sdk/lib-dynamodb";`, /TransactWriteCommand needs per-item IAM actions/],
    [`import { PutObjectCommand } from "@aws-sdk/client-s3";`, /@aws-sdk\/client-s3 is not in SDK_SERVICE_PREFIXES/],
  ])("refuses what it cannot map soundly: %s", (importLine, message) => {
    const d = project({ "x.ts": `${importLine}\nexport const handler = async () => undefined;` });
    expect(() => sdkCallsOf(path.join(d, "x.ts"))).toThrow(message);
  });

  test("the qa-bot image: the Dockerfile's ENTRYPOINT through tsconfig outDir to src/main.ts, whose worker puts one item", () => {
    expect(dockerEntry("docker/qa-bot")).toBe("docker/qa-bot/src/main.ts");
    expect(sdkCallsOf("docker/qa-bot/src/main.ts", null).map((c) => [c.action, c.file])).toEqual([["dynamodb:PutItem", "docker/qa-bot/src/worker.ts"]]);
  });
});

const TRANSPORT = `export class AwsHttpClient { post(op: string, body: object) { return Promise.resolve({ op, body }); } }`;
const CLIENT = `
import { AwsHttpClient } from "./transport";
/** A client like lambdas/lib/aws/dynamodb.ts. @awsService dynamodb */
export class Db {
  private readonly http = new AwsHttpClient();
  putItem(input: object) { return this.call("PutItem", input); }
  async scan(input: object) { const out = await this.call("Scan", input); return out; }
  destroy() {}
  private call(operation: string, input: object) { return this.http.post(operation, input); }
}`;

describe("tools/iam-calls: the project's own AWS client (lambdas/lib/aws)", () => {
  const dir = project({
    "lib/transport.ts": TRANSPORT,
    "lib/db.ts": CLIENT,
    "shared/repo.ts": `import { Db } from "../lib/db";
export class Repo {
  constructor(private readonly db = new Db()) {}
  async create() { await this.db.putItem({ TableName: "t", Item: {} }); }
  async list() { return this.db.scan({ TableName: "t", IndexName: "by_time" }); }
}
export const repo = () => new Repo();`,
    "create/index.ts": `import { repo } from "../shared/repo";\nexport const handler = async () => repo().create();`,
    "list/index.ts": `import { repo } from "../shared/repo";\nexport const handler = async () => repo().list();`,
  });

  test("a call of an @awsService method is its operation, at the caller's line; each entry counts only what its handler reaches", () => {
    expect(sdkCallsOf(path.join(dir, "create/index.ts")).map((c) => [c.action, c.call, c.line])).toEqual([["dynamodb:PutItem", "Db.putItem", 4]]);
    const list = sdkCallsOf(path.join(dir, "list/index.ts"));
    expect(list.map((c) => c.action)).toEqual(["dynamodb:Scan"]);
    expect(list[0]).toMatchObject({ index: true, line: 5 });
    expect(list[0].file).toMatch(/shared\/repo\.ts$/);
  });

  test("without the client's module loaded, a method of the same name is no AWS call", () => {
    const d = project({ "x.ts": `const store = { putItem: (_: object) => undefined };\nexport const handler = async () => store.putItem({});` });
    expect(sdkCallsOf(path.join(d, "x.ts"))).toEqual([]);
  });

  test.each([
    ["a computed operation", CLIENT.replace('this.call("PutItem", input)', "this.call(String(input), input)"), /Db\.putItem sends a computed operation/],
    ["a method named otherwise than its operation", CLIENT.replace("putItem(input: object)", "put(input: object)"), /Db\.put sends PutItem: one operation per method, named as it \(putItem\)/],
    ["two operations in one method", CLIENT.replace('return this.call("PutItem", input);', 'this.call("DeleteItem", input); return this.call("PutItem", input);'), /sends DeleteItem, PutItem: one operation per method/],
    ["an unknown IAM prefix", CLIENT.replace("@awsService dynamodb", "@awsService dynamo"), /@awsService "dynamo" is not an IAM prefix/],
    ["the raw transport without an @awsService class", CLIENT.replace("@awsService dynamodb", ""), /imports AwsHttpClient but declares no @awsService class/],
  ])("refuses %s", (_name, client, message) => {
    const d = project({ "lib/transport.ts": TRANSPORT, "lib/db.ts": client, "x.ts": `import { Db } from "./lib/db";\nexport const handler = async () => new Db().putItem({});` });
    expect(() => sdkCallsOf(path.join(d, "x.ts"))).toThrow(message);
  });

  test("the project's Lambdas: each haiku entry calls exactly its route's table actions, the Spot handler the three Auto Scaling actions", () => {
    for (const route of HAIKU_ROUTES) {
      const calls = sdkCallsOf(`lambdas/${route.entry}/index.ts`);
      expect({ entry: route.entry, actions: [...new Set(calls.map((c) => c.action))].sort() }).toEqual({ entry: route.entry, actions: [...route.tableActions].sort() });
      for (const c of calls) expect(c).toMatchObject({ file: "lambdas/haiku/repository.ts", call: expect.stringMatching(/^DynamoDB\./) });
    }
    expect(sdkCallsOf("lambdas/spot-interruption/index.ts").map((c) => [c.action, c.file])).toEqual([
      ["autoscaling:DescribeAutoScalingInstances", "lambdas/spot-interruption/index.ts"],
      ["autoscaling:TerminateInstanceInAutoScalingGroup", "lambdas/spot-interruption/index.ts"],
      ["autoscaling:DetachInstances", "lambdas/spot-interruption/index.ts"],
    ]);
    expect(sdkCallsOf("lambdas/simple-lambda/index.ts")).toEqual([]);
  });
});

describe("tools/iam-calls: aws CLI calls in shell", () => {
  test("kebab-case commands become IAM actions, with their shell function; comments do not count", () => {
    const calls = shellCalls(`#!/bin/bash
# aws ec2 terminate-instances would be bad
finish() {
  out="$(aws autoscaling complete-lifecycle-action --region "$r" \\
    --instance-id "$i")"
}
aws --region x ec2 describe-tags --filters y
`);
    expect(calls.map((c) => [c.action, c.shellFunction, c.line])).toEqual([
      ["autoscaling:CompleteLifecycleAction", "finish", 4],
      ["ec2:DescribeTags", undefined, 7],
    ]);
    expect(kebabToPascal("record-lifecycle-action-heartbeat")).toBe("RecordLifecycleActionHeartbeat");
  });

  test("refuses aws s3 (several actions per command)", () => {
    expect(() => shellCalls("aws s3 cp a b\n")).toThrow(/aws s3 cp/);
  });
});
