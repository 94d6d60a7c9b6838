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

/**
 * Who may call a route: anyone (`NONE`), or only requests signed with SigV4 by an IAM
 * identity allowed `execute-api:Invoke` on the route (`AWS_IAM`).
 */
export type RouteAuthorization = "NONE" | "AWS_IAM";

/** Request header carrying the one-time delete token that POST returned. */
export const DELETE_TOKEN_HEADER = "X-Delete-Token";

/** JSON Schema draft 4 (what API Gateway models accept). */
export type JsonSchema = Record<string, unknown>;

export interface HaikuRoute {
  /** Stable id: construct ids and function names derive from it; renaming it replaces resources. */
  readonly id: "list" | "create" | "like" | "delete" | "adminDelete";
  readonly method: HttpMethod;
  /** API Gateway resource path, `{name}` for path parameters. */
  readonly path: string;
  /** Folder under lambdas/ with the handler's index.ts. */
  readonly entry: string;
  /** What the route does, for the function description and the docs. */
  readonly summary: string;
  /** Exactly the DynamoDB actions this route's function sends (and gets on the table). */
  readonly tableActions: readonly string[];
  /** @default "NONE" */
  readonly authorization?: RouteAuthorization;
  /**
   * Writes that anyone can repeat (posting, liking): throttled per method at the gateway
   * (`stacks.bashoutter.writeThrottle`) and per client by the dev server, unless `openWrites`.
   * @default false
   */
  readonly writeThrottled?: boolean;
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
    summary: "List every haiku, one page (sorted newest first) at a time",
    tableActions: ["dynamodb:Scan"],
    successStatus: 200,
  },
  {
    id: "create",
    method: "POST",
    path: "/haiku",
    entry: "haiku-create",
    summary: "Post a new haiku; returns its item_id and a one-time delete token",
    tableActions: ["dynamodb:PutItem"],
    requestSchema: CREATE_HAIKU_SCHEMA,
    writeThrottled: true,
    successStatus: 201,
  },
  {
    id: "like",
    method: "PATCH",
    path: "/haiku/{item_id}",
    entry: "haiku-like",
    summary: "Add one like to a haiku",
    tableActions: ["dynamodb:UpdateItem"],
    writeThrottled: true,
    successStatus: 200,
  },
  {
    id: "delete",
    method: "DELETE",
    path: "/haiku/{item_id}",
    entry: "haiku-delete",
    summary: "Delete a haiku with the delete token its POST returned (X-Delete-Token)",
    // GetItem only after a refused delete, to answer 404 (no such haiku) or 403 (wrong token).
    tableActions: ["dynamodb:DeleteItem", "dynamodb:GetItem"],
    successStatus: 204,
  },
  {
    id: "adminDelete",
    method: "DELETE",
    path: "/admin/haiku/{item_id}",
    entry: "haiku-admin-delete",
    summary: "Delete any haiku (admin: SigV4-signed, execute-api:Invoke on this route)",
    tableActions: ["dynamodb:DeleteItem"],
    authorization: "AWS_IAM",
    successStatus: 204,
  },
];

/** Table layout shared by the infrastructure, the repository and the local server. */
export const HAIKU_TABLE = {
  /**
   * The only key: GET lists with a paginated Scan of the base table, so every item
   * is listed whatever wrote it, and writes spread over the item_id partitions
   * (no index, no constant partition key). See docs/bashoutter.md, "Listing".
   */
  partitionKey: "item_id",
  /** SHA-256 (hex) of the item's delete token; never returned by GET. */
  deleteTokenHash: "delete_token_sha256",
} as const;

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
