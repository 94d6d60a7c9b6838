/**
 * The retry policy of the small AWS client, the AWS SDK v3's "standard"
 * mode: throttling errors, transient errors (5xx, timeouts) and network
 * errors are retried up to `maxAttempts` attempts in all (default 3), each
 * after a full-jitter exponential backoff, `random() * min(20 s, base *
 * 2^(attempt-1))` with base 100 ms (500 ms after throttling). What the SDK
 * also does and this does not: a client-wide retry quota (a token bucket
 * that stops retries when most calls fail) and clock-skew correction -
 * neither matters for a short-lived Lambda calling one service.
 */
import { AwsError } from "./errors";

export const DEFAULT_MAX_ATTEMPTS = 3;
export const BASE_DELAY_MS = 100;
export const THROTTLING_BASE_DELAY_MS = 500;
export const MAX_DELAY_MS = 20_000;

/** Error codes AWS services use for "slow down" (the SDK's list). */
export const THROTTLING_CODES: readonly string[] = [
  "BandwidthLimitExceeded",
  "EC2ThrottledException",
  "LimitExceededException",
  "PriorRequestNotComplete",
  "ProvisionedThroughputExceededException",
  "RequestLimitExceeded",
  "RequestThrottled",
  "RequestThrottledException",
  "SlowDown",
  "ThrottledException",
  "Throttling",
  "ThrottlingException",
  "TooManyRequestsException",
  "TransactionInProgressException",
];
/** Error codes of transient failures (the SDK's list). */
export const TRANSIENT_CODES: readonly string[] = ["TimeoutError", "RequestTimeout", "RequestTimeoutException"];
export const TRANSIENT_STATUSES: readonly number[] = [500, 502, 503, 504];
/** Node socket errors worth another attempt (a keep-alive socket closed while the function was frozen, ...). */
export const NETWORK_ERROR_CODES: readonly string[] = ["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "EAI_AGAIN", "ENOTFOUND", "ENETUNREACH", "EHOSTUNREACH", "ECONNABORTED"];

export function isThrottlingError(err: unknown): boolean {
  return err instanceof AwsError && (THROTTLING_CODES.includes(err.name) || err.$metadata.httpStatusCode === 429);
}

/** Whether another attempt may succeed. */
export function isRetryable(err: unknown): boolean {
  if (err instanceof AwsError) {
    return isThrottlingError(err) || TRANSIENT_CODES.includes(err.name) || TRANSIENT_STATUSES.includes(err.$metadata.httpStatusCode ?? 0);
  }
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === "string" && NETWORK_ERROR_CODES.includes(code);
}

/** Milliseconds to wait before attempt `attempt + 1`, after `err` ended attempt `attempt` (1-based). */
export function backoffMs(attempt: number, err: unknown, random: () => number = Math.random): number {
  const base = isThrottlingError(err) ? THROTTLING_BASE_DELAY_MS : BASE_DELAY_MS;
  return Math.floor(random() * Math.min(MAX_DELAY_MS, base * 2 ** (attempt - 1)));
}
