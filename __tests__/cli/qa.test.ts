import * as fs from "fs";
import { tempDir } from "../helpers/temp";
import * as path from "path";
import { mockClient } from "aws-sdk-client-mock";
import { Command } from "commander";
import { DescribeTasksCommand, ECSClient, RunTaskCommand, RunTaskCommandInput } from "@aws-sdk/client-ecs";
import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
import {
  askMany,
  askOne,
  clearAnswers,
  containerOverrides,
  listAnswers,
  loadProblems,
  QaCommandEnv,
  QaDeps,
  QaTargets,
  registerQa,
  targetsFrom,
  TaskFailedError,
} from "../../cli/qa";
import { LocalDynamo, startLocalDynamo } from "../docker/qa-bot/local-dynamodb";

const TARGETS: QaTargets = {
  cluster: "qa-cluster",
  taskDefinition: "arn:aws:ecs:ap-northeast-1:123456789012:task-definition/qa:1",
  containerName: "worker",
  subnets: ["subnet-1"],
  securityGroups: ["sg-1"],
  assignPublicIp: true,
  tableName: "qa-answers",
};
const EINSTEIN = { context: "Einstein received the 1921 Nobel Prize in Physics.", question: "In what year did Einstein win the Nobel prize?" };

const ecsMock = mockClient(ECSClient);
let db: LocalDynamo;
let sleeps: number[];

beforeAll(async () => {
  db = await startLocalDynamo(TARGETS.tableName);
});
afterAll(async () => {
  await db.stop();
  ecsMock.restore();
});
beforeEach(() => {
  ecsMock.reset();
  sleeps = [];
});

function deps(overrides: Partial<QaDeps> = {}): QaDeps {
  return {
    ecs: new ECSClient({ region: "ap-northeast-1" }),
    dynamodb: db.client,
    targets: TARGETS,
    pollIntervalMs: 5,
    backoffBaseMs: 100,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...overrides,
  };
}

const envOf = (input: RunTaskCommandInput) =>
  Object.fromEntries((input.overrides?.containerOverrides?.[0].environment ?? []).map((e) => [e.name!, e.value!]));

/** RunTask as ECS would answer it, with the "worker" writing its answer to dynalite. */
function fakeEcs(options: { exitCode?: number; stoppedReason?: string; answer?: string } = {}) {
  const statuses = new Map<string, string[]>();
  let n = 0;
  ecsMock.on(RunTaskCommand).callsFake(async (input: RunTaskCommandInput) => {
    const taskArn = `arn:aws:ecs:ap-northeast-1:123456789012:task/qa-cluster/t${++n}`;
    const env = envOf(input);
    if ((options.exitCode ?? 0) === 0) {
      await DynamoDBDocumentClient.from(db.client).send(
        new PutCommand({
          TableName: TARGETS.tableName,
          Item: { item_id: env.ITEM_ID, context: env.CONTEXT, question: env.QUESTION, answer: options.answer ?? "1921", score: 0.988, created_at: new Date().toISOString() },
        }),
      );
    }
    statuses.set(taskArn, ["PROVISIONING", "PENDING", "RUNNING", "STOPPED"]);
    return { tasks: [{ taskArn, lastStatus: "PROVISIONING" }], failures: [] };
  });
  ecsMock.on(DescribeTasksCommand).callsFake(async (input: { tasks: string[] }) => {
    const taskArn = input.tasks[0];
    const queue = statuses.get(taskArn)!;
    const lastStatus = queue.length > 1 ? queue.shift()! : queue[0];
    return {
      tasks: [
        {
          taskArn,
          lastStatus,
          stoppedReason: lastStatus === "STOPPED" ? (options.stoppedReason ?? "Essential container in task exited") : undefined,
          containers: [{ name: "worker", exitCode: lastStatus === "STOPPED" ? (options.exitCode ?? 0) : undefined }],
        },
      ],
    };
  });
}

