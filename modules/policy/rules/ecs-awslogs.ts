import type { PolicyRule } from "../rule";
import { containerDefinitions } from "../helpers";

const DRIVERS = ["awslogs", "awsfirelens"];

/** Container output goes to CloudWatch Logs (or FireLens), not nowhere. */
export const EcsAwslogs: PolicyRule = {
  id: "ECS-AWSLOGS",
  description: "ECS containers have a logConfiguration with the awslogs (or awsfirelens) driver",
  level: "error",
  equivalents: { checkov: "(none; Security Hub ECS.9)", trivy: "(none)", cdkNag: "AwsSolutions-ECS7" },
  resourceTypes: ["aws_ecs_task_definition"],
  check(task) {
    const containers = containerDefinitions(task);
    if (!containers) return "container_definitions is not literal JSON: the pack cannot check it";
    const bad = containers.filter((c) => !DRIVERS.includes(c.logConfiguration?.logDriver)).map((c) => c.name);
    return bad.length ? `container(s) ${bad.join(", ")} do not log with awslogs` : undefined;
  },
};
