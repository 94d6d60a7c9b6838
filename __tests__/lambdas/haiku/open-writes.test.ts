/**
 * The course's behaviour as an explicit opt-in (`stacks.bashoutter.openWrites`,
 * `npm run dev -- --open-writes`): the course's own client and its HTTPie
 * session work unchanged - DELETE without a token, no write throttle.
 */
import { DevServer, startDevServer } from "../../../tools/dev-server";

let server: DevServer;

beforeAll(async () => {
  server = await startDevServer({ port: 0, openWrites: true });
});
afterAll(async () => {
  await server.close();
  delete process.env.OPEN_WRITES;
});

const HAIKU = { username: "basho", first: "furuike ya", second: "kawazu tobikomu", third: "mizu no oto" };

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(`${server.apiUrl}${path}`, { method, headers: body === undefined ? {} : { "Content-Type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

describe("Bashoutter API with openWrites (the course's behaviour)", () => {
  test("runs the course's session unchanged: POST, GET, PATCH, DELETE without any token", async () => {
    const posted = await call("POST", "/haiku", HAIKU);
    expect(posted.status).toBe(201);
    expect(posted.json.description).toBe("Successfully added a new haiku");
    const [item] = (await call("GET", "/haiku")).json;
    expect((await call("PATCH", `/haiku/${item.item_id}`)).json.likes).toBe(1);
    // WHEN anyone deletes it without a token, THEN it is gone (what the course's client does)
    expect((await call("DELETE", `/haiku/${item.item_id}`)).status).toBe(204);
    expect((await call("GET", "/haiku")).json).toEqual([]);
    expect((await call("DELETE", `/haiku/${item.item_id}`)).status).toBe(404);
  });

  test("posts the course's post_many burst with no write throttle (no 429)", async () => {
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => call("POST", "/haiku", { ...HAIKU, username: `poet${i}` })));
    expect(results.map((r) => r.status).filter((s) => s !== 201)).toEqual([]);
    const likes = await Promise.all(Array.from({ length: 60 }, () => call("PATCH", `/haiku/${results[0].json.item_id}`)));
    expect(likes.every((r) => r.status === 200)).toBe(true);
  });
});