describe("qa client", () => {
  test("ask: runs one Fargate task with container overrides, shows each status, prints the stored answer", async () => {
    fakeEcs();
    const statuses: string[] = [];
    const result = await askOne(deps(), EINSTEIN, (s) => statuses.push(s));

    expect(result).toMatchObject({ answer: "1921", score: 0.988 });
    expect(statuses.filter((s) => !s.startsWith("started"))).toEqual(["PROVISIONING", "PENDING", "RUNNING", "STOPPED"]);
    const input = ecsMock.commandCalls(RunTaskCommand)[0].args[0].input;
    expect(input).toMatchObject({
      cluster: "qa-cluster",
      taskDefinition: TARGETS.taskDefinition,
      launchType: "FARGATE",
      networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-1"], securityGroups: ["sg-1"], assignPublicIp: "ENABLED" } },
    });
    expect(input.overrides?.containerOverrides?.[0].name).toBe("worker");
    expect(envOf(input)).toMatchObject({ CONTEXT: EINSTEIN.context, QUESTION: EINSTEIN.question, ITEM_ID: result.itemId });
  });

  test("ask: a failed task raises the stopped reason and the exit code", async () => {
    fakeEcs({ exitCode: 1, stoppedReason: "Essential container in task exited" });
    const error = await askOne(deps(), EINSTEIN).catch((e) => e);
    expect(error).toBeInstanceOf(TaskFailedError);
    expect(error.message).toMatch(/failed: stopped reason: Essential container in task exited; exit code 1/);
    expect(error.exitCode).toBe(1);
  });

  test("ask: a task that never started its container says so", async () => {
    ecsMock.on(RunTaskCommand).resolves({ tasks: [{ taskArn: "arn:t" }] });
    ecsMock.on(DescribeTasksCommand).resolves({
      tasks: [{ taskArn: "arn:t", lastStatus: "STOPPED", stoppedReason: "CannotPullContainerError: image not found", containers: [{ name: "worker" }] }],
    });
    await expect(askOne(deps(), EINSTEIN)).rejects.toThrow(/CannotPullContainerError: image not found; no exit code \(the container never ran\)/);
  });

  test("ask: RunTask throttling is retried with growing backoff, then succeeds", async () => {
    // GIVEN ECS throttles the first two RunTask calls
    fakeEcs();
    const throttled = Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException", $metadata: { httpStatusCode: 400 } });
    ecsMock
      .on(RunTaskCommand)
      .rejectsOnce(throttled)
      .rejectsOnce(throttled)
      .callsFake(async (input: RunTaskCommandInput) => {
        const env = envOf(input);
        await DynamoDBDocumentClient.from(db.client).send(new PutCommand({ TableName: TARGETS.tableName, Item: { item_id: env.ITEM_ID, answer: "1921", score: 0.9 } }));
        return { tasks: [{ taskArn: "arn:t-ok", lastStatus: "PENDING" }] };
      });
    ecsMock.on(DescribeTasksCommand).resolves({ tasks: [{ taskArn: "arn:t-ok", lastStatus: "STOPPED", containers: [{ name: "worker", exitCode: 0 }] }] });

    // WHEN asked
    const statuses: string[] = [];
    const result = await askOne(deps(), EINSTEIN, (s) => statuses.push(s));

    // THEN the third call went through and the waits doubled (with jitter: 50-100%)
    expect(result).toMatchObject({ answer: "1921", taskArn: "arn:t-ok" });
    expect(ecsMock.commandCalls(RunTaskCommand)).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
    expect(sleeps[0]).toBeGreaterThanOrEqual(50);
    expect(sleeps[0]).toBeLessThanOrEqual(100);
    expect(sleeps[1]).toBeGreaterThanOrEqual(100);
    expect(sleeps[1]).toBeLessThanOrEqual(200);
    expect(statuses.filter((s) => s.startsWith("retry"))).toEqual(["retry 1 (RunTask: ThrottlingException)", "retry 2 (RunTask: ThrottlingException)"]);
  });

  test("ask: a throttled DescribeTasks is retried as well", async () => {
    fakeEcs();
    ecsMock
      .on(DescribeTasksCommand)
      .rejectsOnce(Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" }))
      .resolves({ tasks: [{ taskArn: "arn:x", lastStatus: "STOPPED", containers: [{ name: "worker", exitCode: 0 }] }] });
    await expect(askOne(deps(), EINSTEIN)).resolves.toMatchObject({ answer: "1921" });
    expect(ecsMock.commandCalls(DescribeTasksCommand)).toHaveLength(2);
  });

  test("ask: capacity failures in the RunTask response are retried too; other errors are not", async () => {
    ecsMock
      .on(RunTaskCommand)
      .resolvesOnce({ tasks: [], failures: [{ reason: "Capacity is unavailable at this time" }] })
      .resolves({ tasks: [], failures: [{ reason: "MISSING", detail: "subnet not found" }] });
    await expect(askOne(deps(), EINSTEIN)).rejects.toThrow(/RunTask started no task: MISSING \(subnet not found\)/);
    expect(ecsMock.commandCalls(RunTaskCommand)).toHaveLength(2);

    ecsMock.reset();
    ecsMock.on(RunTaskCommand).rejects(Object.assign(new Error("denied"), { name: "AccessDeniedException" }));
    await expect(askOne(deps(), EINSTEIN)).rejects.toThrow(/denied/);
    expect(ecsMock.commandCalls(RunTaskCommand)).toHaveLength(1);
  });

  test("ask: gives up after maxRetries throttles", async () => {
    ecsMock.on(RunTaskCommand).rejects(Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" }));
    await expect(askOne(deps({ maxRetries: 2 }), EINSTEIN)).rejects.toThrow(/Rate exceeded/);
    expect(ecsMock.commandCalls(RunTaskCommand)).toHaveLength(3);
  });

  test("ask-many: one task per problem, never more than the concurrency in flight, summary of both outcomes", async () => {
    fakeEcs();
    let inFlight = 0;
    let peak = 0;
    const base = deps();
    const tracking: QaDeps = {
      ...base,
      sleep: async () => {
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setImmediate(r));
      },
    };
    ecsMock.on(RunTaskCommand).callsFake(async (input: RunTaskCommandInput) => {
      inFlight++;
      const env = envOf(input);
      if (env.QUESTION === "bad") throw Object.assign(new Error("invalid"), { name: "InvalidParameterException" });
      await DynamoDBDocumentClient.from(db.client).send(new PutCommand({ TableName: TARGETS.tableName, Item: { item_id: env.ITEM_ID, answer: env.QUESTION, score: 0.5 } }));
      return { tasks: [{ taskArn: `arn:${env.ITEM_ID}`, lastStatus: "PENDING" }] };
    });
    let polls = 0;
    ecsMock.on(DescribeTasksCommand).callsFake(async (input: { tasks: string[] }) => {
      const stopped = ++polls % 3 === 0;
      if (stopped) inFlight--;
      return { tasks: [{ taskArn: input.tasks[0], lastStatus: stopped ? "STOPPED" : "RUNNING", containers: [{ name: "worker", exitCode: 0 }] }] };
    });
    const problems = [...Array.from({ length: 7 }, (_, i) => ({ context: "c", question: `q${i}` })), { context: "c", question: "bad" }];
    const done: boolean[] = [];
    const summary = await askMany(tracking, problems, 3, (ok) => done.push(ok));

    expect(summary.succeeded.map((s) => s.answer).sort()).toEqual(["q0", "q1", "q2", "q3", "q4", "q5", "q6"]);
    expect(summary.failed).toEqual([{ context: "c", question: "bad", error: "invalid" }]);
    expect(done.filter((d) => !d)).toHaveLength(1);
    expect(ecsMock.commandCalls(RunTaskCommand)).toHaveLength(8);
    expect(peak).toBeLessThanOrEqual(3);
    expect(peak).toBeGreaterThan(1);
  });

  test("ask-many rejects a bad concurrency", async () => {
    await expect(askMany(deps(), [EINSTEIN], 0)).rejects.toThrow(/concurrency \(0\)/);
  });

  test("list-answers pages through the table; clear deletes everything", async () => {
    const doc = DynamoDBDocumentClient.from(db.client);
    for (let i = 0; i < 30; i++) {
      await doc.send(new PutCommand({ TableName: TARGETS.tableName, Item: { item_id: `bulk-${i}`, answer: "a", score: 0.1, created_at: `2026-01-01T00:00:${String(i).padStart(2, "0")}Z` } }));
    }
    const before = await listAnswers(deps(), 7); // pages of 7: several Scan calls
    expect(before.length).toBeGreaterThanOrEqual(30);
    expect(new Set(before.map((i) => i.item_id)).size).toBe(before.length);
    const deleted = await clearAnswers(deps());
    expect(deleted).toBe(before.length);
    expect(await listAnswers(deps())).toEqual([]);
  });

  test("overrides bigger than ECS's 8 KB limit are refused before any call", () => {
    expect(() => containerOverrides(TARGETS, "id", { context: "x".repeat(9000), question: "q" })).toThrow(/exceed ECS's 8192-byte limit/);
  });

  test("the shipped problems.json holds the Einstein example and fits the override limit", () => {
    const problems = loadProblems(path.join(__dirname, "../../docker/qa-bot/problems.json"));
    expect(problems.length).toBeGreaterThanOrEqual(5);
    expect(problems.some((p) => /1921/.test(p.context) && /Einstein/.test(p.question))).toBe(true);
    for (const p of problems) expect(() => containerOverrides(TARGETS, "00000000-0000-0000-0000-000000000000", p)).not.toThrow();
  });

  test("loadProblems names the bad item", () => {
    const dir = tempDir("qa");
    const file = path.join(dir, "problems.json");
    fs.writeFileSync(file, JSON.stringify([{ context: "c", question: "q" }, { context: "c" }]));
    expect(() => loadProblems(file)).toThrow(/item 1 needs non-empty "context" and "question"/);
    expect(() => loadProblems("/nonexistent.json")).toThrow(/problems file \/nonexistent.json/);
  });

  test("names default to the stack outputs, flags override them, a missing one says how to fix it", () => {
    const outputs = { ClusterName: "c", TaskDefinitionArn: "td", ContainerName: "worker", SubnetIds: ["s1", "s2"], SecurityGroupId: "sg", TableName: "t", AssignPublicIp: "true" };
    expect(targetsFrom(outputs)).toEqual({ cluster: "c", taskDefinition: "td", containerName: "worker", subnets: ["s1", "s2"], securityGroups: ["sg"], assignPublicIp: true, tableName: "t" });
    expect(targetsFrom(outputs, { table: "other" }).tableName).toBe("other");
    expect(() => targetsFrom({})).toThrow(/no ClusterName: deploy the qa-bot stack \(`npm run cdktf -- deploy qa-bot`\) or pass --cluster/);
  });

  describe("commands", () => {
    const outputs = { ClusterName: "qa-cluster", TaskDefinitionArn: "td", ContainerName: "worker", SubnetIds: ["subnet-1"], SecurityGroupId: "sg-1", TableName: TARGETS.tableName };
    async function cli(args: string[], readOutputs: QaCommandEnv["readOutputs"] = () => outputs) {
      const lines: string[] = [];
      const errors: string[] = [];
      let code = 0;
      const env: QaCommandEnv = {
        out: (l) => lines.push(l),
        err: (l) => errors.push(l),
        progress: false,
        readOutputs,
        setExitCode: (c) => (code = c),
        makeClients: () => ({ ecs: new ECSClient({ region: "ap-northeast-1" }), dynamodb: db.client }),
      };
      const program = new Command("cli").exitOverride();
      registerQa(program, env);
      await program.parseAsync(args, { from: "user" });
      return { lines, errors, code };
    }

    beforeEach(() => {
      // DescribeTasks is polled every 3 s by default: answer STOPPED at once.
      ecsMock.on(RunTaskCommand).callsFake(async (input: RunTaskCommandInput) => {
        const env = envOf(input);
        await DynamoDBDocumentClient.from(db.client).send(new PutCommand({ TableName: TARGETS.tableName, Item: { item_id: env.ITEM_ID, question: env.QUESTION, answer: "1921", score: 0.9876 } }));
        return { tasks: [{ taskArn: "arn:ok" }] };
      });
      ecsMock.on(DescribeTasksCommand).resolves({ tasks: [{ taskArn: "arn:ok", lastStatus: "STOPPED", containers: [{ name: "worker", exitCode: 0 }] }] });
    });

    test("qa ask prints answer and score, statuses on stderr, exit 0", async () => {
      const ok = await cli(["qa", "ask", EINSTEIN.context, EINSTEIN.question]);
      expect(ok.code).toBe(0);
      expect(ok.lines).toEqual(expect.arrayContaining(["answer: 1921", "score:  0.988"]));
      expect(ok.errors).toEqual(expect.arrayContaining(["  STOPPED"]));
    });

    test("qa ask exits 1 with the stopped reason and exit code when the task fails", async () => {
      ecsMock.on(DescribeTasksCommand).resolves({
        tasks: [{ taskArn: "arn:ok", lastStatus: "STOPPED", stoppedReason: "Essential container in task exited", containers: [{ name: "worker", exitCode: 2 }] }],
      });
      const bad = await cli(["qa", "ask", EINSTEIN.context, EINSTEIN.question]);
      expect(bad.code).toBe(1);
      expect(bad.errors).toContain("cli qa ask: TaskFailedError: task arn:ok failed: stopped reason: Essential container in task exited; exit code 2");
    });

    test("qa ask-many runs the shipped problems and prints a summary", async () => {
      const r = await cli(["qa", "ask-many", path.join(__dirname, "../../docker/qa-bot/problems.json"), "--concurrency", "4"]);
      expect(r.code).toBe(0);
      expect(r.lines[r.lines.length - 1]).toMatch(/^10 answered, 0 failed, /);
      expect(ecsMock.commandCalls(RunTaskCommand)).toHaveLength(10);
    });

    test("qa ask-many: a bad --concurrency or problems file is a usage error (exit 2)", async () => {
      expect((await cli(["qa", "ask-many", "--concurrency", "0"])).code).toBe(2);
      const r = await cli(["qa", "ask-many", "/nonexistent/problems.json"]);
      expect(r.code).toBe(2);
      expect(r.errors[0]).toMatch(/problems file \/nonexistent\/problems.json/);
    });

    test("list-answers and clear need only --table, without stack outputs", async () => {
      const noStack = () => Promise.reject(new Error("cannot read the outputs of stack qa-bot: not deployed"));
      await cli(["qa", "ask", EINSTEIN.context, EINSTEIN.question]);
      const listed = await cli(["qa", "list-answers", "--table", TARGETS.tableName], noStack);
      expect(listed.code).toBe(0);
      expect(listed.lines[listed.lines.length - 1]).toMatch(/^[1-9]\d* answer\(s\)$/);
      const cleared = await cli(["qa", "clear", "--table", TARGETS.tableName], noStack);
      expect(cleared.lines).toEqual([expect.stringMatching(/^deleted [1-9]\d* answer\(s\)$/)]);
      expect((await cli(["qa", "list-answers"])).lines).toEqual(["0 answer(s)"]);
    });

    test("without outputs or flags, the error says to deploy or pass the flags", async () => {
      const r = await cli(["qa", "ask", "c", "q"], () => Promise.reject(new Error("cannot read the outputs of stack qa-bot: it has no outputs yet (not deployed?)")));
      expect(r.code).toBe(1);
      expect(r.errors[0]).toMatch(/not deployed\?\); or pass --cluster, --task-definition, --subnets, --security-group and --table/);
    });
  });
});
