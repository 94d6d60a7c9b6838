import * as fs from "fs";
import * as path from "path";
import { stackJson, synthApp } from "../helpers/app";
import type { TfJson } from "../helpers/synth";
import { testConfig } from "../helpers/config";
import { accountFor, buildDiagram, Diagram, DiagramNode, NODE_TYPES, toDot } from "../../tools/diagram-model";
import { MAX_WIDTH_PT, renderSvg, svgWidthPt } from "../../tools/diagram";

const STACKS = ["bashoutter", "ecs-autoscaling", "first-ec2", "gpu-jupyter", "qa-bot", "simple-dynamodb", "simple-lambda", "state", "web-fleet"];

/**
 * The shipped layout, plus the settings that change the network (private subnets, NAT, endpoints, instance roles),
 * with the stacks those settings are of (the others' JSON is the shipped one: their diagrams are checked once).
 */
const VARIANTS: Record<string, { readonly overrides: Record<string, unknown>; readonly stacks: readonly string[] }> = {
  default: { overrides: {}, stacks: STACKS },
  "private networks": {
    overrides: { stacks: { qaBot: { networking: "private-endpoints" }, webFleet: { instanceSubnets: "private" }, firstEc2: { sessionManager: true } } },
    stacks: ["first-ec2", "qa-bot", "web-fleet"],
  },
};
const CASES = Object.entries(VARIANTS).flatMap(([variant, v]) => v.stacks.map((stack) => [variant, stack] as const));

const json: Record<string, Record<string, TfJson>> = {};
beforeAll(() => {
  // GIVEN every stack synthesized, once per variant (the stacks its settings change)
  for (const [variant, { overrides, stacks }] of Object.entries(VARIANTS)) {
    const outdir = synthApp(testConfig(overrides), undefined, stacks);
    json[variant] = Object.fromEntries(stacks.map((s) => [s, stackJson(outdir, s)]));
  }
}, 120000);

const diagramOf = (stack: string, variant = "default") => buildDiagram(stack, json[variant][stack]);
/** Each diagram's SVG, rendered once (dot runs ~20-60 ms a diagram). */
const svgs = new Map<string, string>();
const svgOf = (stack: string, variant = "default") => {
  const key = `${variant}/${stack}`;
  if (!svgs.has(key)) svgs.set(key, renderSvg(toDot(diagramOf(stack, variant))));
  return svgs.get(key)!;
};
const node = (d: Diagram, pred: (n: DiagramNode) => boolean) => {
  const found = d.nodes.filter(pred);
  if (found.length !== 1) throw new Error(`expected one node, found ${found.map((n) => n.id).join(", ") || "none"}`);
  return found[0];
};
const byType = (d: Diagram, type: string, name?: string) => node(d, (n) => n.id.startsWith(`${type}.`) && (!name || n.lines[0]?.includes(name)));
const edge = (d: Diagram, from: DiagramNode | string, to: DiagramNode | string) =>
  d.edges.find((e) => e.from === (typeof from === "string" ? from : from.id) && e.to === (typeof to === "string" ? to : to.id));
const managed = (tf: TfJson) => Object.entries(tf.resource ?? {}).flatMap(([type, byName]) => Object.keys(byName).map((n) => `${type}.${n}`));

describe("every resource appears", () => {
  it.each(CASES)("%s %s: each resource is a node, folded into exactly one node, or a VPC/subnet box", (variant, stack) => {
    // WHEN its diagram is built
    const d = diagramOf(stack, variant);
    // THEN every managed resource is accounted for, once
    const where = accountFor(stack, json[variant][stack], d);
    const missing = [...where].filter(([, v]) => !v).map(([k]) => k);
    expect(missing).toEqual([]);
    const members = [...d.nodes.flatMap((n) => n.members), ...d.clusters.flatMap((c) => c.members)];
    expect(members.sort()).toEqual(managed(json[variant][stack]).sort());
    // AND nothing fell through to a generic node: every drawn resource is a type the diagram knows
    for (const n of d.nodes.filter((x) => x.members.length)) expect(Object.keys(NODE_TYPES)).toContain(n.id.split(".")[0]);
  });

  it.each(CASES)("%s %s: each label says how many resources it folds, and the SVG names them all", (variant, stack) => {
    const d = diagramOf(stack, variant);
    for (const n of d.nodes.filter((x) => x.members.length > 1)) {
      expect(n.lines.join(" ")).toContain(`+${n.members.length - 1} folded`);
    }
    for (const n of d.nodes.filter((x) => x.members.length === 1)) expect(n.lines.join(" ")).not.toContain("folded");
    // The tooltips of the SVG list every address (hover a node to see what it stands for).
    const svg = svgOf(stack, variant);
    for (const a of managed(json[variant][stack])) expect(svg).toContain(a.replace(/-/g, "&#45;"));
  });
});

