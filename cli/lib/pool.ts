/**
 * Runs `task(0..n-1)` with at most `concurrency` in flight and returns the
 * settled results in index order. Never rejects: each result says how its
 * task ended, so one failure does not hide the others.
 */
export async function runPool<T>(n: number, concurrency: number, task: (i: number) => Promise<T>): Promise<PromiseSettledResult<T>[]> {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n (${n}) must be an integer >= 0`);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency (${concurrency}) must be an integer >= 1`);
  const results: PromiseSettledResult<T>[] = new Array(n);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < n) {
      const i = next++;
      try {
        results[i] = { status: "fulfilled", value: await task(i) };
      } catch (reason) {
        results[i] = { status: "rejected", reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  return results;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface BackoffOptions {
  /** First delay cap in ms. @default 50 */
  readonly baseMs?: number;
  /** Largest delay in ms. @default 5000 */
  readonly maxMs?: number;
  /** @default Math.random */
  readonly random?: () => number;
}

/** "Full jitter" exponential backoff: uniform in [0, min(max, base * 2^attempt)). */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? 50;
  const max = options.maxMs ?? 5000;
  const cap = Math.min(max, base * 2 ** attempt);
  return Math.floor((options.random ?? Math.random)() * cap);
}
