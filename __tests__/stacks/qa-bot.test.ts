import { QaBotStack } from "../../stacks/qa-bot";
import { onlyResource, resourcesOf, synthStack, TfJson } from "../helpers/synth";
import { testConfig } from "../helpers/config";

/** Statements of the inline policy of the role whose path contains `role`. */
function statementsOf(json: TfJson, role: string): any[] {
  return Object.entries(json.data?.aws_iam_policy_document ?? {})
    .filter(([k]) => k.includes(role) && k.includes("PolicyDocument"))
    .flatMap(([, d]: [string, any]) => d.statement);
}

describe("qa-bot stack", () => {
  const { json } = synthStack((app) => new QaBotStack(app, "qa-bot", testConfig()));

  test("one public subnet, no NAT gateway; tasks get no inbound rule and HTTPS out only", () => {
    expect(onlyResource(json, "aws_subnet").cidr_block).toBe("10.20.0.0/24");
    expect(resourcesOf(json, "aws_nat_gateway")).toEqual({});
    expect(resourcesOf(json, "aws_vpc_security_group_ingress_rule")).toEqual({});
    expect(onlyResource(json, "aws_vpc_security_group_egress_rule")).toMatchObject({ cidr_ipv4: "0.0.0.0/0", from_port: 443, to_port: 443 });
    expect(resourcesOf(json, "aws_vpc_endpoint")).toEqual({});
  });

  test("the answers table: item_id string key, on-demand", () => {
    const table = onlyResource(json, "aws_dynamodb_table");
    expect(table).toMatchObject({ hash_key: "item_id", billing_mode: "PAY_PER_REQUEST" });
    expect(table.attribute).toEqual([{ name: "item_id", type: "S" }]);
  });

  test("cluster with Container Insights off by default; on through the setting", () => {
    expect(onlyResource(json, "aws_ecs_cluster").setting).toEqual([{ name: "containerInsights", value: "disabled" }]);
    const { json: j } = synthStack((app) => new QaBotStack(app, "qa-bot", testConfig({ stacks: { qaBot: { containerInsights: true } } })));
    expect(onlyResource(j, "aws_ecs_cluster").setting).toEqual([{ name: "containerInsights", value: "enabled" }]);
  });

  test("ECR repository: scan on push, keeps the last 10 images, force delete", () => {
    expect(onlyResource(json, "aws_ecr_repository")).toMatchObject({ force_delete: true, image_scanning_configuration: { scan_on_push: true } });
    expect(JSON.parse(onlyResource(json, "aws_ecr_lifecycle_policy").policy).rules[0].selection.countNumber).toBe(10);
  });

  test("Fargate task 1024/4096 running the repository's image with TABLE_NAME, non-root, read-only root", () => {
    const td = onlyResource(json, "aws_ecs_task_definition");
    expect(td).toMatchObject({ cpu: "1024", memory: "4096", requires_compatibilities: ["FARGATE"], family: "aws-course-test-qa-bot-worker" });
    const [c] = JSON.parse(td.container_definitions);
    expect(c).toMatchObject({ name: "worker", user: "1000", readonlyRootFilesystem: true });
    expect(c.image).toMatch(/^\$\{aws_ecr_repository\..*\.repository_url\}:latest$/);
    expect(c.environment).toEqual([{ name: "TABLE_NAME", value: expect.stringMatching(/^\$\{aws_dynamodb_table\..*\.name\}$/) }]);
    expect(c.logConfiguration.logDriver).toBe("awslogs");
  });

  test("the task role may only put items into the answers table (the worker's one call); no SSM", () => {
    const statements = statementsOf(json, "TaskRole");
    const tableKey = Object.keys(resourcesOf(json, "aws_dynamodb_table"))[0];
    expect(statements).toEqual([
      expect.objectContaining({ effect: "Allow", actions: ["dynamodb:PutItem"], resources: [`\${aws_dynamodb_table.${tableKey}.arn}`] }),
    ]);
    expect(JSON.stringify(json)).not.toContain("ssm:GetParameter");
    expect(json.output?.ParameterPathPrefix).toBeUndefined();
    // the execution role is a different role with no table access
    const exec = statementsOf(json, "ExecutionRole").flatMap((s) => s.actions);
    expect(exec.some((a: string) => a.startsWith("dynamodb:"))).toBe(false);
  });

  test("parameterPath is no longer a setting (nothing reads SSM)", () => {
    expect(() => testConfig({ stacks: { qaBot: { parameterPath: "/qa-bot/" } } as never })).toThrow(/parameterPath/);
  });

  test("outputs what the client needs and the image push commands", () => {
    for (const o of ["ClusterName", "TaskDefinitionFamily", "TaskDefinitionArn", "ContainerName", "SubnetIds", "SecurityGroupId", "TableName", "RepositoryUrl"]) {
      expect(json.output?.[o]).toBeDefined();
    }
    const cmds: string[] = json.output?.ImagePushCommands.value;
    expect(cmds[0]).toMatch(/^aws ecr get-login-password --region ap-northeast-1 \| docker login --username AWS --password-stdin /);
    expect(cmds[1]).toMatch(/^docker build --platform linux\/amd64 -t \$\{aws_ecr_repository\..*\.repository_url\}:latest docker\/qa-bot$/);
    expect(cmds[2]).toMatch(/^docker push /);
  });

  test("private-endpoints: isolated subnet, no public IP, VPC endpoints for ECR, logs, S3 and DynamoDB (no SSM: nothing reads it)", () => {
    const { json: j } = synthStack((app) => new QaBotStack(app, "qa-bot", testConfig({ stacks: { qaBot: { networking: "private-endpoints" } } })));
    expect(resourcesOf(j, "aws_internet_gateway")).toEqual({});
    expect(j.output?.AssignPublicIp.value).toBe("false");
    const services = (Object.values(resourcesOf(j, "aws_vpc_endpoint")) as any[]).map((e) => e.service_name.split(".").slice(3).join(".")).sort();
    expect(services).toEqual(["dynamodb", "ecr.api", "ecr.dkr", "logs", "s3"]);
    const gateway = (Object.values(resourcesOf(j, "aws_vpc_endpoint")) as any[]).find((e) => e.vpc_endpoint_type === "Gateway");
    expect(gateway.route_table_ids).toEqual([expect.stringMatching(/aws_route_table\./)]);
  });

  test("bad task sizes are refused by the config with the allowed memory", () => {
    expect(() => testConfig({ stacks: { qaBot: { cpu: 1024, memory: 1024 } } })).toThrow(/"memory"[\s\S]*is not allowed with stacks.qaBot.cpu \(1024\).*2048/);
  });
});
