/**
 * `lambda`: invoke the simple-lambda stack's function (docs/simple-lambda.md),
 * the course's `invoke_one NAME` / `invoke_many NAME N` rebuilt.
 *
 *   npm run cli -- lambda invoke-one [name]
 *   npm run cli -- lambda invoke-many [name] <n> [--concurrency 100]
 *
 * [name] defaults to the FunctionName output of the deployed simple-lambda stack.
 */
import * as https from "https";
import { Command, Option } from "commander";
import { InvokeCommand, InvokeCommandOutput, LambdaClient } from "@aws-sdk/client-lambda";
import { CliEnv } from "./lib/env";
import { action, describeError, nameAndCount, parsePositiveInt, UsageError } from "./lib/errors";
import { nameOrOutput, regionFor } from "./lib/outputs";
import { runPool } from "./lib/pool";
import { startProgress } from "./lib/progress";
import { formatMs, percentile } from "./lib/stats";

export const LAMBDA_STACK = "simple-lambda";
/** The course fired 100 at once and saw 96 concurrent executions. */
export const DEFAULT_CONCURRENCY = 100;
/** Upper bound of one run, so a typo does not start a million invocations. */
export const MAX_INVOCATIONS = 100_000;

export interface LambdaClientOptions {
  readonly region?: string;
  /** SDK attempts per call (1 = no retry, so throttles show in the summary). */
  readonly maxAttempts?: number;
  /** Sockets kept open; the SDK default (50) would cap concurrency. */
  readonly maxSockets?: number;
}

export interface LambdaCommandEnv extends CliEnv {
  readonly makeLambdaClient?: (options: LambdaClientOptions) => LambdaClient;
}

export function defaultLambdaClient(options: LambdaClientOptions): LambdaClient {
  return new LambdaClient({
    region: options.region,
    maxAttempts: options.maxAttempts,
    requestHandler: { httpsAgent: new https.Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 50 }) },
  });
}

export type InvocationOutcome =
  | { readonly kind: "success"; readonly ms: number; readonly payload: string }
  | { readonly kind: "function-error"; readonly ms: number; readonly error: string }
  | { readonly kind: "throttle"; readonly ms: number; readonly error: string; readonly cause?: unknown }
  | { readonly kind: "error"; readonly ms: number; readonly error: string; readonly cause?: unknown };

/** The payload as text: a JSON string is unquoted, anything else stays JSON. */
export function decodePayload(payload: Uint8Array | undefined): string {
  if (!payload || payload.length === 0) return "";
  const text = Buffer.from(payload).toString("utf8");
  try {
    const value = JSON.parse(text);
    return typeof value === "string" ? value : JSON.stringify(value);
  } catch {
    return text;
  }
}

/** `errorType: errorMessage` of a function error payload. */
function functionErrorOf(result: InvokeCommandOutput): string {
  const text = result.Payload ? Buffer.from(result.Payload).toString("utf8") : "";
  try {
    const e = JSON.parse(text) as { errorType?: string; errorMessage?: string };
    return `${result.FunctionError}: ${[e.errorType, e.errorMessage].filter(Boolean).join(": ") || text}`;
  } catch {
    return `${result.FunctionError}: ${text}`;
  }
}

export function isThrottle(e: unknown): boolean {
  const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
  return err?.name === "TooManyRequestsException" || err?.$metadata?.httpStatusCode === 429;
}

/** One synchronous invocation, classified; AWS errors are returned, not thrown. */
export async function invokeOnce(client: LambdaClient, functionName: string, payload = "{}"): Promise<InvocationOutcome> {
  const started = performance.now();
  try {
    const result = await client.send(new InvokeCommand({ FunctionName: functionName, InvocationType: "RequestResponse", Payload: Buffer.from(payload) }));
    const ms = performance.now() - started;
    if (result.FunctionError) return { kind: "function-error", ms, error: functionErrorOf(result) };
    return { kind: "success", ms, payload: decodePayload(result.Payload) };
  } catch (e) {
    const ms = performance.now() - started;
    return { kind: isThrottle(e) ? "throttle" : "error", ms, error: describeError(e), cause: e };
  }
}

export interface InvokeManySummary {
  readonly total: number;
  readonly successes: number;
  readonly functionErrors: number;
  readonly throttles: number;
  readonly otherErrors: number;
  /** Latency of invocations that reached the function (successes and function errors). */
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly seconds: number;
  /** Distinct payloads of successes -> count. */
  readonly payloads: Record<string, number>;
  /** Distinct error lines -> count. */
  readonly errors: Record<string, number>;
}

/** `n` invocations, at most `concurrency` in flight; `onDone` after each. */
export async function invokeMany(
  client: LambdaClient,
  functionName: string,
  n: number,
  concurrency: number,
  onDone?: (outcome: InvocationOutcome) => void
): Promise<InvokeManySummary> {
  const started = performance.now();
  const settled = await runPool(n, concurrency, async () => {
    const outcome = await invokeOnce(client, functionName);
    onDone?.(outcome);
    return outcome;
  });
  const outcomes = settled.map((s) => (s.status === "fulfilled" ? s.value : ({ kind: "error", ms: 0, error: describeError(s.reason) } as const)));
  const count = (kind: InvocationOutcome["kind"]) => outcomes.filter((o) => o.kind === kind).length;
  const reached = outcomes.filter((o) => o.kind === "success" || o.kind === "function-error").map((o) => o.ms);
  const tally = (values: string[]) => values.reduce<Record<string, number>>((acc, v) => ({ ...acc, [v]: (acc[v] ?? 0) + 1 }), {});
  return {
    total: n,
    successes: count("success"),
    functionErrors: count("function-error"),
    throttles: count("throttle"),
    otherErrors: count("error"),
    p50Ms: percentile(reached, 50),
    p95Ms: percentile(reached, 95),
    seconds: (performance.now() - started) / 1000,
    payloads: tally(outcomes.flatMap((o) => (o.kind === "success" ? [o.payload] : []))),
    errors: tally(outcomes.flatMap((o) => (o.kind === "success" ? [] : [o.error]))),
  };
}

