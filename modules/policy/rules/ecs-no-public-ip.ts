import type { PolicyRule } from "../rule";
import { asList, isTrue } from "../helpers";

/** awsvpc tasks get no public IP (0.005 USD/h each, reachable around the load balancer). */
export const EcsNoPublicIp: PolicyRule = {
  id: "ECS-NO-PUBLIC-IP",
  description: "ECS services do not set network_configuration.assign_public_ip",
  level: "warning",
  equivalents: { checkov: "CKV_AWS_333", trivy: "(none)", cdkNag: "(none; Security Hub ECS.2)" },
  moduleDefault: "EcsService: assignPublicIp false (bridge-mode services use their instances' network)",
  resourceTypes: ["aws_ecs_service"],
  check(service) {
    return asList(service.config.network_configuration).some((n: any) => isTrue(n.assign_public_ip))
      ? "gives its tasks public IPs (0.005 USD/h each)"
      : undefined;
  },
};
