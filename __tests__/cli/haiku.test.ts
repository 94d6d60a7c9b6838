import { createHash, createHmac } from "crypto";
import { main } from "../../cli/index";
import { DevServer, startDevServer } from "../../tools/dev-server";
import { HaikuApi, clearDatabase, normalizeEndpoint, postMany, randomHaiku } from "../../cli/haiku";
import { regionOfEndpoint, signExecuteApi } from "../../cli/lib/sigv4";

let server: DevServer;

beforeAll(async () => {
  // No per-client write throttle: post-many's retries on 429 are tested with a stub below.
  server = await startDevServer({ port: 0, writeThrottle: false });
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

  test("clear-database deletes through the admin route with a SigV4-signed request, never the public DELETE", async () => {
    const api = new HaikuApi(server.apiUrl);
    await postMany(api, 3, 3);
    const requests: Array<{ method: string; url: string; authorization?: string }> = [];
    const spy: typeof fetch = async (input, init) => {
      const headers = (init?.headers ?? {}) as Record<string, string>;
      requests.push({ method: init?.method ?? "GET", url: String(input), authorization: headers.authorization ?? headers.Authorization });
      return fetch(input, init);
    };
    expect(await clearDatabase(new HaikuApi(server.apiUrl, spy))).toBe(3);
    const deletes = requests.filter((r) => r.method === "DELETE");
    expect(deletes).toHaveLength(3);
    for (const d of deletes) {
      expect(d.url).toMatch(/\/api\/admin\/haiku\/[0-9a-f]{32}$/);
      expect(d.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=local\/\d{8}\/ap-northeast-1\/execute-api\/aws4_request, SignedHeaders=\S+, Signature=[0-9a-f]{64}$/);
    }
  });

  test("post-many retries a 429 after its Retry-After instead of failing", async () => {
    let calls = 0;
    const throttleTwice: typeof fetch = async () => {
      calls++;
      if (calls <= 2) return new Response(JSON.stringify({ description: "Too many requests" }), { status: 429, headers: { "Retry-After": "1" } });
      return new Response(JSON.stringify({ description: "Successfully added a new haiku", item_id: "a".repeat(32), delete_token: "t".repeat(43) }), { status: 201 });
    };
    const api = new HaikuApi("https://x.example/prod", throttleTwice, { maxRetryDelayMs: 20 });
    expect(await api.post(randomHaiku(1))).toMatchObject({ item_id: "a".repeat(32), delete_token: "t".repeat(43) });
    expect(calls).toBe(3);
    // AND gives up after maxAttempts with the API's description
    const always: typeof fetch = async () => new Response(JSON.stringify({ description: "Too many requests" }), { status: 429 });
    await expect(new HaikuApi("https://x.example/prod", always, { maxAttempts: 2, maxRetryDelayMs: 1 }).post(randomHaiku(1))).rejects.toThrow(/POST \/haiku: 429 Too many requests/);
  });

  test("signs admin requests exactly as SigV4 defines it (checked against an independent computation)", async () => {
    const url = new URL("https://abc123.execute-api.ap-northeast-1.amazonaws.com/prod/admin/haiku/0123456789abcdef0123456789abcdef");
    const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken: "session" };
    const headers = await signExecuteApi("DELETE", url, undefined, { credentials, signingDate: new Date("2026-03-04T05:06:07Z") });
    const auth = /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20260304\/ap-northeast-1\/execute-api\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(headers.authorization);
    expect(auth).not.toBeNull();
    expect(headers["x-amz-date"]).toBe("20260304T050607Z");
    expect(headers["x-amz-security-token"]).toBe("session");
    const signedHeaders = auth![1].split(";");
    expect(signedHeaders).toEqual(expect.arrayContaining(["host", "x-amz-date", "x-amz-security-token"]));
    // Independent SigV4: canonical request -> string to sign -> derived key -> signature.
    const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v).trim()]));
    const sha = (x: string) => createHash("sha256").update(x).digest("hex");
    const canonical = ["DELETE", url.pathname, "", ...signedHeaders.map((h) => `${h}:${lower[h]}`), "", auth![1], sha("")].join("\n");
    const scope = "20260304/ap-northeast-1/execute-api/aws4_request";
    const toSign = ["AWS4-HMAC-SHA256", "20260304T050607Z", scope, sha(canonical)].join("\n");
    let key: Buffer = Buffer.from(`AWS4${credentials.secretAccessKey}`);
    for (const part of ["20260304", "ap-northeast-1", "execute-api", "aws4_request"]) key = createHmac("sha256", key).update(part).digest();
    expect(auth![2]).toBe(createHmac("sha256", key).update(toSign).digest("hex"));
  });

  test("takes the signing region from the execute-api host, else from AWS_REGION", () => {
    expect(regionOfEndpoint(new URL("https://a.execute-api.eu-west-3.amazonaws.com/prod"), {})).toBe("eu-west-3");
    expect(regionOfEndpoint(new URL("http://127.0.0.1:3000/api"), { AWS_REGION: "ap-northeast-1" })).toBe("ap-northeast-1");
    expect(regionOfEndpoint(new URL("http://127.0.0.1:3000/api"), {})).toBe("us-east-1");
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
