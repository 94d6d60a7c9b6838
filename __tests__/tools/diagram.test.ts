import { synthStack } from "../helpers/synth";
import { FirstEc2Stack } from "../../stacks/first-ec2";
import { testConfig } from "../helpers/config";
import { buildDiagram, Diagram, toDot } from "../../tools/diagram-model";

const byLabel = (d: Diagram, text: string) => d.nodes.find((n) => n.label.includes(text));

describe("buildDiagram on the first-ec2 stack", () => {
  let d: Diagram;
  beforeAll(() => {
    // GIVEN the synthesized first-ec2 stack
    // (with Session Manager on, so the template has an instance role behind its instance profile)
    const { json } = synthStack((app) => new FirstEc2Stack(app, "first-ec2", testConfig({ stacks: { firstEc2: { sessionManager: true } } })));
    // WHEN its diagram is built
    d = buildDiagram("first-ec2", json as never);
  });

  it("draws the resources a reader cares about, not the glue", () => {
    expect(d.nodes.map((n) => n.type).sort()).toEqual(["aws_iam_role", "aws_instance", "aws_internet_gateway", "aws_launch_template", "aws_security_group", "cidr"]);
  });

  it("places the instance in its subnet inside the VPC", () => {
    const vpc = d.clusters.find((c) => c.label.startsWith("VPC 10.10.0.0/23"))!;
    const subnet = d.clusters.find((c) => c.parent === vpc.id)!;
    expect(subnet.label).toContain("10.10.0.0/24");
    expect(byLabel(d, "EC2 instance")!.cluster).toBe(subnet.id);
    expect(byLabel(d, "security group")!.cluster).toBe(vpc.id);
  });

  it("draws references as edges, through hidden resources (instance profile) too", () => {
    const name = (id: string) => d.nodes.find((n) => n.id === id)!.type;
    const pairs = d.edges.map((e) => `${name(e.from)}->${name(e.to)}${e.via ? ` (${e.via})` : ""}`).sort();
    expect(pairs).toEqual([
      "aws_instance->aws_launch_template",
      "aws_launch_template->aws_iam_role",
      "aws_launch_template->aws_security_group",
      "cidr->aws_security_group (tcp 22)",
    ]);
    expect(byLabel(d, "198.51.100.7/32")).toBeDefined();
  });

  it("renders DOT with nested clusters", () => {
    const dot = toDot(d);
    expect(dot).toMatch(/^digraph "first-ec2" \{/);
    expect(dot).toMatch(/subgraph "cluster_aws_vpc\.[^"]+" \{\n\s+label="VPC 10\.10\.0\.0\/23";[\s\S]*subgraph "cluster_aws_subnet\./);
  });
});

describe("buildDiagram on fixtures", () => {
  it("connects an API to its Lambda through the permission, and the Lambda to its table through its role policy", () => {
    // GIVEN API -> permission -> function -> role -> policy(document naming the table)
    const tf = {
      resource: {
        aws_api_gateway_rest_api: { api: { name: "haiku" } },
        aws_lambda_function: { fn: { function_name: "list", role: "${aws_iam_role.r.arn}" } },
        aws_lambda_permission: { p: { function_name: "${aws_lambda_function.fn.function_name}", principal: "apigateway.amazonaws.com", source_arn: "${aws_api_gateway_rest_api.api.execution_arn}/*" } },
        aws_iam_role: { r: {} },
        aws_iam_role_policy: { rp: { role: "${aws_iam_role.r.id}", policy: "${data.aws_iam_policy_document.d.json}" } },
        aws_dynamodb_table: { t: { name: "haiku" } },
      },
      data: { aws_iam_policy_document: { d: { statement: [{ actions: ["dynamodb:Scan"], resources: ["${aws_dynamodb_table.t.arn}"] }] } } },
    };
    // WHEN
    const d = buildDiagram("s", tf);
    // THEN
    expect(d.edges).toEqual(
      expect.arrayContaining([
        { from: "aws_lambda_function.fn", to: "aws_iam_role.r", via: undefined },
        { from: "aws_api_gateway_rest_api.api", to: "aws_lambda_function.fn", via: "aws_lambda_permission" },
        { from: "aws_iam_role.r", to: "aws_dynamodb_table.t", via: "aws_iam_role_policy" },
      ]),
    );
    expect(d.clusters).toEqual([]);
  });
});
