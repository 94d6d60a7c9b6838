import type { PolicyRule } from "../rule";

/**
 * Launch templates (and instances not launched from one) keep the IMDS
 * response hop limit at 1, so a container on the host (one more network
 * hop) cannot fetch the instance role's credentials. ECS tasks get theirs
 * from the agent's endpoint, not IMDS. Unset is not enough: AMIs marked
 * IMDSv2-only, such as Amazon Linux 2023, default to 2.
 */
export const Ec2ImdsHopLimit: PolicyRule = {
  id: "EC2-IMDS-HOP-LIMIT",
  description: "Launch templates and standalone instances set metadata_options.http_put_response_hop_limit to 1",
  level: "error",
  equivalents: { checkov: "CKV_AWS_341", trivy: "(none)", cdkNag: "(none; AWS Security Hub EC2.170 area)" },
  resourceTypes: ["aws_launch_template", "aws_instance"],
  check(resource, stack) {
    const hop = resource.config.metadata_options?.http_put_response_hop_limit;
    if (resource.type === "aws_instance" && hop === undefined && stack.resolveReference(resource.config.launch_template?.id ?? resource.config.launch_template?.name)) {
      return undefined; // the launch template's setting applies, and is checked there
    }
    if (hop === undefined) return "metadata_options.http_put_response_hop_limit is unset (Amazon Linux 2023 defaults to 2); set it to 1";
    return Number(hop) === 1 ? undefined : `metadata_options.http_put_response_hop_limit is ${hop}; set it to 1 so containers cannot reach instance credentials`;
  },
};
