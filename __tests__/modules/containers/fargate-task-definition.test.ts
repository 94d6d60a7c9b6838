import { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { Construct } from "constructs";
import { FargateTaskDefinition, FargateTaskDefinitionProps, fargateSizeProblem } from "../../../modules/containers/fargate-task-definition";
import { ContainerImage } from "../../../modules/containers/container-image";
import { Repository } from "../../../modules/containers/repository";
import { onlyResource, resourcesOf, synthJson, synthScope, TfJson } from "../../helpers/synth";

const image = ContainerImage.fromRegistry("public.ecr.aws/docker/library/busybox:1.37");
const build = (props: Partial<FargateTaskDefinitionProps> = {}) => (s: Construct) => new FargateTaskDefinition(s, "Task", { image, ...props });
const container = (json: TfJson) => JSON.parse(onlyResource(json, "aws_ecs_task_definition").container_definitions)[0];
const policyStatements = (json: TfJson, roleId: string) =>
  Object.entries(json.data!.aws_iam_policy_document)
    .filter(([k]) => k.includes(roleId) && k.includes("PolicyDocument"))
    .flatMap(([, d]: [string, any]) => d.statement);

describe("FargateTaskDefinition", () => {
  test("defaults to the course's 1 vCPU / 4 GB on Fargate with awsvpc", () => {
    const out = synthScope(build());
    expect(out).toHaveResourceWithProperties(EcsTaskDefinition, {
      cpu: "1024",
      memory: "4096",
      network_mode: "awsvpc",
      requires_compatibilities: ["FARGATE"],
      runtime_platform: { operating_system_family: "LINUX", cpu_architecture: "X86_64" },
    });
  });

  test("runs one container as non-root with a read-only root and a writable /tmp scratch volume", () => {
    const json = synthJson(build());
    const c = container(json);
    expect(c.user).toBe("1000");
    expect(c.readonlyRootFilesystem).toBe(true);
    expect(c.mountPoints).toEqual([{ sourceVolume: "scratch", containerPath: "/tmp", readOnly: false }]);
    expect(onlyResource(json, "aws_ecs_task_definition").volume).toEqual([{ name: "scratch" }]);
    expect(JSON.parse(onlyResource(json, "aws_ecs_task_definition").container_definitions)).toHaveLength(1);
  });

  test("logs with awslogs to its own log group with retention", () => {
    const json = synthJson(build({ family: "qa", logRetentionDays: 30 }));
    expect(synthScope(build({ family: "qa", logRetentionDays: 30 }))).toHaveResourceWithProperties(CloudwatchLogGroup, {
      name: "/ecs/qa",
      retention_in_days: 30,
    });
    const log = container(json).logConfiguration;
    expect(log.logDriver).toBe("awslogs");
    expect(log.options["awslogs-group"]).toMatch(/^\$\{aws_cloudwatch_log_group\..*\.name\}$/);
    expect(log.options["awslogs-region"]).toBe("ap-northeast-1");
  });

  test("passes environment variables and the command", () => {
    const c = container(synthJson(build({ environment: { TABLE_NAME: "t" }, command: ["node", "x.js"] })));
    expect(c.environment).toEqual([{ name: "TABLE_NAME", value: "t" }]);
    expect(c.command).toEqual(["node", "x.js"]);
  });

  test("separates the execution role (own log group, image pull) from the task role", () => {
    const json = synthJson((s) => {
      const repo = new Repository(s, "Repo");
      new FargateTaskDefinition(s, "Task", { image: ContainerImage.fromEcrRepository(repo) });
    });
    const td = onlyResource(json, "aws_ecs_task_definition");
    expect(td.execution_role_arn).toMatch(/ExecutionRole/);
    expect(td.task_role_arn).toMatch(/TaskRole/);
    expect(td.execution_role_arn).not.toBe(td.task_role_arn);
    const exec = policyStatements(json, "ExecutionRole");
    expect(exec.find((x: any) => x.sid === "WriteOwnLogs")).toMatchObject({
      actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
      resources: [expect.stringMatching(/^\$\{aws_cloudwatch_log_group\..*\.arn\}:\*$/)],
    });
    expect(exec.map((x: any) => x.sid)).toEqual(expect.arrayContaining(["PullImages", "EcrLogin"]));
    // the task role starts with no permissions at all: grants add them
    expect(policyStatements(json, "TaskRole")).toEqual([]);
    expect(Object.keys(resourcesOf(json, "aws_iam_role"))).toHaveLength(2);
  });

  test("fargateSizeProblem accepts every documented pair and nothing else", () => {
    expect(fargateSizeProblem(256, 512)).toBeUndefined();
    expect(fargateSizeProblem(4096, 30720)).toBeUndefined();
    expect(fargateSizeProblem(16384, 122880)).toBeUndefined();
    expect(fargateSizeProblem(8192, 20480)).toBeUndefined();
    // 8 vCPU goes in 4 GB steps, so 18 GB is refused with the allowed list
    expect(fargateSizeProblem(8192, 18432)).toMatch(/memory \(18432\).*allowed memory for cpu 8192: 16384, 20480, 24576/);
  });

  describe("validation", () => {
    test.each([
      [{ cpu: 1024, memory: 1024 }, /memory \(1024\) is not allowed with cpu \(1024\).*2048, 3072, 4096, 5120, 6144, 7168, 8192 MiB/],
      [{ cpu: 300 }, /cpu \(300\) must be one of Fargate's sizes: 256, 512, 1024/],
      [{ user: "root" }, /user \("root"\)/],
      [{ user: "0:0" }, /user \("0:0"\)/],
      [{ logRetentionDays: 10 }, /logRetentionDays \(10\)/],
      [{ scratchPath: "/" }, /scratchPath \("\/"\)/],
      [{ containerPort: 70000 }, /containerPort \(70000\)/],
      [{ family: "bad family" }, /family \("bad family"\)/],
      [{ environment: { "BAD-NAME": "x" } }, /environment name \("BAD-NAME"\)/],
    ])("rejects %j", (props, message) => {
      expect(() => synthScope(build(props as Partial<FargateTaskDefinitionProps>))).toThrow(message);
    });
  });
});
