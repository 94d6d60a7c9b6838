/**
 * `qa`: client of the qa-bot stack (docs/qa-bot.md).
 *
 *   npm run cli -- qa ask "<context>" "<question>"
 *   npm run cli -- qa ask-many [docker/qa-bot/problems.json] [--concurrency 5]
 *   npm run cli -- qa list-answers
 *   npm run cli -- qa clear
 *
 * One Fargate task per question (RunTask with container overrides); the
 * worker writes its answer to the table, which the client then reads.
 */
import * as fs from "fs";
import * as path from "path";
import { randomUUID } from "crypto";
import { Command, Option } from "commander";
import { DescribeTasksCommand, ECSClient, RunTaskCommand, Task } from "@aws-sdk/client-ecs";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { CliEnv } from "./lib/env";
import { action, parsePositiveInt, UsageError } from "./lib/errors";
import { deployCommand, StackOutputsError } from "./lib/outputs";
import { runPool } from "./lib/pool";
import { startProgress } from "./lib/progress";
import { QA_WORKER_ENV } from "../docker/qa-bot/src/environment";

/** The stack whose outputs name everything. */
export const QA_STACK = "qa-bot";
/** ECS refuses overrides above 8192 bytes (RunTask API reference). */
export const MAX_OVERRIDE_BYTES = 8192;
/** Default tasks in flight for ask-many: well under Fargate's launch rate (burst 100, 20/s sustained). */
export const DEFAULT_CONCURRENCY = 5;
/** Upper bound of --concurrency: Fargate's RunTask burst is 100 tasks. */
export const MAX_CONCURRENCY = 50;
export const DEFAULT_PROBLEMS_FILE = path.join("docker", "qa-bot", "problems.json");
/** The container the stack's task definition runs (its ContainerName output). */
export const QA_CONTAINER_NAME = "worker";

/** Everything the client needs from the qa-bot stack. */
export interface QaTargets {
  readonly cluster: string;
  readonly taskDefinition: string;
  readonly containerName: string;
  readonly subnets: readonly string[];
  readonly securityGroups: readonly string[];
  readonly assignPublicIp: boolean;
  readonly tableName: string;
}

export interface Problem {
  readonly context: string;
  readonly question: string;
}

