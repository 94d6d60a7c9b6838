import { HaikuRepository, defaultRepository } from "./repository";
import { HttpError, ProxyHandler, json, noContent, withErrors } from "./http";
import { DELETE_TOKEN_HEADER } from "./routes";
import { HAIKU_ENV } from "./environment";
import { assertKnownQuery, parseAnyItemId, parseDeleteToken, parseItemId, parseLimit, parseNewHaiku } from "./validation";

/** Where handlers get their repository: the function's table by default, an injected one in tests. */
export type RepositoryProvider = () => HaikuRepository;

/**
 * Whether DELETE works without the token (the course's behaviour): `OPEN_WRITES=true`
 * (set by the stack from `stacks.bashoutter.openWrites`, by `npm run dev -- --open-writes`).
 */
export function openWrites(): boolean {
  return process.env[HAIKU_ENV.openWrites] === "true";
}

/** GET /haiku: 200 JSON array (each page newest first); `X-Next-Cursor` when more exist. */
export function makeListHandler(repo: RepositoryProvider = defaultRepository): ProxyHandler {
  return withErrors(async (event) => {
    const query = event.queryStringParameters;
    assertKnownQuery(query, ["limit", "cursor"]);
    const limit = parseLimit(query);
    const page = await repo().list(limit, query?.cursor);
    return json(200, page.items, page.nextCursor ? { "X-Next-Cursor": page.nextCursor } : {});
  });
}

/**
 * POST /haiku: 201 `{"description": "Successfully added a new haiku", "item_id", "delete_token"}`.
 * The course's message is unchanged; the token is shown only here (stored as its SHA-256).
 */
export function makeCreateHandler(repo: RepositoryProvider = defaultRepository): ProxyHandler {
  return withErrors(async (event) => {
    const haiku = parseNewHaiku(event);
    const { haiku: item, deleteToken } = await repo().create(haiku);
    return json(
      201,
      { description: "Successfully added a new haiku", item_id: item.item_id, delete_token: deleteToken },
      { Location: `/haiku/${item.item_id}`, "Cache-Control": "no-store" },
    );
  });
}

/** PATCH /haiku/{item_id}: 200 `{"item_id", "likes"}` with the new count; 404 for an unknown id. */
export function makeLikeHandler(repo: RepositoryProvider = defaultRepository): ProxyHandler {
  return withErrors(async (event) => {
    const id = parseItemId(event.pathParameters);
    const likes = await repo().like(id);
    return json(200, { description: "Successfully liked the haiku", item_id: id, likes });
  });
}

/**
 * DELETE /haiku/{item_id}: 204 with the right `X-Delete-Token`; 401 without one, 403 with
 * a wrong one, 404 for an unknown id. With `OPEN_WRITES=true`, the course's behaviour:
 * anyone deletes any haiku, the token is ignored.
 */
export function makeDeleteHandler(repo: RepositoryProvider = defaultRepository): ProxyHandler {
  return withErrors(async (event) => {
    const id = parseItemId(event.pathParameters);
    if (openWrites()) {
      await repo().delete(id);
      return noContent();
    }
    const token = parseDeleteToken(event.headers);
    if (token === undefined) {
      throw new HttpError(
        401,
        `${DELETE_TOKEN_HEADER} header is required: send the delete_token that POST /haiku returned (admins: DELETE /admin/haiku/${id}, signed with IAM)`,
        { "WWW-Authenticate": `DeleteToken header="${DELETE_TOKEN_HEADER}"` },
      );
    }
    await repo().deleteWithToken(id, token);
    return noContent();
  });
}

/**
 * DELETE /admin/haiku/{item_id}: 204, any haiku. The gateway lets only SigV4-signed requests
 * of an identity with `execute-api:Invoke` on this route through (`AWS_IAM`); the handler
 * refuses a request without an IAM caller too (defence in depth) and logs who deleted what.
 */
export function makeAdminDeleteHandler(repo: RepositoryProvider = defaultRepository): ProxyHandler {
  return withErrors(async (event) => {
    const caller = event.requestContext?.identity?.userArn;
    if (!caller) throw new HttpError(403, "admin routes need a request signed with IAM (SigV4, execute-api:Invoke on this route)");
    const id = parseAnyItemId(event.pathParameters);
    await repo().delete(id);
    console.log(JSON.stringify({ level: "info", message: "admin delete", item_id: id, caller }));
    return noContent();
  });
}
