import type { PolicyRule } from "../rule";
import { asList } from "../helpers";

/** Per-task CPU, memory and network metrics. Warning: billed as custom metrics and log ingestion. */
export const EcsContainerInsights: PolicyRule = {
  id: "ECS-CONTAINER-INSIGHTS",
  description: "ECS clusters enable containerInsights (cost: ~0.30 USD per metric-month, roughly 5-10 USD a month for a small cluster)",
  level: "warning",
  equivalents: { checkov: "CKV_AWS_65", trivy: "AVD-AWS-0034", cdkNag: "AwsSolutions-ECS4" },
  moduleDefault: "Cluster: off unless stacks.<stack>.containerInsights (a few USD a month); suppressed with that reason when off",
  resourceTypes: ["aws_ecs_cluster"],
  check(cluster) {
    const s = asList(cluster.config.setting).find((x: any) => x.name === "containerInsights") as any;
    return s && ["enabled", "enhanced"].includes(String(s.value)) ? undefined : "has containerInsights disabled";
  },
};
