import { randomUUID } from "crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { Answerer } from "./answerer";
import { QA_WORKER_ENV } from "./environment";

/** What one task answers. */
export interface QaInput {
  readonly itemId: string;
  readonly context: string;
  readonly question: string;
}

/** The item written to the table. */
export interface QaRecord {
  readonly item_id: string;
  readonly context: string;
  readonly question: string;
  readonly answer: string;
  readonly score: number;
  readonly created_at: string;
}

/** Longest context accepted (DynamoDB items stop at 400 KB; ECS overrides at 8 KB anyway). */
export const MAX_CONTEXT_CHARS = 100_000;
export const MAX_QUESTION_CHARS = 1_000;

/** Bad or missing input: exit code 2. */
export class InputError extends Error {}

const FLAGS: Record<string, keyof QaInput> = { "--context": "context", "--question": "question", "--item-id": "itemId" };

/**
 * Input from `--context X --question Y [--item-id Z]` (or `--context=X`),
 * falling back to the CONTEXT, QUESTION and ITEM_ID environment variables
 * (what `qa ask` sets through container overrides). ITEM_ID defaults to a UUID.
 */
export function readInput(argv: readonly string[], env: NodeJS.ProcessEnv, newId: () => string = randomUUID): QaInput {
  const fromArgs: Partial<Record<keyof QaInput, string>> = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const key = FLAGS[flag];
    if (!key) throw new InputError(`unknown argument "${argv[i]}" (use --context, --question, --item-id)`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new InputError(`${flag} needs a value`);
    fromArgs[key] = value;
  }
  const context = (fromArgs.context ?? env[QA_WORKER_ENV.context] ?? "").trim();
  const question = (fromArgs.question ?? env[QA_WORKER_ENV.question] ?? "").trim();
  const itemId = (fromArgs.itemId ?? env[QA_WORKER_ENV.itemId] ?? "").trim() || newId();
  if (!context) throw new InputError("CONTEXT is missing or empty (set CONTEXT or pass --context)");
  if (!question) throw new InputError("QUESTION is missing or empty (set QUESTION or pass --question)");
  if (context.length > MAX_CONTEXT_CHARS) throw new InputError(`CONTEXT (${context.length} characters) must be at most ${MAX_CONTEXT_CHARS}`);
  if (question.length > MAX_QUESTION_CHARS) throw new InputError(`QUESTION (${question.length} characters) must be at most ${MAX_QUESTION_CHARS}`);
  if (!/^[A-Za-z0-9_.:-]{1,128}$/.test(itemId)) throw new InputError(`ITEM_ID ("${itemId}") must be 1-128 letters, digits, _ . : or -`);
  return { itemId, context, question };
}

export interface WorkerDeps {
  readonly argv: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  /** Loads the model (called once input is valid). */
  readonly loadAnswerer: () => Promise<Answerer>;
  /** @default a DynamoDB client from the task role's credentials */
  readonly dynamodb?: DynamoDBClient;
  /** One line per run: success or the failure. @default console.log / console.error */
  readonly log?: (line: string) => void;
  readonly logError?: (line: string) => void;
  readonly now?: () => Date;
}

/** Answers one question and stores the record; returns the process exit code (0 ok, 1 failure, 2 bad input). */
export async function runWorker(deps: WorkerDeps): Promise<number> {
  const log = deps.log ?? ((l: string) => console.log(l));
  const logError = deps.logError ?? ((l: string) => console.error(l));
  let input: QaInput | undefined;
  let stage = "reading input";
  try {
    const tableName = (deps.env[QA_WORKER_ENV.tableName] ?? "").trim();
    if (!tableName) throw new InputError(`${QA_WORKER_ENV.tableName} is not set (the task definition sets it)`);
    input = readInput(deps.argv, deps.env);
    stage = "loading the model";
    const answerer = await deps.loadAnswerer();
    stage = "answering";
    const { answer, score } = await answerer.answer(input.question, input.context);
    const record: QaRecord = {
      item_id: input.itemId,
      context: input.context,
      question: input.question,
      answer,
      score,
      created_at: (deps.now ?? (() => new Date()))().toISOString(),
    };
    stage = `writing to table ${tableName}`;
    const client = DynamoDBDocumentClient.from(deps.dynamodb ?? new DynamoDBClient({}));
    await client.send(new PutCommand({ TableName: tableName, Item: record }));
    log(JSON.stringify({ level: "info", message: "answered", item_id: record.item_id, answer, score }));
    return 0;
  } catch (e) {
    const message = e instanceof Error ? `${e.name === "Error" || e instanceof InputError ? "" : `${e.name}: `}${e.message}` : String(e);
    logError(`qa-bot: ${stage} failed${input ? ` for item ${input.itemId}` : ""}: ${message.replace(/\s+/g, " ")}`);
    return e instanceof InputError ? 2 : 1;
  }
}
