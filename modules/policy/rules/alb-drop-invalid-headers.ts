import type { PolicyRule } from "../rule";
import { isTrue } from "../helpers";

/** Application load balancers drop requests with malformed headers (request smuggling). */
export const AlbDropInvalidHeaders: PolicyRule = {
  id: "ALB-DROP-INVALID-HEADERS",
  description: "Application load balancers set drop_invalid_header_fields = true",
  level: "error",
  equivalents: { checkov: "CKV_AWS_131", trivy: "AVD-AWS-0052", cdkNag: "NIST.800.53.R5-ALBHttpDropInvalidHeaderEnabled" },
  resourceTypes: ["aws_lb", "aws_alb"],
  check(lb) {
    if ((lb.config.load_balancer_type ?? "application") !== "application") return undefined;
    return isTrue(lb.config.drop_invalid_header_fields) ? undefined : "drop_invalid_header_fields is not true";
  },
};
