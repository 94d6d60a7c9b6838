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

/** Why a connection failed, by the error code Node (or undici, fetch's engine) puts on the error or its `cause`. */
const NETWORK_REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: "connection refused: nothing listens on that port (is the server running, the port right?)",
  ENOTFOUND: "DNS: no such host (check the endpoint's spelling; a destroyed stack's endpoint no longer resolves)",
  EAI_AGAIN: "DNS lookup failed for now (no network, or the resolver is down)",
  ETIMEDOUT: "connection timed out (no network, a firewall, or the wrong host)",
  UND_ERR_CONNECT_TIMEOUT: "connection timed out (no network, a firewall, or the wrong host)",
  EHOSTUNREACH: "no route to the host (no network?)",
  ENETUNREACH: "no route to the network (no network?)",
  ECONNRESET: "the connection was closed by the other side",
  UND_ERR_SOCKET: "the connection was closed by the other side",
  EPROTO: "TLS handshake failed (an http:// server addressed as https://?)",
  ERR_SSL_WRONG_VERSION_NUMBER: "TLS handshake failed (an http:// server addressed as https://?)",
};

const TLS_CODE = /^(CERT_|ERR_TLS_|ERR_SSL_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_)/;

type NetError = Error & { code?: string; address?: string; port?: number; hostname?: string; host?: string; cause?: unknown; errors?: unknown[] };

/** The first error with a network code in `e`, its `cause` chain and AggregateError members. */
function networkCause(e: unknown, depth = 0): NetError | undefined {
  if (!e || typeof e !== "object" || depth > 5) return undefined;
  const err = e as NetError;
  if (typeof err.code === "string" && (NETWORK_REASONS[err.code] || TLS_CODE.test(err.code))) return err;
  // Only the text is left when the SDK re-wraps an error from another realm: "AWS SDK error wrapper for Error: connect ECONNREFUSED 127.0.0.1:8000".
  const text = typeof err.message === "string" ? /\b(?:connect|getaddrinfo) (E[A-Z]+) (\S+)$/.exec(err.message) : null;
  if (text && NETWORK_REASONS[text[1]]) return Object.assign(new Error(err.message), { code: text[1], host: text[2] });
  for (const inner of [err.cause, ...(Array.isArray(err.errors) ? err.errors : [])]) {
    const found = networkCause(inner, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/**
 * `cannot reach <host>: <CODE>, <why>` for a connection that failed
 * (`fetch failed`, or an SDK call to a dead endpoint); undefined for any
 * other error. `url` names the host when the error does not.
 */
export function describeNetworkError(e: unknown, url?: string | URL): string | undefined {
  const cause = networkCause(e);
  let target: string | undefined;
  try {
    if (url !== undefined) target = new URL(String(url)).host;
  } catch {
    /* not a URL: use the error's own address */
  }
  if (!cause?.code) {
    // fetch's own refusals (a "bad port", an invalid header) carry a cause without a code.
    const inner = e instanceof TypeError && e.message === "fetch failed" ? (e as NetError).cause : undefined;
    return inner instanceof Error ? `cannot reach ${target ?? "the endpoint"}: ${inner.message}` : undefined;
  }
  target ??= cause.address ? `${cause.address}${cause.port ? `:${cause.port}` : ""}` : (cause.hostname ?? cause.host);
  const why = NETWORK_REASONS[cause.code] ?? `TLS: ${cause.message} (a certificate problem, or an http:// server addressed as https://)`;
  return `cannot reach ${target ?? "the endpoint"}: ${cause.code}, ${why}`;
}

/** One line for any error: `Name: message (hint)`. */
export function describeError(e: unknown): string {
  const network = describeNetworkError(e);
  if (network) return network;
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
