import type { PolicyRule } from "../rule";

/**
 * The execution role (pull the image, write logs: used by ECS) and the task
 * role (what the application may do) are different roles, so the
 * application does not inherit registry and log permissions, and vice versa.
 */
export const EcsSeparateRoles: PolicyRule = {
  id: "ECS-SEPARATE-ROLES",
  description: "ECS task definitions use different execution and task roles",
  level: "error",
  equivalents: { checkov: "CKV_AWS_249", trivy: "(none)", cdkNag: "(none)" },
  resourceTypes: ["aws_ecs_task_definition"],
  check(task) {
    const { execution_role_arn: exec, task_role_arn: role } = task.config;
    if (exec === undefined || role === undefined) return undefined;
    return exec === role ? `execution_role_arn and task_role_arn are the same (${exec})` : undefined;
  },
};
