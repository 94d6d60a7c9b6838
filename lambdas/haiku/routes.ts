/**
 * The Bashoutter API's single source of truth: every route, its Lambda
 * entry folder (lambdas/<entry>/index.ts), the DynamoDB actions it may use,
 * and the request body schema API Gateway validates before the Lambda runs.
 * Read by the API Gateway construct (stacks/bashoutter.ts), the local dev
 * server (tools/dev-server.ts) and the tests. Plain data: no cdktf, no SDK.
 */

/** Limits of a POST body, enforced by the gateway model and again by the handler. */
export const HAIKU_LIMITS = {
  /** Characters per line (first, second, third), after trimming. */
  lineMaxLength: 64,
  /** Characters of the author's name, after trimming. */
  usernameMaxLength: 32,
  /** GET ?limit= bounds and default. */
  pageMin: 1,
  pageMax: 100,
  pageDefault: 50,
} as const;

export type HttpMethod = "GET" | "POST" | "PATCH" | "DELETE";

/** JSON Schema draft 4 (what API Gateway models accept). */
export type JsonSchema = Record<string, unknown>;

export interface HaikuRoute {
  /** Stable id: construct ids and function names derive from it; renaming it replaces resources. */
  readonly id: "list" | "create" | "like" | "delete";
  readonly method: HttpMethod;
  /** API Gateway resource path, `{name}` for path parameters. */
  readonly path: string;
  /** Folder under lambdas/ with the handler's index.ts. */
  readonly entry: string;
  /** What the route does, for the function description and the docs. */
  readonly summary: string;
  /** Exactly the DynamoDB actions this route's function gets on the table (and its index). */
  readonly tableActions: readonly string[];
  /** Body schema validated at the gateway (POST only). */
  readonly requestSchema?: JsonSchema;
  /** Success status, for the docs and the tests. */
  readonly successStatus: number;
}

/** The POST /haiku body: four trimmed, non-empty strings, nothing else. */
export const CREATE_HAIKU_SCHEMA: JsonSchema = {
  $schema: "http://json-schema.org/draft-04/schema#",
  title: "CreateHaiku",
  type: "object",
  additionalProperties: false,
  required: ["username", "first", "second", "third"],
  properties: {
    username: { type: "string", minLength: 1, maxLength: HAIKU_LIMITS.usernameMaxLength, pattern: "\\S" },
    first: { type: "string", minLength: 1, maxLength: HAIKU_LIMITS.lineMaxLength, pattern: "\\S" },
    second: { type: "string", minLength: 1, maxLength: HAIKU_LIMITS.lineMaxLength, pattern: "\\S" },
    third: { type: "string", minLength: 1, maxLength: HAIKU_LIMITS.lineMaxLength, pattern: "\\S" },
  },
};

export const HAIKU_ROUTES: readonly HaikuRoute[] = [
  {
    id: "list",
    method: "GET",
    path: "/haiku",
    entry: "haiku-list",
    summary: "List haiku, newest first, one page at a time",
    tableActions: ["dynamodb:Query"],
    successStatus: 200,
  },
  {
    id: "create",
    method: "POST",
    path: "/haiku",
    entry: "haiku-create",
    summary: "Post a new haiku",
    tableActions: ["dynamodb:PutItem"],
    requestSchema: CREATE_HAIKU_SCHEMA,
    successStatus: 201,
  },
  {
    id: "like",
    method: "PATCH",
    path: "/haiku/{item_id}",
    entry: "haiku-like",
    summary: "Add one like to a haiku",
    tableActions: ["dynamodb:UpdateItem"],
    successStatus: 200,
  },
  {
    id: "delete",
    method: "DELETE",
    path: "/haiku/{item_id}",
    entry: "haiku-delete",
    summary: "Delete a haiku",
    tableActions: ["dynamodb:DeleteItem"],
    successStatus: 204,
  },
];

/** Table layout shared by the infrastructure, the repository and the local server. */
export const HAIKU_TABLE = {
  partitionKey: "item_id",
  /**
   * GSI ordered by creation time. Every item has the same `gsi_pk`, so a
   * page is one Query (cost independent of the table size), at the price of
   * one hot index partition (~1,000 writes/s per partition): fine for a
   * course SNS; at scale, shard `gsi_pk` by day and query day by day.
   */
  indexName: "by_created_at",
  indexPartitionKey: "gsi_pk",
  indexSortKey: "gsi_sk",
  indexPartitionValue: "haiku",
} as const;

/** Every distinct resource path, parents first (`/haiku`, `/haiku/{item_id}`). */
export function routePaths(routes: readonly HaikuRoute[] = HAIKU_ROUTES): string[] {
  return [...new Set(routes.map((r) => r.path))].sort((a, b) => a.length - b.length);
}

/**
 * Matches a request path against the route table; returns the route and the
 * path parameters, `{ methodNotAllowed }` when the path exists for other
 * methods, or undefined.
 */
export function matchRoute(
  method: string,
  path: string,
  routes: readonly HaikuRoute[] = HAIKU_ROUTES,
): { route: HaikuRoute; pathParameters: Record<string, string> } | { methodNotAllowed: HttpMethod[] } | undefined {
  const allowed: HttpMethod[] = [];
  for (const route of routes) {
    const params = matchPath(route.path, path);
    if (!params) continue;
    if (route.method === method.toUpperCase()) return { route, pathParameters: params };
    allowed.push(route.method);
  }
  return allowed.length ? { methodNotAllowed: allowed } : undefined;
}

function matchPath(template: string, path: string): Record<string, string> | undefined {
  const t = template.split("/");
  const p = path.replace(/\/+$/, "").split("/");
  if (t.length !== p.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < t.length; i++) {
    const m = /^\{(\w+)\}$/.exec(t[i]);
    if (m) {
      if (p[i] === "") return undefined;
      try {
        params[m[1]] = decodeURIComponent(p[i]);
      } catch {
        params[m[1]] = p[i];
      }
    } else if (t[i] !== p[i]) return undefined;
  }
  return params;
}
