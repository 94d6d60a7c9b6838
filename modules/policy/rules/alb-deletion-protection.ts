import type { PolicyRule } from "../rule";
import { isTrue } from "../helpers";

/** A production load balancer refuses deletion. Info: course stacks are destroyed after each lab. */
export const AlbDeletionProtection: PolicyRule = {
  id: "ALB-DELETION-PROTECTION",
  description: "Load balancers set enable_deletion_protection",
  level: "info",
  equivalents: { checkov: "CKV_AWS_150", trivy: "(none)", cdkNag: "NIST.800.53.R5-ELBDeletionProtectionEnabled" },
  moduleDefault: "off (DEFAULT_LOAD_BALANCER_DELETION_PROTECTION; stacks.webFleet.deletionProtection turns it on)",
  resourceTypes: ["aws_lb", "aws_alb"],
  check(lb) {
    return isTrue(lb.config.enable_deletion_protection) ? undefined : "can be deleted while serving (enable_deletion_protection false)";
  },
};
