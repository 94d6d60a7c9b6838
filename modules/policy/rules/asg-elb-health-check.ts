import type { PolicyRule } from "../rule";
import { asList } from "../helpers";

/**
 * A group behind a load balancer uses the target group's health checks, so
 * an instance that stops answering is replaced, not just taken out of
 * rotation. Resilience hygiene: warning.
 */
export const AsgElbHealthCheck: PolicyRule = {
  id: "ASG-ELB-HEALTH-CHECK",
  description: "Auto Scaling groups attached to target groups use health_check_type ELB",
  level: "warning",
  equivalents: { checkov: "(none)", trivy: "(none)", cdkNag: "NIST.800.53.R5-AutoScalingGroupELBHealthCheckRequired" },
  resourceTypes: ["aws_autoscaling_group"],
  check(asg, stack) {
    const attached = asList(asg.config.target_group_arns).length > 0 || stack.byType("aws_autoscaling_attachment").some((a) => stack.resolveReference(a.config.autoscaling_group_name) === asg);
    if (!attached) return undefined;
    return asg.config.health_check_type === "ELB" ? undefined : `health_check_type is ${asg.config.health_check_type ?? "EC2 (default)"}; use ELB`;
  },
};
