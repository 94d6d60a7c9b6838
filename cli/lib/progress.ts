import { Format, Presets, SingleBar } from "cli-progress";

export interface Progress {
  increment(by?: number, payload?: Record<string, unknown>): void;
  stop(): void;
}

const NONE: Progress = { increment: () => undefined, stop: () => undefined };

/** What every bar appends to the caller's format: items per second and time left, from the average since the start. */
export const RATE_AND_ETA = "{rate}/s | ETA {eta_left}";

/** `1m05s`, `42s`, `1h02m`; `-` while unknown. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "-";
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/**
 * Rate (items per second, one decimal) and time left at that rate, after
 * `value` of `total` items in `elapsedMs`. Unknown (`-`) until the first
 * item is done; the ETA is `0s` once everything is.
 */
export function rateAndEta(value: number, total: number, elapsedMs: number): { rate: string; eta: string } {
  const seconds = elapsedMs / 1000;
  if (value <= 0 || seconds <= 0) return { rate: "-", eta: "-" };
  const perSecond = value / seconds;
  return { rate: perSecond.toFixed(1), eta: formatDuration(Math.max(0, total - value) / perSecond) };
}

export interface ProgressOptions {
  /** Where the bar is drawn. @default process.stderr */
  readonly stream?: NodeJS.WritableStream;
}

/**
 * A progress bar on stderr (so stdout stays clean for pipes), or a no-op
 * when `enabled` is false (stderr is not a terminal, or tests).
 * `format` may use `{bar} {value} {total} {percentage} {duration}` and payload
 * keys; every bar ends with {@link RATE_AND_ETA} (`12.5/s | ETA 1m05s`).
 */
export function startProgress(enabled: boolean, total: number, format: string, payload: Record<string, unknown> = {}, options: ProgressOptions = {}): Progress {
  if (!enabled || total <= 0) return NONE;
  const template = `  {bar} ${format} | ${RATE_AND_ETA}`;
  const bar = new SingleBar(
    {
      format: (opts, params, data) => {
        const { rate, eta } = rateAndEta(params.value, params.total, (params.stopTime ?? Date.now()) - params.startTime);
        return Format.Formatter({ ...opts, format: template }, params, { ...data, rate, eta_left: eta });
      },
      hideCursor: true,
      stream: options.stream ?? process.stderr,
    },
    Presets.shades_classic,
  );
  bar.start(total, 0, payload);
  return {
    increment: (by = 1, p) => bar.increment(by, p),
    stop: () => bar.stop(),
  };
}
