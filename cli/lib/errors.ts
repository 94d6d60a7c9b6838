import { Command } from "commander";
import type { CliEnv } from "./env";

/** Exit codes: 0 success, 1 the work failed (AWS error, failed items), 2 the command line was wrong. */
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Bad command-line input: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** A positive integer argument, e.g. `<n>`; throws a {@link UsageError} naming it otherwise. */
export function parsePositiveInt(raw: string | undefined, name: string, max = Number.MAX_SAFE_INTEGER): number {
  if (raw === undefined || raw === "") throw new UsageError(`missing argument ${name}`);
  const n = Number(raw);
  if (!/^\s*\d+\s*$/.test(raw) || !Number.isSafeInteger(n) || n <= 0) throw new UsageError(`${name} (${raw}) must be a positive integer`);
  if (n > max) throw new UsageError(`${name} (${raw}) must be at most ${max}`);
  return n;
}

/** `[name] <n>`: commander cannot put an optional argument before a required one, so both are optional and sorted here. */
export function nameAndCount(first: string | undefined, second: string | undefined, countName: string): { name?: string; raw?: string } {
  if (second !== undefined) return { name: first, raw: second };
  if (first === undefined) throw new UsageError(`missing argument ${countName}`);
  return { raw: first };
}

/** A number argument (e.g. an age); throws a {@link UsageError} naming it otherwise. */
export function parseNumber(raw: string | undefined, name: string): number {
  if (raw === undefined || raw.trim() === "") throw new UsageError(`missing argument ${name}`);
  const n = Number(raw);
  if (!Number.isFinite(n)) throw new UsageError(`${name} (${raw}) must be a number`);
  return n;
}

/** Hints for AWS errors people hit with these clients. */
const HINTS: Readonly<Record<string, string>> = {
  ResourceNotFoundException: "check the name and the region (--region, AWS_REGION)",
  UnrecognizedClientException: "check your AWS credentials (aws sts get-caller-identity)",
  InvalidSignatureException: "check your AWS credentials (aws sts get-caller-identity)",
  ExpiredTokenException: "your AWS session expired; log in again (aws sso login)",
  CredentialsProviderError: "no AWS credentials found; configure a profile (aws configure / AWS_PROFILE) or export AWS_ACCESS_KEY_ID",
  AccessDeniedException: "your identity lacks this permission",
  TooManyRequestsException: "Lambda throttled the call (account or reserved concurrency reached)",
};

/** One line for any error: `Name: message (hint)`. */
export function describeError(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const name = e.name && e.name !== "Error" ? e.name : "";
  let message = e.message || name || "unknown error";
  if (/Region is missing/i.test(message)) message += " (pass --region, or set AWS_REGION)";
  const hint = HINTS[e.name];
  const line = name && !message.startsWith(name) && e.name !== "StackOutputsError" ? `${name}: ${message}` : message;
  return hint && !line.includes(hint) ? `${line} (${hint})` : line;
}

/** Whether --debug was given anywhere on the command line. */
function debugOf(command: Command): boolean {
  return Boolean((command.optsWithGlobals() as { debug?: boolean }).debug);
}

/**
 * Wraps a commander action: a {@link UsageError} prints the message and the
 * command's usage and exits 2; any other error prints one line
 * (`<command>: <Name>: <message>`) and exits 1, with the stack trace only
 * under --debug.
 */
export function action<A extends unknown[]>(env: CliEnv, run: (...args: A) => Promise<void> | void): (...args: A) => Promise<void> {
  return async (...args: A) => {
    const command = args[args.length - 1] as Command;
    try {
      await run(...args);
    } catch (e) {
      reportError(env, command, e);
    }
  };
}

export function reportError(env: CliEnv, command: Command, e: unknown): void {
  const name = commandPath(command);
  if (e instanceof UsageError) {
    env.err(`error: ${e.message}`);
    env.err(`Usage: ${name} ${command.usage()}`);
    env.err(`Run '${name} --help' for details.`);
    env.setExitCode(EXIT_USAGE);
    return;
  }
  env.err(`${name}: ${describeError(e)}`);
  if (debugOf(command) && e instanceof Error && e.stack) env.err(e.stack);
  env.setExitCode(EXIT_FAILURE);
}

/** `cli lambda invoke-many`. */
export function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(" ");
}
