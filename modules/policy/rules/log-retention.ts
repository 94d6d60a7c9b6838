import type { PolicyRule } from "../rule";

/**
 * Every log group expires its events. "Never expire" (the default) is an
 * ever-growing bill (0.033 USD per GB-month in ap-northeast-1) and keeps
 * personal data longer than anyone decided.
 */
export const LogRetention: PolicyRule = {
  id: "LOG-RETENTION",
  description: "aws_cloudwatch_log_group sets retention_in_days (not 0 = never expire)",
  level: "error",
  equivalents: { checkov: "CKV_AWS_338 (>= 1 year; ours: any explicit value)", trivy: "(none)", cdkNag: "(none; AWS Config cw-loggroup-retention-period-check)" },
  resourceTypes: ["aws_cloudwatch_log_group"],
  check(group) {
    const days = group.config.retention_in_days;
    if (days === undefined || days === null) return "retention_in_days is unset: events never expire";
    return Number(days) === 0 ? "retention_in_days is 0: events never expire" : undefined;
  },
};
