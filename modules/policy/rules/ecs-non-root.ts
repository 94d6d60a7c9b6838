import type { PolicyRule } from "../rule";
import { containerDefinitions } from "../helpers";

/** Containers run as an unprivileged user (`user` set, not root or 0). */
export const EcsNonRoot: PolicyRule = {
  id: "ECS-NON-ROOT",
  description: "ECS containers set user to a non-root user (not root, 0 or 0:0)",
  level: "warning",
  equivalents: { checkov: "(none)", trivy: "(none; Kubernetes KSV012 area)", cdkNag: "(none)" },
  moduleDefault: "TaskDefinition: user required by the modules' images (nginx-unprivileged runs as 101, the qa-bot worker as 1000)",
  resourceTypes: ["aws_ecs_task_definition"],
  check(task) {
    const defs = containerDefinitions(task);
    if (!defs) return "container_definitions are not literal JSON: cannot check the user";
    const bad = defs.filter((c) => !c.user || /^(root|0)(:.*)?$/.test(String(c.user))).map((c) => c.name);
    return bad.length ? `container(s) ${bad.join(", ")} run as root (user unset or root)` : undefined;
  },
};
