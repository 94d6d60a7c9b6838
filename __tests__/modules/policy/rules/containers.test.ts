import { describeRule, res } from "../rule-cases";
import { EcsReadonlyRoot } from "../../../../modules/policy/rules/ecs-readonly-root";
import { EcsAwslogs } from "../../../../modules/policy/rules/ecs-awslogs";
import { EcsSeparateRoles } from "../../../../modules/policy/rules/ecs-separate-roles";
import { EcsNoPrivileged } from "../../../../modules/policy/rules/ecs-no-privileged";
import { EcrScanOnPush } from "../../../../modules/policy/rules/ecr-scan-on-push";
import { EcrImmutableTags } from "../../../../modules/policy/rules/ecr-immutable-tags";

const good = {
  name: "web",
  image: "public.ecr.aws/nginx/nginx-unprivileged:stable-alpine",
  readonlyRootFilesystem: true,
  logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": "${aws_cloudwatch_log_group.g.name}" } },
};
const task = (containers: object[], config: Record<string, unknown> = {}) =>
  res("aws_ecs_task_definition", "t", {
    family: "f",
    container_definitions: JSON.stringify(containers),
    execution_role_arn: "${aws_iam_role.exec.arn}",
    task_role_arn: "${aws_iam_role.task.arn}",
    ...config,
  });

describeRule(EcsReadonlyRoot, {
  compliant: [{ name: "read-only container", tf: task([good]) }],
  noncompliant: [
    { name: "writable root", tf: task([good, { ...good, name: "sidecar", readonlyRootFilesystem: false }]), message: /sidecar/ },
    { name: "unreadable definitions", tf: task([], { container_definitions: "${jsonencode(local.x)}" }), message: /not literal JSON/ },
  ],
});

describeRule(EcsAwslogs, {
  compliant: [
    { name: "awslogs", tf: task([good]) },
    { name: "firelens", tf: task([{ ...good, logConfiguration: { logDriver: "awsfirelens" } }]) },
  ],
  noncompliant: [{ name: "no log configuration", tf: task([{ ...good, logConfiguration: undefined }]), message: /web/ }],
});

describeRule(EcsSeparateRoles, {
  compliant: [{ name: "two roles", tf: task([good]) }],
  noncompliant: [{ name: "one role for both", tf: task([good], { task_role_arn: "${aws_iam_role.exec.arn}" }), message: /the same/ }],
});

describeRule(EcsNoPrivileged, {
  compliant: [{ name: "unprivileged", tf: task([good]) }],
  noncompliant: [{ name: "privileged", tf: task([{ ...good, privileged: true }]), message: /privileged/ }],
});

const repo = (config: Record<string, unknown>) => res("aws_ecr_repository", "r", { name: "qa-bot", ...config });

describeRule(EcrScanOnPush, {
  compliant: [
    { name: "scan on push", tf: repo({ image_scanning_configuration: { scan_on_push: true } }) },
    { name: "registry-level scanning", tf: { resource: { ...repo({}).resource, aws_ecr_registry_scanning_configuration: { s: { scan_type: "BASIC" } } } } },
  ],
  noncompliant: [{ name: "no scanning", tf: repo({}), message: /scan_on_push/ }],
});

describeRule(EcrImmutableTags, {
  compliant: [{ name: "IMMUTABLE", tf: repo({ image_tag_mutability: "IMMUTABLE" }) }],
  noncompliant: [{ name: "MUTABLE (default)", tf: repo({}), message: /MUTABLE/ }],
});
