import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import { DELETE_TOKEN_HEADER } from "./routes";

/** Request headers browsers may send cross-origin (the stack's CORS settings use the same list). */
export const CORS_ALLOW_HEADERS: readonly string[] = ["Content-Type", DELETE_TOKEN_HEADER];
/** Response headers browsers may read. */
export const CORS_EXPOSE_HEADERS: readonly string[] = ["X-Next-Cursor", "Retry-After"];

/** CORS: all origins, all methods (the course's choice); the cursor header is readable by browsers. */
export const CORS_HEADERS: Readonly<Record<string, string>> = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "GET,POST,PATCH,DELETE,OPTIONS",
  "Access-Control-Allow-Headers": CORS_ALLOW_HEADERS.join(","),
  "Access-Control-Expose-Headers": CORS_EXPOSE_HEADERS.join(","),
};

/**
 * DynamoDB's "slow down" errors (after lib/aws's own retries): the request was fine,
 * the table is busy, so the client should retry - 503 with `Retry-After`, not a 500.
 */
export const THROTTLING_ERRORS: readonly string[] = ["ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded"];
/** Seconds a client should wait after a 503 for throttling. */
export const RETRY_AFTER_SECONDS = 1;

/** A failure the client caused (or a missing item): becomes `{"description": message}` with `status`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Extra response headers, e.g. `WWW-Authenticate` on a 401. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "HttpError";
  }
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyResult {
  return {
    statusCode: status,
    headers: { ...CORS_HEADERS, "Content-Type": "application/json", ...headers },
    body: JSON.stringify(body),
  };
}

export function noContent(): APIGatewayProxyResult {
  return { statusCode: 204, headers: { ...CORS_HEADERS }, body: "" };
}

export function errorResponse(status: number, description: string, headers: Record<string, string> = {}): APIGatewayProxyResult {
  return json(status, { description }, headers);
}

export type ProxyHandler = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

/**
 * Wraps a route's logic: HttpError -> its 4xx, DynamoDB throttling -> 503 with
 * `Retry-After`, anything else -> 500 with a generic message (details only in
 * the function's log).
 */
export function withErrors(fn: ProxyHandler): ProxyHandler {
  return async (event) => {
    try {
      return await fn(event);
    } catch (err) {
      if (err instanceof HttpError) return errorResponse(err.status, err.message, err.headers);
      const name = (err as Error)?.name;
      if (THROTTLING_ERRORS.includes(name)) {
        console.warn(JSON.stringify({ level: "warn", message: `DynamoDB throttled: ${name}` }));
        return errorResponse(503, `The haiku table is busy (DynamoDB ${name}); retry after ${RETRY_AFTER_SECONDS} s`, { "Retry-After": String(RETRY_AFTER_SECONDS) });
      }
      console.error(JSON.stringify({ level: "error", message: String(err), stack: (err as Error)?.stack }));
      return errorResponse(500, "Internal server error");
    }
  };
}
