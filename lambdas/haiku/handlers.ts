import { HaikuRepository, defaultRepository } from "./repository";
import { ProxyHandler, json, noContent, withErrors } from "./http";
import { assertKnownQuery, parseItemId, parseLimit, parseNewHaiku } from "./validation";

/** Where handlers get their repository: the function's table by default, an injected one in tests. */
export type RepositoryProvider = () => HaikuRepository;

/** GET /haiku: 200 JSON array, newest first; `X-Next-Cursor` when more exist. */
export function makeListHandler(repo: RepositoryProvider = defaultRepository): ProxyHandler {
  return withErrors(async (event) => {
    const query = event.queryStringParameters;
    assertKnownQuery(query, ["limit", "cursor"]);
    const limit = parseLimit(query);
    const page = await repo().list(limit, query?.cursor);
    return json(200, page.items, page.nextCursor ? { "X-Next-Cursor": page.nextCursor } : {});
  });
}

/** POST /haiku: 201 `{"description": "Successfully added a new haiku"}`. */
export function makeCreateHandler(repo: RepositoryProvider = defaultRepository): ProxyHandler {
  return withErrors(async (event) => {
    const haiku = parseNewHaiku(event);
    const item = await repo().create(haiku);
    return json(201, { description: "Successfully added a new haiku" }, { Location: `/haiku/${item.item_id}` });
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

/** DELETE /haiku/{item_id}: 204; 404 for an unknown id. */
export function makeDeleteHandler(repo: RepositoryProvider = defaultRepository): ProxyHandler {
  return withErrors(async (event) => {
    const id = parseItemId(event.pathParameters);
    await repo().delete(id);
    return noContent();
  });
}
