import type { PolicyRule, ResourceView, StackIndex } from "../rule";

function launchTemplateOf(instance: ResourceView, stack: StackIndex): ResourceView | undefined {
  const lt = instance.config.launch_template;
  return stack.resolveReference(lt?.id) ?? stack.resolveReference(lt?.name);
}

/** Instance metadata only through IMDSv2 session tokens (stops SSRF credential theft). */
export const Ec2Imdsv2: PolicyRule = {
  id: "EC2-IMDSV2",
  description: "Instances and launch templates require IMDSv2 (http_tokens = required)",
  level: "error",
  equivalents: { checkov: "CKV_AWS_79", trivy: "AVD-AWS-0028", cdkNag: "NIST.800.53.R5-EC2IMDSv2Enabled" },
  resourceTypes: ["aws_launch_template", "aws_instance"],
  check(resource, stack) {
    const own = resource.config.metadata_options?.http_tokens;
    if (own === "required") return undefined;
    if (resource.type === "aws_instance" && own === undefined) {
      const lt = launchTemplateOf(resource, stack);
      if (lt?.config.metadata_options?.http_tokens === "required") return undefined;
    }
    return `metadata_options.http_tokens is ${JSON.stringify(own ?? "unset")}; set it to "required" (IMDSv2)`;
  },
};
