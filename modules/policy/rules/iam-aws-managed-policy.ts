import type { PolicyRule } from "../rule";

/**
 * AWS-managed policies change when AWS changes them and usually grant
 * more than a role needs. Info: listed so a reviewer sees each one.
 */
export const IamAwsManagedPolicy: PolicyRule = {
  id: "IAM-AWS-MANAGED-POLICY",
  description: "Roles use customer-written policies rather than AWS-managed ones (each attachment listed)",
  level: "info",
  equivalents: { checkov: "(none)", trivy: "(none)", cdkNag: "AwsSolutions-IAM4" },
  moduleDefault: "three attached where AWS publishes the service contract: AmazonSSMManagedInstanceCore (Session Manager), AmazonEC2ContainerServiceforEC2Role (ECS agent), AmazonAPIGatewayPushToCloudWatchLogs",
  resourceTypes: ["aws_iam_role_policy_attachment", "aws_iam_user_policy_attachment", "aws_iam_group_policy_attachment", "aws_iam_policy_attachment", "aws_iam_role"],
  check(resource) {
    const arns: unknown[] = resource.type === "aws_iam_role" ? (resource.config.managed_policy_arns ?? []) : [resource.config.policy_arn];
    const managed = arns.map(String).filter((arn) => /:iam::aws:policy\//.test(arn));
    return managed.length ? `attaches AWS-managed ${managed.map((a) => a.replace(/^.*:policy\//, "")).join(", ")}` : undefined;
  },
};