describe("what the diagrams draw", () => {
  it("draws no Terraform references as edges: labels are ports, paths, actions or what management does", () => {
    for (const stack of STACKS) {
      for (const e of diagramOf(stack).edges) expect(e.label ?? "").not.toMatch(/aws_|[a-z]+_(policy|rule|group|target|permission|attachment)\b/);
    }
  });

  it("web-fleet: internet -> internet gateway -> load balancer -> target group -> both groups; the Spot handler manages the Spot group (dashed)", () => {
    const d = diagramOf("web-fleet");
    const igw = byType(d, "aws_internet_gateway");
    const lb = byType(d, "aws_lb");
    const tg = byType(d, "aws_lb_target_group");
    expect(edge(d, "internet", igw)).toMatchObject({ kind: "request" });
    expect(edge(d, igw, lb)).toMatchObject({ kind: "request", label: "HTTP :80" });
    expect(edge(d, lb, tg)).toMatchObject({ kind: "request", label: "HTTP :80 default" });
    for (const g of ["BaseGroup", "SpotGroup"]) expect(edge(d, tg, byType(d, "aws_autoscaling_group", g))).toMatchObject({ kind: "request", label: "HTTP :8080" });
    const handler = byType(d, "aws_lambda_function");
    expect(edge(d, handler, byType(d, "aws_autoscaling_group", "SpotGroup"))).toMatchObject({ kind: "management", label: "DetachInstances" });
    expect(edge(d, handler, byType(d, "aws_autoscaling_group", "BaseGroup"))).toBeUndefined();
    expect(edge(d, byType(d, "aws_cloudwatch_event_rule"), handler)).toMatchObject({ kind: "management" });
    // The load balancer's listener is folded into it, the launch templates and roles into their groups.
    expect(lb.members.some((m) => m.startsWith("aws_lb_listener."))).toBe(true);
    expect(byType(d, "aws_autoscaling_group", "SpotGroup").members.filter((m) => /^aws_(launch_template|iam_role|iam_instance_profile)\./.test(m))).toHaveLength(3);
  });

  it("web-fleet with private instance subnets: NAT gateway in a public subnet, groups in the private ones", () => {
    const d = diagramOf("web-fleet", "private networks");
    const nat = byType(d, "aws_nat_gateway");
    expect(d.clusters.find((c) => c.id === nat.cluster)!.label).toMatch(/^public /);
    expect(byType(d, "aws_autoscaling_group", "BaseGroup").lines.join(" ")).toMatch(/in private az1, az4/);
  });

  it("ecs-autoscaling: path routes to three target groups and services, all inside the VPC; the cluster schedules them and owns the capacity (dashed)", () => {
    const d = diagramOf("ecs-autoscaling");
    const lb = byType(d, "aws_lb");
    const vpc = d.clusters.find((c) => c.kind === "vpc")!;
    const labels: Record<string, string> = { web: "HTTP :80 default", cats: "/cats*", dogs: "/dogs*" };
    for (const [name, label] of Object.entries(labels)) {
      const tg = node(d, (n) => n.id.startsWith("aws_lb_target_group.") && n.lines[0]?.toLowerCase().startsWith(name));
      const svc = node(d, (n) => n.id.startsWith("aws_ecs_service.") && n.lines[0]?.toLowerCase().startsWith(name));
      expect(edge(d, lb, tg)).toMatchObject({ kind: "request", label });
      expect(edge(d, tg, svc)).toMatchObject({ kind: "request", label: "container :8080" });
      expect(svc.cluster).toBe(vpc.id);
      expect(edge(d, byType(d, "aws_ecs_cluster"), svc)).toMatchObject({ kind: "management", label: "schedules" });
    }
    // Listener rules fold into the target group they forward to.
    expect(node(d, (n) => !!n.lines[0]?.startsWith("CatsService/TargetGroup")).members.some((m) => m.startsWith("aws_lb_listener_rule."))).toBe(true);
    expect(edge(d, byType(d, "aws_ecs_cluster"), byType(d, "aws_autoscaling_group"))).toMatchObject({ kind: "management", label: "capacity provider" });
    // Nothing of the workload sits outside the VPC but the cluster (a control plane).
    const outside = d.nodes.filter((n) => !n.cluster && n.kind !== "source").map((n) => n.id.split(".")[0]);
    expect(outside).toEqual(["aws_ecs_cluster"]);
  });

  it("qa-bot: the cluster runs the task in the subnet, the task writes the table and pulls its image", () => {
    for (const variant of Object.keys(VARIANTS)) {
      const d = diagramOf("qa-bot", variant);
      const task = byType(d, "aws_ecs_task_definition");
      expect(d.clusters.find((c) => c.id === task.cluster)!.kind).toBe("subnet");
      expect(edge(d, byType(d, "aws_ecs_cluster"), task)).toMatchObject({ kind: "management", label: "RunTask" });
      expect(edge(d, task, byType(d, "aws_dynamodb_table"))).toMatchObject({ kind: "request", label: "PutItem" });
      expect(edge(d, byType(d, "aws_ecr_repository"), task)).toMatchObject({ kind: "management", label: "image" });
      // The task's security group (only named by outputs, for RunTask) is folded into the task.
      expect(task.members.some((m) => m.startsWith("aws_security_group."))).toBe(true);
    }
  });

  it("first-ec2: VPC > AZ > subnet boxes, the instance in its subnet, SSH from the allowed address through the internet gateway", () => {
    const d = diagramOf("first-ec2");
    const instance = byType(d, "aws_instance");
    const subnet = d.clusters.find((c) => c.id === instance.cluster)!;
    const az = d.clusters.find((c) => c.id === subnet.parent)!;
    const vpc = d.clusters.find((c) => c.id === az.parent)!;
    expect([subnet.kind, az.kind, vpc.kind]).toEqual(["subnet", "az", "vpc"]);
    expect(subnet.label).toMatch(/^public 10\.10\.0\.0\/24/);
    expect(az.label).toBe("AZ apne1-az1");
    expect(vpc.label).toMatch(/^VPC 10\.10\.0\.0\/23/);
    const igw = byType(d, "aws_internet_gateway");
    expect(edge(d, "cidr:198.51.100.7/32", igw)).toMatchObject({ kind: "request" });
    expect(edge(d, igw, instance)).toMatchObject({ kind: "request", label: "SSH :22" });
  });

  it("gpu-jupyter: the idle alarm stops the instance (dashed)", () => {
    const d = diagramOf("gpu-jupyter");
    expect(edge(d, byType(d, "aws_cloudwatch_metric_alarm"), byType(d, "aws_instance"))).toMatchObject({ kind: "management", label: "stop" });
  });

  it("bashoutter: the API routes each method and path to its function, the functions call the table", () => {
    const d = diagramOf("bashoutter");
    const api = byType(d, "aws_api_gateway_rest_api");
    const routes = d.edges.filter((e) => e.from === api.id).map((e) => `${d.nodes.find((n) => n.id === e.to)!.lines[0]} ${e.label}`);
    expect(routes.sort()).toEqual([
      "FunctionAdminDelete DELETE /admin/haiku/{item_id}",
      "FunctionCreate POST /haiku",
      "FunctionDelete DELETE /haiku/{item_id}",
      "FunctionLike PATCH /haiku/{item_id}",
      "FunctionList GET /haiku",
    ]);
    const table = byType(d, "aws_dynamodb_table");
    expect(edge(d, byType(d, "aws_lambda_function", "FunctionList"), table)).toMatchObject({ kind: "request", label: "Scan" });
    expect(edge(d, "internet", byType(d, "aws_cloudfront_distribution"))).toMatchObject({ kind: "request" });
    expect(edge(d, byType(d, "aws_cloudfront_distribution"), byType(d, "aws_s3_bucket"))).toMatchObject({ kind: "request", label: "origin" });
    // All API Gateway parts fold into the API, not into the functions they call.
    expect(d.nodes.filter((n) => n.id !== api.id).flatMap((n) => n.members).filter((m) => /^aws_api_gateway_(integration|deployment|stage|method)\./.test(m))).toEqual([]);
  });

  it("simple-lambda: the function's dead letters go to its queue (dashed), no duplicate IAM edge", () => {
    const d = diagramOf("simple-lambda");
    const fn = byType(d, "aws_lambda_function");
    const queue = byType(d, "aws_sqs_queue");
    expect(d.edges.filter((e) => e.from === fn.id && e.to === queue.id)).toEqual([{ from: fn.id, to: queue.id, kind: "management", label: "failed events" }]);
  });
});

