import { z } from "zod";
import { DEFAULT_LOG_RETENTION_DAYS } from "../../modules/core/log-retention";
import { logRetentionDays } from "../fields";
import { ARCHITECTURES, DEFAULT_ARCHITECTURE, DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_SECONDS } from "../../modules/serverless/function";

/** `stacks.simpleLambda`: the course's first Lambda function (SPEC section 4). Defaults are the course's numbers. */
export const SimpleLambdaSettings = z
  .object({
    /** Memory in MB (the course: 128). */
    memorySize: z.number().int().min(128).max(10240).default(DEFAULT_MEMORY_MB),
    /** Timeout in seconds (the course: 10; the function sleeps up to 5). */
    timeout: z.number().int().min(1).max(900).default(DEFAULT_TIMEOUT_SECONDS),
    /** arm64 (Graviton, ~20% cheaper) or x86_64. */
    architecture: z.enum(ARCHITECTURES).default(DEFAULT_ARCHITECTURE),
    /** SQS dead-letter queue for failed asynchronous invocations (the course: enabled). */
    deadLetterQueue: z.boolean().default(true), // the course's choice (NodeFunction adds one only for asynchronous invokers)
    /** Concurrent executions reserved for (and capping) the function; unset = shares the account pool. */
    reservedConcurrency: z.number().int().min(0).optional(),
    /** Retention of /aws/lambda/<name>. */
    logRetentionDays: logRetentionDays.default(DEFAULT_LOG_RETENTION_DAYS),
  })
  .strict();

export type SimpleLambdaSettings = z.infer<typeof SimpleLambdaSettings>;
