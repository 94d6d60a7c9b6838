import type { PolicyRule } from "../rule";
import { asList, isTrue } from "../helpers";

/**
 * Internet-facing load balancers keep access logs (who reached what).
 * Warning: the logs need an S3 bucket (storage billed); a course stack may
 * suppress it with its reason.
 */
export const AlbAccessLogs: PolicyRule = {
  id: "ALB-ACCESS-LOGS",
  description: "Internet-facing load balancers enable access_logs to S3",
  level: "warning",
  equivalents: { checkov: "CKV_AWS_91", trivy: "(none)", cdkNag: "AwsSolutions-ELB2" },
  resourceTypes: ["aws_lb", "aws_alb"],
  check(lb) {
    if (isTrue(lb.config.internal)) return undefined;
    const logs = asList(lb.config.access_logs)[0] as any;
    return logs && isTrue(logs.enabled ?? true) && logs.bucket ? undefined : "is internet-facing without access_logs (enabled, bucket)";
  },
};
