import type { PolicyRule } from "../rule";

/** AWS managed policies that grant (nearly) everything. */
export const ADMIN_POLICIES = ["AdministratorAccess", "PowerUserAccess", "IAMFullAccess", "AmazonS3FullAccess", "AmazonDynamoDBFullAccess", "AmazonEC2FullAccess"];

/** No role, user or group gets an all-powerful AWS managed policy. */
export const IamNoAdminPolicy: PolicyRule = {
  id: "IAM-NO-ADMIN-POLICY",
  description: `No attachment of ${ADMIN_POLICIES.join(", ")}`,
  level: "error",
  equivalents: { checkov: "CKV_AWS_274", trivy: "(none)", cdkNag: "AwsSolutions-IAM4" },
  resourceTypes: ["aws_iam_role_policy_attachment", "aws_iam_user_policy_attachment", "aws_iam_group_policy_attachment", "aws_iam_policy_attachment", "aws_iam_role"],
  check(resource) {
    const arns: unknown[] = resource.type === "aws_iam_role" ? (resource.config.managed_policy_arns ?? []) : [resource.config.policy_arn];
    const bad = arns.map(String).find((arn) => ADMIN_POLICIES.some((p) => arn.endsWith(`:policy/${p}`) || arn.endsWith(`/${p}`)));
    return bad ? `attaches ${bad}; grant named actions on named resources instead` : undefined;
  },
};
