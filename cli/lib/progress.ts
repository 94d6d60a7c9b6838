import { Presets, SingleBar } from "cli-progress";

export interface Progress {
  increment(by?: number, payload?: Record<string, unknown>): void;
  stop(): void;
}

const NONE: Progress = { increment: () => undefined, stop: () => undefined };

/**
 * A progress bar on stderr (so stdout stays clean for pipes), or a no-op
 * when `enabled` is false (stderr is not a terminal, or tests).
 * `format` may use `{bar} {value} {total} {percentage} {eta}s` and payload keys.
 */
export function startProgress(enabled: boolean, total: number, format: string, payload: Record<string, unknown> = {}): Progress {
  if (!enabled || total <= 0) return NONE;
  const bar = new SingleBar({ format: `  {bar} ${format}`, hideCursor: true, stream: process.stderr, etaBuffer: 50 }, Presets.shades_classic);
  bar.start(total, 0, payload);
  return {
    increment: (by = 1, p) => bar.increment(by, p),
    stop: () => bar.stop(),
  };
}