export interface QaDeps {
  readonly ecs: ECSClient;
  readonly dynamodb: DynamoDBClient;
  readonly targets: QaTargets;
  /** @default 3000 ms */
  readonly pollIntervalMs?: number;
  /** Retries of throttled/capacity-limited calls. @default 6 */
  readonly maxRetries?: number;
  /** First backoff; doubles per retry, with jitter. @default 1000 ms */
  readonly backoffBaseMs?: number;
  /** Give up waiting for a task after this long. @default 15 minutes */
  readonly timeoutMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface QaResult {
  readonly itemId: string;
  readonly taskArn: string;
  readonly answer: string;
  readonly score: number;
}

/** A task that did not produce an answer: carries ECS's own words. */
export class TaskFailedError extends Error {
  constructor(
    message: string,
    readonly taskArn?: string,
    readonly exitCode?: number,
  ) {
    super(message);
    this.name = "TaskFailedError";
  }
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Throttling and transient capacity errors that a later RunTask may get past. */
function isRetryable(e: unknown): boolean {
  const err = e as { name?: string; $retryable?: { throttling?: boolean }; $metadata?: { httpStatusCode?: number } };
  return (
    err?.$retryable?.throttling === true ||
    ["ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded", "ServerException"].includes(err?.name ?? "") ||
    err?.$metadata?.httpStatusCode === 429
  );
}

/** RunTask `failures` reasons worth retrying (capacity, rate). */
const RETRYABLE_FAILURE = /capacity is unavailable|resource:|throttl|rate exceeded|limit/i;

async function withBackoff<T>(deps: QaDeps, what: string, call: () => Promise<T>, onRetry?: (attempt: number, reason: string) => void): Promise<T> {
  const max = deps.maxRetries ?? 6;
  const base = deps.backoffBaseMs ?? 1000;
  const sleep = deps.sleep ?? realSleep;
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (e) {
      if (!isRetryable(e) || attempt >= max) throw e;
      const delay = Math.min(30_000, base * 2 ** attempt) * (0.5 + Math.random() / 2);
      onRetry?.(attempt + 1, `${what}: ${(e as Error).name}`);
      await sleep(delay);
    }
  }
}

/** The container overrides for one problem; throws when ECS would refuse their size. */
export function containerOverrides(targets: QaTargets, itemId: string, problem: Problem) {
  const overrides = {
    containerOverrides: [
      {
        name: targets.containerName,
        environment: [
          { name: QA_WORKER_ENV.itemId, value: itemId },
          { name: QA_WORKER_ENV.context, value: problem.context },
          { name: QA_WORKER_ENV.question, value: problem.question },
        ],
      },
    ],
  };
  const bytes = Buffer.byteLength(JSON.stringify(overrides), "utf8");
  if (bytes > MAX_OVERRIDE_BYTES) {
    throw new Error(`context and question (${bytes} bytes of overrides) exceed ECS's ${MAX_OVERRIDE_BYTES}-byte limit; shorten the context`);
  }
  return overrides;
}

/** Starts one task for `problem`; retries throttling with exponential backoff. */
export async function startTask(deps: QaDeps, problem: Problem, itemId: string = randomUUID(), onRetry?: (attempt: number, reason: string) => void) {
  const t = deps.targets;
  const overrides = containerOverrides(t, itemId, problem);
  const response = await withBackoff(
    deps,
    "RunTask",
    async () => {
      const r = await deps.ecs.send(
        new RunTaskCommand({
          cluster: t.cluster,
          taskDefinition: t.taskDefinition,
          launchType: "FARGATE",
          count: 1,
          startedBy: "qa-cli",
          networkConfiguration: {
            awsvpcConfiguration: {
              subnets: [...t.subnets],
              securityGroups: [...t.securityGroups],
              assignPublicIp: t.assignPublicIp ? "ENABLED" : "DISABLED",
            },
          },
          overrides,
        }),
      );
      const failure = r.failures?.[0];
      if (!r.tasks?.length && failure && RETRYABLE_FAILURE.test(failure.reason ?? "")) {
        throw Object.assign(new Error(`RunTask failure: ${failure.reason}`), { name: "ThrottlingException" });
      }
      return r;
    },
    onRetry,
  );
  const task = response.tasks?.[0];
  if (!task?.taskArn) {
    const f = response.failures?.[0];
    throw new TaskFailedError(`RunTask started no task: ${f ? `${f.reason}${f.detail ? ` (${f.detail})` : ""}` : "no reason given"}`);
  }
  return { itemId, taskArn: task.taskArn };
}

/** Polls DescribeTasks until the task is STOPPED; reports each new status. */
export async function waitForTask(deps: QaDeps, taskArn: string, onStatus?: (status: string) => void): Promise<Task> {
  const sleep = deps.sleep ?? realSleep;
  const interval = deps.pollIntervalMs ?? 3000;
  const deadline = Date.now() + (deps.timeoutMs ?? 15 * 60_000);
  let last = "";
  for (;;) {
    const r = await withBackoff(deps, "DescribeTasks", () => deps.ecs.send(new DescribeTasksCommand({ cluster: deps.targets.cluster, tasks: [taskArn] })));
    const task = r.tasks?.[0];
    if (!task) throw new TaskFailedError(`task ${taskArn} not found: ${r.failures?.[0]?.reason ?? "no reason given"}`, taskArn);
    const status = task.lastStatus ?? "UNKNOWN";
    if (status !== last) {
      onStatus?.(status);
      last = status;
    }
    if (status === "STOPPED") return task;
    if (Date.now() > deadline) throw new TaskFailedError(`task ${taskArn} still ${status} after the timeout`, taskArn);
    await sleep(interval);
  }
}

/** Throws with the stopped reason and exit code unless the container exited 0. */
export function checkStopped(task: Task, containerName: string): void {
  const container = task.containers?.find((c) => c.name === containerName) ?? task.containers?.[0];
  const exitCode = container?.exitCode;
  if (exitCode === 0) return;
  const parts = [
    task.stoppedReason ? `stopped reason: ${task.stoppedReason}` : undefined,
    exitCode !== undefined ? `exit code ${exitCode}` : "no exit code (the container never ran)",
    container?.reason ? `container: ${container.reason}` : undefined,
  ].filter(Boolean);
  throw new TaskFailedError(`task ${task.taskArn} failed: ${parts.join("; ")}`, task.taskArn, exitCode);
}

/** The record a task wrote. */
export async function readAnswer(deps: QaDeps, itemId: string): Promise<{ answer: string; score: number }> {
  const doc = DynamoDBDocumentClient.from(deps.dynamodb);
  const r = await doc.send(new GetCommand({ TableName: deps.targets.tableName, Key: { item_id: itemId }, ConsistentRead: true }));
  if (!r.Item) throw new TaskFailedError(`the task exited 0 but wrote no item ${itemId} to ${deps.targets.tableName}`);
  return { answer: String(r.Item.answer), score: Number(r.Item.score) };
}

/** One question end to end: start, wait, check, read. */
export async function askOne(deps: QaDeps, problem: Problem, onStatus?: (status: string) => void): Promise<QaResult> {
  const { itemId, taskArn } = await startTask(deps, problem, undefined, (n, reason) => onStatus?.(`retry ${n} (${reason})`));
  onStatus?.(`started ${taskArn}`);
  const task = await waitForTask(deps, taskArn, onStatus);
  checkStopped(task, deps.targets.containerName);
  return { itemId, taskArn, ...(await readAnswer(deps, itemId)) };
}

export interface AskManySummary {
  readonly succeeded: readonly (QaResult & Problem)[];
  readonly failed: readonly (Problem & { readonly error: string })[];
  readonly seconds: number;
}

/** One task per problem, at most `concurrency` in flight; never throws for a single failure. */
export async function askMany(deps: QaDeps, problems: readonly Problem[], concurrency = DEFAULT_CONCURRENCY, onDone?: (ok: boolean) => void): Promise<AskManySummary> {
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
    throw new UsageError(`concurrency (${concurrency}) must be in 1..${MAX_CONCURRENCY}`);
  }
  const started = Date.now();
  const settled = await runPool(problems.length, concurrency, async (i) => {
    try {
      const r = await askOne(deps, problems[i]);
      onDone?.(true);
      return r;
    } catch (e) {
      onDone?.(false);
      throw e;
    }
  });
  const succeeded: (QaResult & Problem)[] = [];
  const failed: (Problem & { error: string })[] = [];
  settled.forEach((r, i) => {
    if (r.status === "fulfilled") succeeded.push({ ...problems[i], ...r.value });
    else failed.push({ ...problems[i], error: r.reason instanceof Error ? r.reason.message : String(r.reason) });
  });
  return { succeeded, failed, seconds: (Date.now() - started) / 1000 };
}