/** The summary as printed by `invoke-many`. */
export function formatSummary(functionName: string, concurrency: number, s: InvokeManySummary): string[] {
  const lines = [
    `${s.total} invocations of ${functionName} in ${s.seconds.toFixed(1)} s (concurrency ${concurrency})`,
    `  successes:       ${s.successes}`,
    `  function errors: ${s.functionErrors}`,
    `  throttles:       ${s.throttles}`,
    `  other errors:    ${s.otherErrors}`,
    `  latency p50/p95: ${formatMs(s.p50Ms)} / ${formatMs(s.p95Ms)}`,
  ];
  const top = (m: Record<string, number>) =>
    Object.entries(m)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, 5);
  for (const [payload, n] of top(s.payloads)) lines.push(`  ${String(n).padStart(5)} x ${payload}`);
  for (const [error, n] of top(s.errors)) lines.push(`  ${String(n).padStart(5)} x ${error}`);
  return lines;
}

/** Every invocation failed before reaching the function (credentials, name, region). */
class AllFailedError extends Error {
  override name = "";
}

/** Adds `lambda invoke-one | invoke-many` to the program. */
export function registerLambda(program: Command, env: LambdaCommandEnv): Command {
  const makeClient = env.makeLambdaClient ?? defaultLambdaClient;
  /** `usage`: how the command takes the name, e.g. `lambda invoke-many <name> <n>`. */
  const functionName = (given: string | undefined, usage: string) =>
    nameOrOutput(env.readOutputs, given, LAMBDA_STACK, "FunctionName", `pass the function name: ${usage}`);
  const lambda = program.command("lambda").description(`invoke the ${LAMBDA_STACK} stack's function`);
  const region = new Option("--region <region>", `AWS region (default: AWS_REGION, else the ${LAMBDA_STACK} stack's region)`);

  lambda
    .command("invoke-one")
    .description("invoke the function once, synchronously; print its answer and the latency")
    .argument("[name]", `function name (default: the ${LAMBDA_STACK} stack's FunctionName output)`)
    .option("--payload <json>", "event sent to the function", "{}")
    .addOption(region)
    .action(
      action(env, async (name: string | undefined, opts: { payload: string; region?: string }) => {
        try {
          JSON.parse(opts.payload);
        } catch {
          throw new UsageError(`--payload (${opts.payload}) is not JSON`);
        }
        const fn = await functionName(name, "lambda invoke-one <name>");
        const outcome = await invokeOnce(makeClient({ region: regionFor(opts.region, env.stackRegion?.(LAMBDA_STACK)) }), fn, opts.payload);
        if (outcome.kind === "success") {
          env.out(outcome.payload);
          env.err(`(${formatMs(outcome.ms)})`);
          return;
        }
        if (outcome.kind === "function-error") {
          env.err(`lambda invoke-one: function error ${outcome.error} (${formatMs(outcome.ms)})`);
          env.setExitCode(1);
          return;
        }
        throw outcome.cause;
      })
    );

  lambda
    .command("invoke-many")
    .description("invoke the function n times, at most --concurrency at once; print successes, function errors, throttles and latency p50/p95")
    .usage("[options] [name] <n>")
    .argument("[name]", `function name (default: the ${LAMBDA_STACK} stack's FunctionName output)`)
    .argument("[n]", "number of invocations")
    .option("--concurrency <c>", "invocations in flight at once", String(DEFAULT_CONCURRENCY))
    .option("--max-attempts <a>", "SDK attempts per invocation (1: throttles are counted, not retried)", "1")
    .addOption(region)
    .action(
      action(env, async (first: string | undefined, second: string | undefined, opts: { concurrency: string; maxAttempts: string; region?: string }) => {
        const { name, raw } = nameAndCount(first, second, "n");
        const n = parsePositiveInt(raw, "n", MAX_INVOCATIONS);
        const concurrency = parsePositiveInt(opts.concurrency, "--concurrency", 1000);
        const maxAttempts = parsePositiveInt(opts.maxAttempts, "--max-attempts", 10);
        const fn = await functionName(name, "lambda invoke-many <name> <n>");
        const client = makeClient({ region: regionFor(opts.region, env.stackRegion?.(LAMBDA_STACK)), maxAttempts, maxSockets: concurrency });
        const counts = { ok: 0, failed: 0 };
        const bar = startProgress(env.progress, n, "{value}/{total} invocations | {ok} ok | {failed} failed", counts);
        const summary = await invokeMany(client, fn, n, concurrency, (o) => {
          if (o.kind === "success") counts.ok++;
          else counts.failed++;
          bar.increment(1, counts);
        });
        bar.stop();
        if (summary.otherErrors === n) {
          // Nothing reached the function: an AWS/config problem, reported as one line.
          throw new AllFailedError(`all ${n} invocations failed: ${Object.keys(summary.errors).join("; ")}`);
        }
        for (const line of formatSummary(fn, concurrency, summary)) env.out(line);
        if (summary.successes < n) env.setExitCode(1);
      })
    );
  return lambda;
}
