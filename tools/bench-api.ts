/**
 * `npm run bench:api`: the cost of a page as the table grows.
 * Seeds N haiku (default 10,000; BENCH_ITEMS) into dynalite through the dev
 * server's table - written straight into the table with the course's
 * attributes only, as other tools do - then prints p50/p95 of
 *   - GET /haiku (first page, 50 items) over HTTP through the local server, and
 *   - a full-table Scan of the same data (what the course's GET did),
 * plus POST and PATCH throughput over HTTP, and 200 likes sent at once on one
 * haiku. Targets: first page p50 <= 0.1x scan p50; the 200 likes in <= 2 s,
 * exactly 200 counted.
 * Figures are from dynalite on this machine, not from DynamoDB: compare the
 * ratio, not the milliseconds.
 */
import { randomUUID } from "crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { BatchWriteCommand, BatchWriteCommandOutput, DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { startDevServer } from "./dev-server";
import { HaikuApi, postMany, runPool } from "../cli/haiku";

const ITEMS = Number(process.env.BENCH_ITEMS ?? 10000);
const PAGE_RUNS = Number(process.env.BENCH_PAGE_RUNS ?? 40);
const SCAN_RUNS = Number(process.env.BENCH_SCAN_RUNS ?? 5);
const POSTS = Number(process.env.BENCH_POSTS ?? 500);
const PATCHES = Number(process.env.BENCH_PATCHES ?? 1000);
const CONCURRENCY = 20;
const BURST = Number(process.env.BENCH_BURST ?? 200);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function time(runs: number, fn: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p95: percentile(samples, 95) };
}

async function main(): Promise<void> {
  // No per-client write throttle: this measures the handlers, not the limit.
  const server = await startDevServer({ port: 0, writeThrottle: false });
  const client = new DynamoDBClient({ endpoint: server.dynamoEndpoint, region: "ap-northeast-1", credentials: { accessKeyId: "x", secretAccessKey: "x" } });
  const doc = DynamoDBDocumentClient.from(client);
  try {
    // Seed
    const seedStart = performance.now();
    const base = Date.UTC(2026, 0, 1);
    const batches = Math.ceil(ITEMS / 25);
    await runPool(batches, 8, async (b) => {
      const items = Array.from({ length: Math.min(25, ITEMS - b * 25) }, (_, i) => {
        const n = b * 25 + i;
        const item_id = randomUUID().replace(/-/g, "");
        const created_at = new Date(base + n * 1000).toISOString();
        return {
          item_id,
          username: `poet-${n}`,
          first: "furuike ya",
          second: "kawazu tobikomu",
          third: "mizu no oto",
          likes: 0,
          created_at,
        };
      });
      let request: Record<string, any> | undefined = { [server.tableName]: items.map((Item) => ({ PutRequest: { Item } })) };
      while (request && Object.keys(request).length) {
        const r: BatchWriteCommandOutput = await doc.send(new BatchWriteCommand({ RequestItems: request }));
        request = r.UnprocessedItems;
      }
    });
    console.log(`seeded ${ITEMS} haiku in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

    const api = new HaikuApi(server.apiUrl);
    const first = await api.page(50);
    if (first.items.length !== 50 || !first.nextCursor) throw new Error("first page is not a full page with a cursor");

    const page = await time(PAGE_RUNS, () => api.page(50));
    let scanned = 0;
    const scan = await time(SCAN_RUNS, async () => {
      scanned = 0;
      let start: Record<string, any> | undefined;
      do {
        const r = await doc.send(new ScanCommand({ TableName: server.tableName, ExclusiveStartKey: start }));
        scanned += r.Items?.length ?? 0;
        start = r.LastEvaluatedKey;
      } while (start);
    });
    if (scanned !== ITEMS) throw new Error(`scan saw ${scanned} items, expected ${ITEMS}`);

    const ratio = page.p50 / scan.p50;
    console.log(`GET /haiku first page (50, Scan Limit 51, over HTTP): p50 ${page.p50.toFixed(1)} ms  p95 ${page.p95.toFixed(1)} ms  (${PAGE_RUNS} runs)`);
    console.log(`full-table Scan (${ITEMS} items, all pages):         p50 ${scan.p50.toFixed(1)} ms  p95 ${scan.p95.toFixed(1)} ms  (${SCAN_RUNS} runs)`);
    console.log(`first page / scan p50 = ${ratio.toFixed(3)}x  (target <= 0.1x: ${ratio <= 0.1 ? "met" : "NOT met"})`);

    const posts = await postMany(api, POSTS, CONCURRENCY);
    console.log(`POST  throughput: ${posts.perSecond.toFixed(0)} req/s (${posts.posted} ok, ${posts.failed} failed, concurrency ${CONCURRENCY})`);

    const target = (await api.page(1)).items[0].item_id;
    const t = performance.now();
    let likeErrors = 0;
    await runPool(PATCHES, CONCURRENCY, async () => {
      await api.like(target).catch(() => likeErrors++);
    });
    const secs = (performance.now() - t) / 1000;
    const likes = (await api.page(1)).items[0].likes;
    console.log(`PATCH throughput: ${(PATCHES / secs).toFixed(0)} req/s on one hot item (${likeErrors} failed; likes now ${likes}, expected ${PATCHES})`);

    // The burst: 200 likes on one fresh haiku, all in flight at once.
    const fresh = await api.post({ username: "bench", first: "two hundred hearts", second: "arrive on one poem at once", third: "none of them is lost" });
    const burst = performance.now();
    const counts = await Promise.all(Array.from({ length: BURST }, () => api.like(fresh.item_id).catch(() => NaN)));
    const burstSecs = (performance.now() - burst) / 1000;
    const counted = Math.max(...counts.filter((c) => Number.isFinite(c)));
    const burstFailed = counts.filter((c) => !Number.isFinite(c)).length;
    const burstOk = burstSecs <= 2 && counted === BURST && burstFailed === 0;
    console.log(
      `${BURST} concurrent likes on one haiku: ${burstSecs.toFixed(2)} s, ${counted} counted, ${burstFailed} failed  (target <= 2 s with exactly ${BURST}: ${burstOk ? "met" : "NOT met"})`,
    );
    if (ratio > 0.1 || likeErrors || posts.failed || likes !== PATCHES || !burstOk) process.exitCode = 1;
  } finally {
    client.destroy();
    await server.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