/** Every answer in the table (paged Scan: one Scan returns at most 1 MB). */
export async function listAnswers(deps: Pick<QaDeps, "dynamodb" | "targets">, pageSize?: number): Promise<Record<string, unknown>[]> {
  const doc = DynamoDBDocumentClient.from(deps.dynamodb);
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const r = await doc.send(new ScanCommand({ TableName: deps.targets.tableName, ExclusiveStartKey: start, Limit: pageSize }));
    items.push(...(r.Items ?? []));
    start = r.LastEvaluatedKey;
  } while (start);
  return items.sort((a, b) => String(a.created_at ?? "").localeCompare(String(b.created_at ?? "")));
}

/** Deletes every item (batches of 25, unprocessed items retried); returns how many. */
export async function clearAnswers(deps: Pick<QaDeps, "dynamodb" | "targets" | "sleep">): Promise<number> {
  const doc = DynamoDBDocumentClient.from(deps.dynamodb);
  const sleep = deps.sleep ?? realSleep;
  const items = await listAnswers(deps);
  for (let i = 0; i < items.length; i += 25) {
    let requests = items.slice(i, i + 25).map((it) => ({ DeleteRequest: { Key: { item_id: it.item_id } } }));
    for (let attempt = 0; requests.length; attempt++) {
      if (attempt > 8) throw new Error(`clear: DynamoDB kept ${requests.length} deletes unprocessed`);
      const r = await doc.send(new BatchWriteCommand({ RequestItems: { [deps.targets.tableName]: requests } }));
      requests = (r.UnprocessedItems?.[deps.targets.tableName] ?? []) as typeof requests;
      if (requests.length) await sleep(100 * 2 ** attempt);
    }
  }
  return items.length;
}

