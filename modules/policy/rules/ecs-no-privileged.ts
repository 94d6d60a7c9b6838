import type { PolicyRule } from "../rule";
import { containerDefinitions } from "../helpers";

/** No container runs privileged (root on the host, every device). */
export const EcsNoPrivileged: PolicyRule = {
  id: "ECS-NO-PRIVILEGED",
  description: "ECS containers do not set privileged = true",
  level: "error",
  equivalents: { checkov: "(none; AWS Security Hub ECS.4)", trivy: "(none)", cdkNag: "(none)" },
  resourceTypes: ["aws_ecs_task_definition"],
  check(task) {
    const bad = (containerDefinitions(task) ?? []).filter((c) => c.privileged === true).map((c) => c.name);
    return bad.length ? `container(s) ${bad.join(", ")} run privileged` : undefined;
  },
};
