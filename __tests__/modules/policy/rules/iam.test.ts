import { describeRule, res } from "../rule-cases";
import { synthJson, TfJson } from "../../../helpers/synth";
import { IamNoWildcardAction } from "../../../../modules/policy/rules/iam-no-wildcard-action";
import { IamNoWildcardResourceWrite } from "../../../../modules/policy/rules/iam-no-wildcard-resource-write";
import { IamNoAdminPolicy } from "../../../../modules/policy/rules/iam-no-admin-policy";
import { Role } from "../../../../modules/iam/role";
import { StateBucket } from "../../../../modules/state/state-bucket";

const roleWithGrant = () =>
  synthJson((scope) => {
    const role = new Role(scope, "Fn", { assumedBy: "lambda.amazonaws.com" });
    role.addToPolicy({ actions: ["dynamodb:GetItem", "dynamodb:PutItem"], resources: ["arn:aws:dynamodb:ap-northeast-1:123456789012:table/t"] });
    role.addToPolicy({ sid: "Metrics", actions: ["cloudwatch:PutMetricData"], resources: ["*"] });
  });

const doc = (statement: Record<string, unknown>): TfJson => ({ data: { aws_iam_policy_document: { d: { statement: [statement] } } } });
const inline = (statement: Record<string, unknown>) =>
  res("aws_iam_role_policy", "p", { role: "r", policy: JSON.stringify({ Version: "2012-10-17", Statement: [statement] }) });

describeRule(IamNoWildcardAction, {
  compliant: [
    { name: "Role with named actions", tf: roleWithGrant },
    { name: "TLS-only Deny of s3:* (a Deny may be broad)", tf: () => synthJson((scope) => void new StateBucket(scope, "S", { bucketName: "b" })) },
  ],
  noncompliant: [
    { name: "policy document allowing s3:*", tf: doc({ effect: "Allow", actions: ["s3:*"], resources: ["arn:aws:s3:::b"] }), message: /allows s3:\*/ },
    { name: "inline JSON allowing *", tf: inline({ Effect: "Allow", Action: "*", Resource: "*" }), message: /allows \*/ },
    { name: "Allow + NotAction", tf: doc({ effect: "Allow", not_actions: ["iam:*"], resources: ["*"] }), message: /NotAction/ },
    {
      name: "role inline_policy block",
      tf: res("aws_iam_role", "r", { assume_role_policy: "{}", inline_policy: [{ name: "x", policy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: ["dynamodb:*"], Resource: "arn:t" }] }) }] }),
      message: /dynamodb:\*/,
    },
  ],
});

describeRule(IamNoWildcardResourceWrite, {
  compliant: [
    { name: "Role with table ARN and PutMetricData on * (no resource-level permission)", tf: roleWithGrant },
    { name: "reads on *", tf: doc({ effect: "Allow", actions: ["ec2:DescribeInstances", "autoscaling:DescribeAutoScalingGroups"], resources: ["*"] }) },
  ],
  noncompliant: [
    { name: "PutItem on *", tf: doc({ effect: "Allow", actions: ["dynamodb:GetItem", "dynamodb:PutItem"], resources: ["*"] }), message: /dynamodb:PutItem on every resource/ },
    { name: "inline JSON DetachInstances on *", tf: inline({ Effect: "Allow", Action: "autoscaling:DetachInstances", Resource: "*" }), message: /DetachInstances/ },
    { name: "wildcard verb s3:Put* on *", tf: doc({ effect: "Allow", actions: ["s3:Put*"], resources: ["*"] }), message: /s3:Put\*/ },
  ],
});

describeRule(IamNoAdminPolicy, {
  compliant: [{ name: "SSM managed instance core", tf: res("aws_iam_role_policy_attachment", "a", { role: "r", policy_arn: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore" }) }],
  noncompliant: [
    { name: "AdministratorAccess", tf: res("aws_iam_role_policy_attachment", "a", { role: "r", policy_arn: "arn:aws:iam::aws:policy/AdministratorAccess" }), message: /AdministratorAccess/ },
    { name: "managed_policy_arns on the role", tf: res("aws_iam_role", "r", { managed_policy_arns: ["arn:${data.aws_partition.p.partition}:iam::aws:policy/PowerUserAccess"] }), message: /PowerUserAccess/ },
  ],
});
