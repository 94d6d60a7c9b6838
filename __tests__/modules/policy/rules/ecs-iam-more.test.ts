import { describeRule, res } from "../rule-cases";
import { EcsContainerInsights } from "../../../../modules/policy/rules/ecs-container-insights";
import { EcsNonRoot } from "../../../../modules/policy/rules/ecs-non-root";
import { EcsEnvSecrets } from "../../../../modules/policy/rules/ecs-env-secrets";
import { EcsNoPublicIp } from "../../../../modules/policy/rules/ecs-no-public-ip";
import { IamPrivilegeEscalation } from "../../../../modules/policy/rules/iam-privilege-escalation";
import { IamAwsManagedPolicy } from "../../../../modules/policy/rules/iam-aws-managed-policy";

const cluster = (value: string) => res("aws_ecs_cluster", "c", { name: "c", setting: [{ name: "containerInsights", value }] });
const task = (...containers: object[]) => res("aws_ecs_task_definition", "t", { family: "f", container_definitions: JSON.stringify(containers) });

describeRule(EcsContainerInsights, {
  compliant: [{ name: "enabled", tf: cluster("enabled") }],
  noncompliant: [{ name: "disabled", tf: cluster("disabled"), message: /containerInsights disabled/ }],
});

describeRule(EcsNonRoot, {
  compliant: [{ name: "nginx-unprivileged as 101", tf: task({ name: "web", image: "nginx", user: "101" }) }],
  noncompliant: [
    { name: "user unset", tf: task({ name: "web", image: "nginx" }), message: /web run as root/ },
    { name: "user 0:0", tf: task({ name: "web", image: "nginx", user: "0:0" }), message: /root/ },
  ],
});

describeRule(EcsEnvSecrets, {
  compliant: [
    { name: "table name and a secret from SSM", tf: task({ name: "w", environment: [{ name: "TABLE_NAME", value: "t" }], secrets: [{ name: "API_TOKEN", valueFrom: "arn:aws:ssm:ap-northeast-1:123456789012:parameter/t" }] }) },
  ],
  noncompliant: [{ name: "literal token in environment", tf: task({ name: "w", environment: [{ name: "API_TOKEN", value: "abc123" }] }), message: /w\.API_TOKEN/ }],
});

describeRule(EcsNoPublicIp, {
  compliant: [{ name: "awsvpc without a public IP", tf: res("aws_ecs_service", "s", { network_configuration: { assign_public_ip: false, subnets: ["s"] } }) }],
  noncompliant: [{ name: "assign_public_ip true", tf: res("aws_ecs_service", "s", { network_configuration: { assign_public_ip: true, subnets: ["s"] } }), message: /public IPs/ }],
});

const doc = (actions: string[], resources: string[]) => ({ data: { aws_iam_policy_document: { d: { statement: [{ effect: "Allow", actions, resources }] } } } });

describeRule(IamPrivilegeEscalation, {
  compliant: [
    { name: "PassRole on a named role", tf: doc(["iam:PassRole"], ["${aws_iam_role.task.arn}"]) },
    { name: "reads of IAM", tf: doc(["iam:GetRole", "iam:ListRoles"], ["*"]) },
  ],
  noncompliant: [
    { name: "iam:PassRole on *", tf: doc(["iam:PassRole"], ["*"]), message: /iam:PassRole on \*/ },
    { name: "iam:Put*Policy", tf: doc(["iam:Put*"], ["arn:aws:iam::123456789012:role/x"]), message: /iam:Put\* , which includes|iam:Put\*, which includes iam:PutRolePolicy/ },
    { name: "iam:AttachRolePolicy", tf: doc(["iam:AttachRolePolicy"], ["arn:aws:iam::123456789012:role/x"]), message: /administrator/ },
    { name: "sts:AssumeRole on *", tf: doc(["sts:AssumeRole"], ["*"]), message: /sts:AssumeRole on \*/ },
  ],
});

describeRule(IamAwsManagedPolicy, {
  compliant: [{ name: "customer-managed policy", tf: res("aws_iam_role_policy_attachment", "a", { role: "r", policy_arn: "${aws_iam_policy.p.arn}" }) }],
  noncompliant: [
    {
      name: "AmazonSSMManagedInstanceCore",
      tf: res("aws_iam_role_policy_attachment", "a", { role: "r", policy_arn: "arn:${data.aws_partition.p.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore" }),
      message: /AWS-managed AmazonSSMManagedInstanceCore/,
    },
  ],
});