/** Reads and checks a problems file: a JSON array of `{context, question}`. */
export function loadProblems(file: string): Problem[] {
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new UsageError(`problems file ${file}: ${(e as Error).message}`);
  }
  if (!Array.isArray(data) || data.length === 0) throw new UsageError(`problems file ${file} must hold a non-empty JSON array of {context, question}`);
  return data.map((p, i) => {
    if (!p || typeof p.context !== "string" || !p.context.trim() || typeof p.question !== "string" || !p.question.trim()) {
      throw new UsageError(`problems file ${file}: item ${i} needs non-empty "context" and "question" strings`);
    }
    return { context: p.context, question: p.question };
  });
}

function picker(outputs: Record<string, unknown>, options: Partial<Record<string, string>>) {
  return (flag: string, output: string): string => {
    const v = options[flag] ?? outputs[output];
    if (v === undefined || v === null || v === "") {
      throw new Error(`no ${output}: deploy the ${QA_STACK} stack (\`${deployCommand(QA_STACK)}\`) or pass --${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
    }
    return Array.isArray(v) ? v.join(",") : String(v);
  };
}

/** Only the table (list-answers, clear); the other fields are unused. */
function tableTargets(outputs: Record<string, unknown>, options: Partial<Record<string, string>>): QaTargets {
  const tableName = picker(outputs, options)("table", "TableName");
  return { cluster: "", taskDefinition: "", containerName: "", subnets: [], securityGroups: [], assignPublicIp: false, tableName };
}

/** Stack outputs -> targets, with command-line overrides. */
export function targetsFrom(outputs: Record<string, unknown>, options: Partial<Record<string, string>> = {}): QaTargets {
  const pick = picker(outputs, options);
  return {
    cluster: pick("cluster", "ClusterName"),
    taskDefinition: pick("taskDefinition", "TaskDefinitionArn"),
    containerName: pick("containerName", "ContainerName"),
    subnets: pick("subnets", "SubnetIds").split(",").filter(Boolean),
    securityGroups: pick("securityGroup", "SecurityGroupId").split(",").filter(Boolean),
    assignPublicIp: (options.assignPublicIp ?? String(outputs.AssignPublicIp ?? "true")) === "true",
    tableName: pick("table", "TableName"),
  };
}

export interface QaCommandEnv extends CliEnv {
  /** AWS clients (tests pass mocks / a local DynamoDB). */
  readonly makeClients?: (region?: string) => { ecs: ECSClient; dynamodb: DynamoDBClient };
}

type QaOptions = Partial<Record<"region" | "cluster" | "taskDefinition" | "subnets" | "securityGroup" | "table" | "concurrency", string>>;

/** Targets from the flags, reading the stack's outputs only for what the flags leave out. */
async function resolveTargets(env: CliEnv, opts: QaOptions, tableOnly: boolean): Promise<QaTargets> {
  const flags = tableOnly ? [opts.table] : [opts.cluster, opts.taskDefinition, opts.subnets, opts.securityGroup, opts.table];
  let outputs: Record<string, unknown> = {};
  if (flags.some((f) => !f)) {
    try {
      outputs = await env.readOutputs(QA_STACK);
    } catch (e) {
      const how = tableOnly ? "--table" : "--cluster, --task-definition, --subnets, --security-group and --table";
      throw StackOutputsError.from(QA_STACK, e).or(`pass ${how}`);
    }
  }
  const withFlags = { ...opts, containerName: opts.taskDefinition && !outputs.ContainerName ? QA_CONTAINER_NAME : undefined };
  return tableOnly ? tableTargets(outputs, withFlags) : targetsFrom(outputs, withFlags);
}

/** Adds `qa ask | ask-many | list-answers | clear` to the program. */
export function registerQa(program: Command, env: QaCommandEnv): Command {
  const makeClients = env.makeClients ?? ((region?: string) => ({ ecs: new ECSClient({ region }), dynamodb: new DynamoDBClient({ region }) }));
  const deps = async (opts: QaOptions, tableOnly = false): Promise<QaDeps> => ({ ...makeClients(opts.region), targets: await resolveTargets(env, opts, tableOnly) });

  const qa = program.command("qa").description(`ask the ${QA_STACK} stack's question-answering bot (one Fargate task per question)`);
  const shared = (c: Command, tableOnly = false) => {
    c.addOption(new Option("--region <region>", "AWS region (default: your AWS config)"));
    if (!tableOnly) {
      c.addOption(new Option("--cluster <name>", "ECS cluster (default: stack output ClusterName)"))
        .addOption(new Option("--task-definition <arn>", "task definition (default: stack output TaskDefinitionArn)"))
        .addOption(new Option("--subnets <ids>", "comma-separated subnet ids (default: stack output SubnetIds)"))
        .addOption(new Option("--security-group <id>", "security group id (default: stack output SecurityGroupId)"));
    }
    return c.addOption(new Option("--table <name>", "DynamoDB table (default: stack output TableName)"));
  };

  shared(qa.command("ask"))
    .description("run one task for one question, show its status until STOPPED, print the answer and score")
    .argument("<context>", "text that contains the answer")
    .argument("<question>", "question about the context")
    .action(
      action(env, async (context: string, question: string, opts: QaOptions) => {
        if (!context.trim() || !question.trim()) throw new UsageError("context and question must not be empty");
        const d = await deps(opts);
        const r = await askOne(d, { context, question }, (s) => env.err(`  ${s}`));
        env.out(`answer: ${r.answer}`);
        env.out(`score:  ${r.score.toFixed(3)}`);
        env.out(`item:   ${r.itemId}`);
      }),
    );

  shared(qa.command("ask-many"))
    .description("one task per problem of a JSON file, a few at a time (RunTask is rate limited); prints a summary")
    .argument("[problems]", "JSON array of {context, question}", DEFAULT_PROBLEMS_FILE)
    .option("--concurrency <n>", "tasks in flight at once", String(DEFAULT_CONCURRENCY))
    .action(
      action(env, async (file: string, opts: QaOptions) => {
        const concurrency = parsePositiveInt(opts.concurrency, "--concurrency", MAX_CONCURRENCY);
        const problems = loadProblems(file);
        const d = await deps(opts);
        let failedCount = 0;
        const bar = startProgress(env.progress, problems.length, "{value}/{total} tasks | {failed} failed", { failed: 0 });
        let summary: AskManySummary;
        try {
          summary = await askMany(d, problems, concurrency, (ok) => {
            if (!ok) failedCount++;
            bar.increment(1, { failed: failedCount });
          });
        } finally {
          bar.stop();
        }
        for (const r of summary.succeeded) env.out(`${r.question} -> ${r.answer} (${r.score.toFixed(3)})`);
        for (const f of summary.failed) env.err(`FAILED ${f.question}: ${f.error}`);
        env.out(`${summary.succeeded.length} answered, ${summary.failed.length} failed, ${summary.seconds.toFixed(1)} s`);
        if (summary.failed.length) env.setExitCode(1);
      }),
    );

  shared(qa.command("list-answers"), true)
    .description("print every answer in the table")
    .action(
      action(env, async (opts: QaOptions) => {
        const items = await listAnswers(await deps(opts, true));
        for (const it of items) env.out(`${it.created_at ?? "-"}  ${it.question} -> ${it.answer} (${Number(it.score).toFixed(3)})  [${it.item_id}]`);
        env.out(`${items.length} answer(s)`);
      }),
    );

  shared(qa.command("clear"), true)
    .description("delete every answer from the table")
    .action(
      action(env, async (opts: QaOptions) => {
        const n = await clearAnswers(await deps(opts, true));
        env.out(`deleted ${n} answer(s)`);
      }),
    );
  return qa;
}
