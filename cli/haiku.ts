/**
 * `haiku`: client of the bashoutter API (docs/bashoutter.md), the course's
 * `client ENDPOINT post_many N` / `clear_database` rebuilt.
 *
 *   npm run cli -- haiku post-many [endpoint] <n> [--concurrency 10]
 *   npm run cli -- haiku clear-database [endpoint]   (admin route, SigV4 with your AWS credentials)
 *
 * Requests refused with 429 (throttled) or 503 (table busy) are retried after
 * `Retry-After`, a few times, so post-many works under the write throttle.
 * [endpoint] defaults to the deployed stack's ApiEndpointUrl output
 * (https://...amazonaws.com/prod); locally, the dev server's http://127.0.0.1:3000/api.
 */
import { Command } from "commander";
import type { CliEnv } from "./lib/env";
import { EXIT_FAILURE, action, describeError, describeNetworkError, nameAndCount, parsePositiveInt } from "./lib/errors";
import { nameOrOutput } from "./lib/outputs";
import { runPool as runSettled } from "./lib/pool";
import { startProgress } from "./lib/progress";
import { SignOptions, signExecuteApi } from "./lib/sigv4";

export const DEFAULT_CONCURRENCY = 10;
/** The API's page maximum: fewest round trips while clearing. */
const CLEAR_PAGE = 100;

export interface HaikuItem {
  readonly item_id: string;
  readonly username: string;
  readonly first: string;
  readonly second: string;
  readonly third: string;
  readonly likes: number;
  readonly created_at: string;
}

