import type { PolicyRule } from "../rule";
import { containerDefinitions, isLiteral, looksLikeSecretName } from "../helpers";

/**
 * No secret as a literal in a container's `environment` (visible in the
 * task definition, the state and git): use `secrets` (SSM / Secrets Manager valueFrom).
 */
export const EcsEnvSecrets: PolicyRule = {
  id: "ECS-ENV-SECRETS",
  description: "ECS container environment entries named like secrets (key, secret, token, password) hold no literal value (use secrets/valueFrom)",
  level: "error",
  equivalents: { checkov: "CKV_AWS_334 area", trivy: "AVD-AWS-0036", cdkNag: "AwsSolutions-ECS2" },
  moduleDefault: "the task definitions pass table names only",
  resourceTypes: ["aws_ecs_task_definition"],
  check(task) {
    const bad = (containerDefinitions(task) ?? []).flatMap((c) =>
      (c.environment ?? []).filter((e: any) => looksLikeSecretName(String(e.name)) && isLiteral(e.value)).map((e: any) => `${c.name}.${e.name}`),
    );
    return bad.length ? `environment ${bad.join(", ")} hold(s) a literal value that looks like a secret: use secrets with valueFrom` : undefined;
  },
};
