import type { PolicyRule } from "../rule";

/**
 * A VPC records its traffic (flow logs): who talked to what, after an
 * incident. Warning, not error: the logs are billed per GB ingested.
 */
export const VpcFlowLogs: PolicyRule = {
  id: "VPC-FLOW-LOGS",
  description: "Every aws_vpc has an aws_flow_log (cost: ~0.76 USD per GB ingested into CloudWatch Logs, ~0.38 USD/GB to S3, ap-northeast-1)",
  level: "warning",
  equivalents: { checkov: "CKV2_AWS_11", trivy: "AVD-AWS-0178", cdkNag: "AwsSolutions-VPC7" },
  moduleDefault: "Network: flowLogs off (cost per GB); course stacks suppress with that reason, Network({ flowLogs: true }) turns them on",
  resourceTypes: ["aws_vpc"],
  check(vpc, stack) {
    const logged = stack.byType("aws_flow_log").some((f) => stack.resolveReference(f.config.vpc_id) === vpc);
    return logged
      ? undefined
      : "has no aws_flow_log: turn on the Network construct's flowLogs (cost: ~0.76 USD per GB ingested into CloudWatch Logs in ap-northeast-1, a few cents a month for a course VPC)";
  },
};
