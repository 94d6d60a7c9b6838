import type { PolicyRule } from "../rule";

/** The shortest retention the pack accepts without a warning (days). */
export const MIN_LOG_RETENTION_DAYS = 7;

/**
 * Log groups keep their events long enough to look at an incident that
 * was noticed a few days late. A rule per minimum, so a team can run the
 * pack with its own (`logRetentionMinimumRule(30)`).
 */
export function logRetentionMinimumRule(minDays: number = MIN_LOG_RETENTION_DAYS): PolicyRule {
  return {
    id: "LOG-RETENTION-MINIMUM",
    description: `aws_cloudwatch_log_group keeps events at least ${minDays} days (cost: 0.033 USD per GB-month stored, ap-northeast-1)`,
    level: "warning",
    equivalents: { checkov: "CKV_AWS_338 (>= 365 days)", trivy: "(none)", cdkNag: "(none; AWS Config cw-loggroup-retention-period-check)" },
    moduleDefault: "14 days (DEFAULT_LOG_RETENTION_DAYS) for function, task and API logs",
    resourceTypes: ["aws_cloudwatch_log_group"],
    check(group) {
      const days = Number(group.config.retention_in_days);
      if (!Number.isFinite(days) || days === 0) return undefined; // LOG-RETENTION's case
      return days < minDays ? `retention_in_days (${days}) is below the minimum of ${minDays} days` : undefined;
    },
  };
}

export const LogRetentionMinimum: PolicyRule = logRetentionMinimumRule();
