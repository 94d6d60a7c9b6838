import { main } from "../../cli/index";
import { DevServer, startDevServer } from "../../tools/dev-server";
import { HaikuApi, clearDatabase, normalizeEndpoint, postMany, randomHaiku } from "../../cli/haiku";

let server: DevServer;

beforeAll(async () => {
  server = await startDevServer({ port: 0 });
});
afterAll(async () => {
  await server.close();
});

async function countAll(api: HaikuApi): Promise<number> {
  let n = 0;
  let cursor: string | undefined;
  do {
    const page = await api.page(100, cursor);
    n += page.items.length;
    cursor = page.nextCursor;
  } while (cursor);
  return n;
}

describe("haiku client", () => {
  test("post-many posts N haiku concurrently and clear-database empties the table across pages", async () => {
    const api = new HaikuApi(`${server.apiUrl}/`);
    // WHEN 250 haiku are posted 20 at a time
    const summary = await postMany(api, 250, 20);
    // THEN all were stored
    expect(summary).toMatchObject({ posted: 250, failed: 0 });
    expect(await countAll(api)).toBe(250);
    // WHEN the database is cleared, THEN nothing remains (more than two pages were followed)
    expect(await clearDatabase(api)).toBe(250);
    expect(await countAll(api)).toBe(0);
  });

  test("runs as `cli haiku` commands, taking the endpoint from the stack's output when omitted", async () => {
    const lines: string[] = [];
    const env = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(`ERR ${l}`), progress: false, readOutputs: () => ({ ApiEndpointUrl: server.apiUrl }) };
    expect(await main(["haiku", "post-many", server.apiUrl, "12", "--concurrency", "4"], env)).toBe(0);
    expect(await main(["haiku", "post-many", "3"], env)).toBe(0);
    expect(await main(["haiku", "clear-database", `${server.apiUrl}/haiku`], env)).toBe(0);
    expect(lines[0]).toMatch(/^12 posted, 0 failed/);
    expect(lines[1]).toMatch(/^3 posted, 0 failed/);
    expect(lines[2]).toMatch(/^15 deleted .* the table is empty$/);
  });

  test("exits 2 with the usage for a bad count, and explains a missing endpoint", async () => {
    const lines: string[] = [];
    const env = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l), progress: false, readOutputs: () => Promise.reject(new Error("not deployed")) };
    expect(await main(["haiku", "post-many", server.apiUrl, "many"], env)).toBe(2);
    expect(lines.join("\n")).toMatch(/n \(many\) must be a positive integer/);
    expect(await main(["haiku", "clear-database"], env)).toBe(1);
    expect(lines.join("\n")).toMatch(/pass the endpoint: haiku clear-database <endpoint>/);
  });

  test("generates haiku the API accepts", () => {
    const h = randomHaiku(3, () => 0.99);
    expect(h.username).toBe("poet-3");
    expect(h.first.length).toBeLessThanOrEqual(64);
  });

  test("rejects bad arguments, naming them", async () => {
    expect(() => normalizeEndpoint("not a url")).toThrow(/endpoint/);
    expect(() => normalizeEndpoint("ftp://x")).toThrow(/endpoint/);
    expect(normalizeEndpoint("https://x.example/prod/haiku/")).toBe("https://x.example/prod");
    const api = new HaikuApi(server.apiUrl);
    await expect(postMany(api, 0)).rejects.toThrow(/n \(0\)/);
    await expect(postMany(api, 5, 0)).rejects.toThrow(/concurrency \(0\)/);
  });

  test("reports the API's description when a request fails", async () => {
    const api = new HaikuApi(server.apiUrl);
    await expect(api.like("0123456789abcdef0123456789abcdef")).rejects.toThrow(/404 haiku 0123456789abcdef0123456789abcdef not found/);
  });
});
