/** Nearest-rank percentile (p in 0..100) of `values`; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (p < 0 || p > 100 || Number.isNaN(p)) throw new RangeError(`p (${p}) must be in 0..100`);
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

/** `1234.5` -> `"1235 ms"`, NaN -> `"-"`. */
export function formatMs(ms: number): string {
  return Number.isNaN(ms) ? "-" : `${Math.round(ms)} ms`;
}
