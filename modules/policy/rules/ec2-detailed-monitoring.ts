import type { PolicyRule } from "../rule";
import { asList, isTrue } from "../helpers";

/** One-minute CloudWatch metrics. Info: billed as custom metrics (~0.30 USD per metric-month, ~2.10 USD per instance-month). */
export const Ec2DetailedMonitoring: PolicyRule = {
  id: "EC2-DETAILED-MONITORING",
  description: "Instances and launch templates enable detailed (1-minute) monitoring (cost: ~2.10 USD per instance-month)",
  level: "info",
  equivalents: { checkov: "CKV_AWS_126", trivy: "(none)", cdkNag: "NIST.800.53.R5-EC2InstanceDetailedMonitoringEnabled" },
  moduleDefault: "off: 5-minute basic monitoring is free and enough for a course; target tracking on the fleet works with it",
  resourceTypes: ["aws_launch_template", "aws_instance"],
  check(r, stack) {
    if (r.type === "aws_instance") {
      if (isTrue(r.config.monitoring)) return undefined;
      const lt = stack.resolveReference(asList(r.config.launch_template)[0]?.id);
      if (lt && asList(lt.config.monitoring).some((m: any) => isTrue(m.enabled))) return undefined;
      return lt ? undefined : "has basic (5-minute) monitoring only";
    }
    return asList(r.config.monitoring).some((m: any) => isTrue(m.enabled)) ? undefined : "has basic (5-minute) monitoring only";
  },
};
