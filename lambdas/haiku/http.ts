import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";

/** CORS: all origins, all methods (the course's choice); the cursor header is readable by browsers. */
export const CORS_HEADERS: Readonly<Record<string, string>> = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "GET,POST,PATCH,DELETE,OPTIONS",
  "Access-Control-Allow-Headers": "Content-Type",
  "Access-Control-Expose-Headers": "X-Next-Cursor",
};

/** A failure the client caused (or a missing item): becomes `{"description": message}` with `status`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
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

export function errorResponse(status: number, description: string): APIGatewayProxyResult {
  return json(status, { description });
}

export type ProxyHandler = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

/**
 * Wraps a route's logic: HttpError -> its 4xx, anything else -> 500 with a
 * generic message (details only in the function's log).
 */
export function withErrors(fn: ProxyHandler): ProxyHandler {
  return async (event) => {
    try {
      return await fn(event);
    } catch (err) {
      if (err instanceof HttpError) return errorResponse(err.status, err.message);
      console.error(JSON.stringify({ level: "error", message: String(err), stack: (err as Error)?.stack }));
      return errorResponse(500, "Internal server error");
    }
  };
}