/** Normalizes an endpoint: no trailing slash, no trailing /haiku; http(s) only. */
export function normalizeEndpoint(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new Error(`endpoint (${endpoint}) is not a URL; use the stack's ApiEndpointUrl output`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error(`endpoint (${endpoint}) must be http(s)`);
  return endpoint.replace(/\/+$/, "").replace(/\/haiku$/, "");
}

/** What POST /haiku returns. */
export interface PostedHaiku {
  readonly item_id: string;
  /** Lets the poster delete the haiku (`X-Delete-Token`); shown once. */
  readonly delete_token: string;
}

export interface HaikuApiOptions {
  /** How admin requests are signed. @default the SDK's default credentials, region from the endpoint */
  readonly sign?: SignOptions;
  /** Attempts per request when the API answers 429 or 503. @default 6 */
  readonly maxAttempts?: number;
  /** Longest wait between attempts (ms), whatever Retry-After says. @default 10000 */
  readonly maxRetryDelayMs?: number;
}

/** A small typed client of the API; errors carry the API's description. */
export class HaikuApi {
  readonly endpoint: string;
  private readonly maxAttempts: number;
  private readonly maxRetryDelayMs: number;
  constructor(
    endpoint: string,
    private readonly fetchImpl: typeof fetch = fetch,
    private readonly options: HaikuApiOptions = {},
  ) {
    this.endpoint = normalizeEndpoint(endpoint);
    this.maxAttempts = options.maxAttempts ?? 6;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 10_000;
  }

  private async call(method: string, path: string, body?: unknown, extraHeaders: Record<string, string> = {}, signed = false): Promise<Response> {
    const url = `${this.endpoint}${path}`;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    let res: Response;
    for (let attempt = 1; ; attempt++) {
      const headers: Record<string, string> = { ...(payload === undefined ? {} : { "Content-Type": "application/json" }), ...extraHeaders };
      if (signed) Object.assign(headers, await signExecuteApi(method, new URL(url), payload, this.options.sign));
      try {
        res = await this.fetchImpl(url, { method, headers, body: payload });
      } catch (e) {
        // fetch says only "fetch failed"; the host and the reason (ECONNREFUSED, DNS, TLS) are in its cause.
        throw new Error(`${method} ${path}: ${describeNetworkError(e, url) ?? describeError(e)}`, { cause: e });
      }
      if ((res.status !== 429 && res.status !== 503) || attempt >= this.maxAttempts) break;
      await res.text();
      await new Promise((resolve) => setTimeout(resolve, this.retryDelay(res.headers.get("retry-after"), attempt)));
    }
    if (!res.ok) {
      const text = await res.text();
      let description = text;
      try {
        const data = JSON.parse(text) as { description?: string; message?: string };
        description = data.description ?? data.message ?? text;
      } catch {
        /* keep the text */
      }
      throw new Error(`${method} ${path}: ${res.status} ${description}`);
    }
    return res;
  }

  /** Retry-After seconds (or exponential backoff without it), with jitter, capped. */
  private retryDelay(retryAfter: string | null, attempt: number): number {
    const seconds = retryAfter !== null && /^\d{1,4}$/.test(retryAfter) ? Number(retryAfter) : 0.2 * 2 ** (attempt - 1);
    return Math.min(this.maxRetryDelayMs, seconds * 1000 * (1 + Math.random() * 0.5));
  }

  async post(haiku: { username: string; first: string; second: string; third: string }): Promise<PostedHaiku> {
    const res = await this.call("POST", "/haiku", haiku);
    return (await res.json()) as PostedHaiku;
  }

  async page(limit: number, cursor?: string): Promise<{ items: HaikuItem[]; nextCursor?: string }> {
    const query = new URLSearchParams({ limit: String(limit) });
    if (cursor) query.set("cursor", cursor);
    const res = await this.call("GET", `/haiku?${query}`);
    return { items: (await res.json()) as HaikuItem[], nextCursor: res.headers.get("x-next-cursor") ?? undefined };
  }

  async like(itemId: string): Promise<number> {
    const res = await this.call("PATCH", `/haiku/${encodeURIComponent(itemId)}`);
    return ((await res.json()) as { likes: number }).likes;
  }

  /** DELETE /haiku/{id} with the haiku's delete token (without one only when the API runs with openWrites). */
  async delete(itemId: string, deleteToken?: string): Promise<void> {
    await this.call("DELETE", `/haiku/${encodeURIComponent(itemId)}`, undefined, deleteToken === undefined ? {} : { "X-Delete-Token": deleteToken });
  }

  /** DELETE /admin/haiku/{id}: any haiku, signed with SigV4 (needs execute-api:Invoke on the admin route). */
  async adminDelete(itemId: string): Promise<void> {
    await this.call("DELETE", `/admin/haiku/${encodeURIComponent(itemId)}`, undefined, {}, true);
  }
}

const WORDS = ["furuike", "kawazu", "mizu", "oto", "natsukusa", "tsuwamono", "yume", "ato", "shizukasa", "iwa", "shimiiru", "semi", "koe", "tsuki", "hana", "kaze"];

/** A random, valid haiku (three lines under the limits, a name). */
export function randomHaiku(i: number, random: () => number = Math.random): { username: string; first: string; second: string; third: string } {
  const line = (n: number) => Array.from({ length: n }, () => WORDS[Math.floor(random() * WORDS.length)]).join(" ");
  return { username: `poet-${i}`, first: line(2), second: line(3), third: line(2) };
}

/** Runs `task(i)` for i in 0..n-1 with at most `concurrency` in flight; rejects with the first failure. */
export async function runPool(n: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  const failed = (await runSettled(n, Math.max(1, concurrency), task)).find((r) => r.status === "rejected");
  if (failed) throw (failed as PromiseRejectedResult).reason;
}

export interface PostManySummary {
  readonly posted: number;
  readonly failed: number;
  readonly errors: readonly string[];
  readonly seconds: number;
  readonly perSecond: number;
}

/** Posts `n` random haiku, `concurrency` at a time. */
export async function postMany(api: HaikuApi, n: number, concurrency = DEFAULT_CONCURRENCY, onDone?: (ok: boolean) => void): Promise<PostManySummary> {
  if (!Number.isInteger(n) || n < 1 || n > 100000) throw new Error(`n (${n}) must be an integer in 1..100000`);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 200) throw new Error(`concurrency (${concurrency}) must be an integer in 1..200`);
  const started = performance.now();
  let posted = 0;
  const errors: string[] = [];
  await runPool(n, concurrency, async (i) => {
    try {
      await api.post(randomHaiku(i));
      posted++;
      onDone?.(true);
    } catch (e) {
      errors.push((e as Error).message);
      onDone?.(false);
    }
  });
  const seconds = (performance.now() - started) / 1000;
  return { posted, failed: errors.length, errors, seconds, perSecond: posted / seconds };
}