describe("rendering", () => {
  it.each(STACKS)("%s: dot output is byte-identical between runs and fits README width", (stack) => {
    const a = svgOf(stack);
    const b = renderSvg(toDot(buildDiagram(stack, JSON.parse(JSON.stringify(json.default[stack])))));
    expect(a).toBe(b);
    expect(svgWidthPt(a)).toBeLessThanOrEqual(MAX_WIDTH_PT);
  });

  it("committed diagrams exist for every stack and fit README width", () => {
    const dir = path.resolve(__dirname, "../../docs/diagrams");
    for (const stack of STACKS) expect(svgWidthPt(fs.readFileSync(path.join(dir, `${stack}.svg`), "utf8"))).toBeLessThanOrEqual(MAX_WIDTH_PT);
  });

  it("draws management dashed, requests solid, and nests subnet boxes inside zone boxes inside the VPC box", () => {
    const dot = toDot(diagramOf("web-fleet"));
    expect(dot).toMatch(/-> "aws_autoscaling_group\.[^"]+" \[style=dashed.*label="DetachInstances"/);
    expect(dot).toMatch(/-> "aws_lb_target_group\.[^"]+" \[penwidth=1\.3, label="HTTP :80 default"/);
    expect(dot).toMatch(/subgraph "cluster_aws_vpc\.[^"]+" \{[^}]*subgraph "cluster_aws_vpc\.[^"]+\/az\/apne1-az1" \{[^}]*subgraph "cluster_aws_subnet\./);
  });
});

describe("buildDiagram on fixtures", () => {
  it("connects an API to its Lambda through the integration, the Lambda to its table through its role policy, and folds the glue", () => {
    // GIVEN API -> integration -> function -> role -> policy (document naming the table)
    const tf = {
      resource: {
        aws_api_gateway_rest_api: { api: { name: "haiku" } },
        aws_api_gateway_resource: { res: { rest_api_id: "${aws_api_gateway_rest_api.api.id}", parent_id: "${aws_api_gateway_rest_api.api.root_resource_id}", path_part: "haiku" } },
        aws_api_gateway_integration: {
          i: { rest_api_id: "${aws_api_gateway_rest_api.api.id}", resource_id: "${aws_api_gateway_resource.res.id}", http_method: "GET", uri: "${aws_lambda_function.fn.invoke_arn}" },
        },
        aws_lambda_function: { fn: { function_name: "list", role: "${aws_iam_role.r.arn}" } },
        aws_lambda_permission: { p: { function_name: "${aws_lambda_function.fn.function_name}", principal: "apigateway.amazonaws.com", source_arn: "${aws_api_gateway_rest_api.api.execution_arn}/*" } },
        aws_iam_role: { r: {} },
        aws_iam_role_policy: { rp: { role: "${aws_iam_role.r.id}", policy: "${data.aws_iam_policy_document.d.json}" } },
        aws_dynamodb_table: { t: { name: "haiku", hash_key: "id" } },
      },
      data: { aws_iam_policy_document: { d: { statement: [{ actions: ["dynamodb:Scan", "dynamodb:GetItem"], resources: ["${aws_dynamodb_table.t.arn}"] }] } } },
    };
    // WHEN
    const d = buildDiagram("s", tf);
    // THEN
    expect(d.edges).toEqual(
      expect.arrayContaining([
        { from: "internet", to: "aws_api_gateway_rest_api.api", kind: "request", label: "HTTPS" },
        { from: "aws_api_gateway_rest_api.api", to: "aws_lambda_function.fn", kind: "request", label: "GET /haiku" },
        { from: "aws_lambda_function.fn", to: "aws_dynamodb_table.t", kind: "request", label: "Scan, GetItem" },
      ]),
    );
    expect([...d.nodes.find((n) => n.id === "aws_lambda_function.fn")!.members].sort()).toEqual([
      "aws_iam_role.r",
      "aws_iam_role_policy.rp",
      "aws_lambda_function.fn",
      "aws_lambda_permission.p",
    ]);
    expect(d.clusters).toEqual([]);
  });

  it("folds a resource nothing references into the node nearest in the construct tree", () => {
    const meta = (p: string) => ({ "//": { metadata: { path: p } } });
    const tf = {
      resource: {
        aws_sqs_queue: { q: { ...meta("s/Jobs/Resource") } },
        aws_cloudwatch_dashboard: { dash: { ...meta("s/Jobs/Dashboard"), dashboard_name: "jobs" } },
      },
    };
    const d = buildDiagram("s", tf);
    expect(d.nodes.map((n) => n.members)).toEqual([["aws_sqs_queue.q", "aws_cloudwatch_dashboard.dash"]]);
    expect(d.nodes[0].lines.join(" ")).toMatch(/\+1 folded:\s+cloudwatch dashboard/);
  });

  it("still draws a resource it cannot fold anywhere, so it appears (and the every-resource test would name its type)", () => {
    const d = buildDiagram("s", { resource: { aws_cloudwatch_dashboard: { dash: { dashboard_name: "jobs" } } } });
    expect(d.nodes).toEqual([expect.objectContaining({ id: "aws_cloudwatch_dashboard.dash", members: ["aws_cloudwatch_dashboard.dash"] })]);
  });
});
