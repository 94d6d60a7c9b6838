import type { PolicyRule } from "../rule";
import { containerDefinitions } from "../helpers";

/** Containers run with a read-only root filesystem (writable scratch goes on a volume). */
export const EcsReadonlyRoot: PolicyRule = {
  id: "ECS-READONLY-ROOT",
  description: "ECS container definitions set readonlyRootFilesystem = true",
  level: "error",
  equivalents: { checkov: "CKV_AWS_336", trivy: "(none)", cdkNag: "(none; Security Hub ECS.5)" },
  resourceTypes: ["aws_ecs_task_definition"],
  check(task) {
    const containers = containerDefinitions(task);
    if (!containers) return "container_definitions is not literal JSON: the pack cannot check it";
    const bad = containers.filter((c) => c.readonlyRootFilesystem !== true).map((c) => c.name);
    return bad.length ? `container(s) ${bad.join(", ")} have a writable root filesystem` : undefined;
  },
};
