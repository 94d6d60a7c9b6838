import { Token } from "cdktf";

/** CloudWatch Logs accepts only these retention periods (days). */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** Retention of the log groups the modules make (functions, tasks, API access logs), in days. */
export const DEFAULT_LOG_RETENTION_DAYS = 14;

/** Why `days` is not a retention CloudWatch Logs accepts, or `undefined`. */
export function retentionProblem(days: number): string | undefined {
  if ((LOG_RETENTION_DAYS as readonly number[]).includes(days)) return undefined;
  return `must be one of CloudWatch Logs' retention periods: ${LOG_RETENTION_DAYS.join(", ")}`;
}

/** Throws unless `days` is a retention CloudWatch Logs accepts. */
export function assertRetention(days: number, field: string): void {
  if (Token.isUnresolved(days)) return;
  const problem = retentionProblem(days);
  if (problem) throw new Error(`${field} (${days}) ${problem}`);
}
