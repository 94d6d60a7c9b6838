/**
 * The environment contract of the QA worker container: the variable names
 * the task definition (stacks/qa-bot.ts), the per-task overrides
 * (cli/qa.ts) and the image build (Dockerfile) set, and the worker reads.
 * Plain data: no cdktf, no SDK (compiled into the image).
 */
export const QA_WORKER_ENV = {
  /** The answers table's name; set by the task definition. */
  tableName: "TABLE_NAME",
  /** One run's input, set per task by `npm run cli -- qa` (or given as arguments). */
  itemId: "ITEM_ID",
  context: "CONTEXT",
  question: "QUESTION",
  /** The model and where it is cached; set by the Dockerfile. */
  modelId: "MODEL_ID",
  modelCacheDir: "MODEL_CACHE_DIR",
} as const;