/**
 * Deletes every haiku through the admin route (SigV4-signed): walks the pages by
 * cursor, deleting as it goes, until a first page comes back empty.
 */
export async function clearDatabase(api: HaikuApi, concurrency = DEFAULT_CONCURRENCY, onDeleted?: (n: number) => void): Promise<number> {
  let deleted = 0;
  for (;;) {
    let cursor: string | undefined;
    let seenAny = false;
    do {
      const page = await api.page(CLEAR_PAGE, cursor);
      seenAny ||= page.items.length > 0;
      await runPool(page.items.length, concurrency, async (i) => {
        try {
          await api.adminDelete(page.items[i].item_id);
        } catch (e) {
          // Deleted meanwhile by someone else: fine. Anything else: stop.
          if (!/ 404 /.test((e as Error).message)) throw e;
        }
        deleted++;
        onDeleted?.(deleted);
      });
      cursor = page.nextCursor;
    } while (cursor);
    if (!seenAny) return deleted;
  }
}

/** The stack whose `ApiEndpointUrl` output is the default endpoint. */
export const HAIKU_STACK = "bashoutter";

/** The endpoint argument, or the deployed stack's `ApiEndpointUrl` output. */
function endpointOf(env: CliEnv, given: string | undefined, command: string): Promise<string> {
  return nameOrOutput(env.readOutputs, given, HAIKU_STACK, "ApiEndpointUrl", `pass the endpoint: haiku ${command} <endpoint> ...`);
}

/** Adds `haiku post-many | clear-database` to the program (see cli/index.ts). */
export function registerHaiku(program: Command, env: CliEnv, fetchImpl: typeof fetch = fetch): Command {
  const haiku = program.command("haiku").description(`client of the ${HAIKU_STACK} haiku API`);

  haiku
    .command("post-many")
    .description("post n random haiku concurrently; prints a summary")
    .usage("[options] [endpoint] <n>")
    .argument("[endpoint]", `API URL (default: the ${HAIKU_STACK} stack's ApiEndpointUrl output; locally http://127.0.0.1:3000/api)`)
    .argument("[n]", "how many haiku")
    .option("--concurrency <n>", "requests in flight", String(DEFAULT_CONCURRENCY))
    .action(
      action(env, async (first: string | undefined, second: string | undefined, opts: { concurrency: string }) => {
        const { name, raw } = nameAndCount(first, second, "n");
        const n = parsePositiveInt(raw, "n", 100000);
        const concurrency = parsePositiveInt(opts.concurrency, "--concurrency", 200);
        const api = new HaikuApi(await endpointOf(env, name, "post-many"), fetchImpl);
        const counts = { failed: 0 };
        const bar = startProgress(env.progress, n, "{value}/{total} posted | {failed} failed", counts);
        const summary = await postMany(api, n, concurrency, (ok) => {
          if (!ok) counts.failed++;
          bar.increment(1, counts);
        });
        bar.stop();
        for (const e of [...new Set(summary.errors)].slice(0, 5)) env.err(`  ${e}`);
        env.out(`${summary.posted} posted, ${summary.failed} failed in ${summary.seconds.toFixed(2)} s (${summary.perSecond.toFixed(1)}/s)`);
        if (summary.failed) env.setExitCode(EXIT_FAILURE);
      }),
    );

  haiku
    .command("clear-database")
    .description("delete every haiku through the admin route (signed with your AWS credentials; needs execute-api:Invoke on the AdminRouteArn output), following the cursor until the list is empty")
    .argument("[endpoint]", `API URL (default: the ${HAIKU_STACK} stack's ApiEndpointUrl output)`)
    .action(
      action(env, async (given: string | undefined) => {
        const api = new HaikuApi(await endpointOf(env, given, "clear-database"), fetchImpl);
        const started = performance.now();
        let shown = 0;
        const count = await clearDatabase(api, DEFAULT_CONCURRENCY, (n) => {
          if (env.progress && n - shown >= 50) {
            process.stderr.write(`\r  ${n} deleted`);
            shown = n;
          }
        });
        if (env.progress && shown) process.stderr.write("\n");
        env.out(`${count} deleted in ${((performance.now() - started) / 1000).toFixed(2)} s; the table is empty`);
      }),
    );
  return haiku;
}
