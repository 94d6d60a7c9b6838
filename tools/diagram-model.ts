/**
 * Builds a stack diagram from its synthesized Terraform JSON: nodes are the
 * resources a reader cares about (compute, load balancing, data, edge,
 * roles), edges are the references found in the JSON (direct, or through a
 * "glue" resource such as a Lambda permission, an EventBridge target or a
 * security group rule), and nodes sit in their VPC / subnet where the JSON
 * says so. Rendered to Graphviz DOT; `tools/diagram.ts` runs `dot -Tsvg`.
 */
import { indexStack } from "../modules/policy/stack-index";
import type { ResourceView, StackIndex } from "../modules/policy/rule";
import { isWorldOpen } from "../modules/network/cidr";

/** Types drawn as nodes, with a short label and a fill colour. */
export const NODE_TYPES: Readonly<Record<string, { label: string; color: string }>> = {
  aws_instance: { label: "EC2 instance", color: "#f7c49a" },
  aws_autoscaling_group: { label: "Auto Scaling group", color: "#f7c49a" },
  aws_launch_template: { label: "launch template", color: "#fbe3cd" },
  aws_lambda_function: { label: "Lambda", color: "#f7c49a" },
  aws_ecs_cluster: { label: "ECS cluster", color: "#f7c49a" },
  aws_ecs_service: { label: "ECS service", color: "#f7c49a" },
  aws_ecs_task_definition: { label: "task definition", color: "#fbe3cd" },
  aws_ecs_capacity_provider: { label: "capacity provider", color: "#fbe3cd" },
  aws_lb: { label: "load balancer", color: "#c9b3f5" },
  aws_alb: { label: "load balancer", color: "#c9b3f5" },
  aws_lb_listener: { label: "listener", color: "#e4d9fb" },
  aws_lb_target_group: { label: "target group", color: "#e4d9fb" },
  aws_nat_gateway: { label: "NAT gateway", color: "#c9b3f5" },
  aws_internet_gateway: { label: "internet gateway", color: "#c9b3f5" },
  aws_vpc_endpoint: { label: "VPC endpoint", color: "#c9b3f5" },
  aws_security_group: { label: "security group", color: "#f4b6b6" },
  aws_api_gateway_rest_api: { label: "API Gateway (REST)", color: "#f5a9d0" },
  aws_apigatewayv2_api: { label: "API Gateway (HTTP)", color: "#f5a9d0" },
  aws_cloudfront_distribution: { label: "CloudFront", color: "#f5a9d0" },
  aws_cloudwatch_event_rule: { label: "EventBridge rule", color: "#f5a9d0" },
  aws_s3_bucket: { label: "S3 bucket", color: "#b6e3b6" },
  aws_dynamodb_table: { label: "DynamoDB table", color: "#b6c8f4" },
  aws_sqs_queue: { label: "SQS queue", color: "#f5a9d0" },
  aws_sns_topic: { label: "SNS topic", color: "#f5a9d0" },
  aws_ecr_repository: { label: "ECR repository", color: "#fbe3cd" },
  aws_iam_role: { label: "IAM role", color: "#eeeeee" },
};

export interface DiagramNode {
  readonly id: string;
  readonly type: string;
  readonly label: string;
  /** Cluster id (subnet or VPC) the node sits in, if any. */
  readonly cluster?: string;
}

export interface DiagramEdge {
  readonly from: string;
  readonly to: string;
  /** The glue resource type the edge came through, when not direct. */
  readonly via?: string;
}

export interface DiagramCluster {
  readonly id: string;
  readonly label: string;
  readonly parent?: string;
}

export interface Diagram {
  readonly stack: string;
  readonly nodes: readonly DiagramNode[];
  readonly edges: readonly DiagramEdge[];
  readonly clusters: readonly DiagramCluster[];
}

const address = (r: ResourceView) => `${r.mode === "data" ? "data." : ""}${r.type}.${r.name}`;

/** `first-ec2/Server/LaunchTemplate/Resource` -> `Server/LaunchTemplate`. */
export function shortPath(r: ResourceView, stack: string): string {
  return r.path.replace(new RegExp(`^${stack}/`), "").replace(/\/Resource$/, "") || r.name;
}

function subnetLabel(s: ResourceView): string {
  const c = s.config;
  const tier = c.tags?.Tier ?? c.tags?.Name ?? s.name;
  return `subnet ${tier}\\n${c.availability_zone_id ?? c.availability_zone ?? ""} ${c.cidr_block ?? ""}`.trim();
}

/** The diagram of one stack. */
export function buildDiagram(stack: string, tf: object): Diagram {
  const index: StackIndex = indexStack(stack, tf as never);
  const clusters: DiagramCluster[] = [];
  for (const vpc of index.byType("aws_vpc")) clusters.push({ id: address(vpc), label: `VPC ${vpc.config.cidr_block ?? ""}`.trim() });
  for (const s of index.byType("aws_subnet")) {
    const vpc = index.resolveReference(s.config.vpc_id);
    clusters.push({ id: address(s), label: subnetLabel(s), parent: vpc ? address(vpc) : undefined });
  }
  const clusterIds = new Set(clusters.map((c) => c.id));

  const drawn = index.resources.filter((r) => NODE_TYPES[r.type]);
  const isNode = new Set(drawn);
  const placement = new Map<ResourceView, string | undefined>();
  for (const r of drawn) {
    const refs = index.referencesIn(r.config);
    const subnets = refs.filter((x) => x.type === "aws_subnet");
    const vpcs = refs.filter((x) => x.type === "aws_vpc");
    let cluster: string | undefined;
    if (subnets.length === 1) cluster = address(subnets[0]);
    else if (subnets.length > 1) cluster = index.resolveReference(subnets[0].config.vpc_id) ? address(index.resolveReference(subnets[0].config.vpc_id)!) : undefined;
    else if (vpcs.length === 1) cluster = address(vpcs[0]);
    placement.set(r, cluster && clusterIds.has(cluster) ? cluster : undefined);
  }
  // Instances and groups without a subnet of their own sit where their launch template puts them.
  for (const r of drawn) {
    if (placement.get(r)) continue;
    const lt = index.referencesIn(r.config).find((x) => x.type === "aws_launch_template");
    if (lt && placement.get(lt)) placement.set(r, placement.get(lt));
  }

  const nodes: DiagramNode[] = drawn.map((r) => ({
    id: address(r),
    type: r.type,
    label: `${NODE_TYPES[r.type].label}\\n${shortPath(r, stack)}`,
    cluster: placement.get(r),
  }));

  const edges = new Map<string, DiagramEdge>();
  const addEdge = (from: ResourceView, to: ResourceView, via?: string) => {
    if (from === to) return;
    const key = `${address(from)}->${address(to)}`;
    const reverse = `${address(to)}->${address(from)}`;
    if (!edges.has(key) && !edges.has(reverse)) edges.set(key, { from: address(from), to: address(to), via });
  };
  // Direct references, and references through one or two hidden resources (launch template -> instance profile -> role).
  const reach = (r: ResourceView): ResourceView[] => {
    const found = new Set<ResourceView>();
    let frontier = [r];
    for (let depth = 0; depth < 3 && frontier.length; depth++) {
      const next: ResourceView[] = [];
      for (const f of frontier) {
        for (const t of index.referencesIn(f.config)) {
          if (isNode.has(t)) found.add(t);
          else if (t.mode !== "data" && !["aws_subnet", "aws_vpc"].includes(t.type)) next.push(t);
        }
      }
      frontier = next;
    }
    return [...found];
  };
  for (const r of drawn) for (const target of reach(r)) addEdge(r, target);
  // Glue resources (permissions, targets, attachments, rules, role policies) connect the nodes they name.
  for (const g of index.resources) {
    if (isNode.has(g) || g.type === "aws_subnet" || g.type === "aws_vpc") continue;
    const named = index.referencesIn(g.config).filter((x) => isNode.has(x));
    // Policies: follow the policy document to the resources its statements name.
    for (const d of index.referencesIn(g.config).filter((x) => x.mode === "data")) {
      for (const t of index.referencesIn(d.config)) if (isNode.has(t) && !named.includes(t)) named.push(t);
    }
    if (named.length < 2 || named.length > 4) continue;
    const [first, ...rest] = orderForGlue(g, named, index);
    for (const other of rest) addEdge(first, other, g.type);
  }

  // Addresses outside the VPC that security groups let in.
  for (const rule of [...index.byType("aws_vpc_security_group_ingress_rule"), ...index.byType("aws_security_group_rule").filter((x) => x.config.type === "ingress")]) {
    const group = index.resolveReference(rule.config.security_group_id);
    if (!group || !isNode.has(group)) continue;
    const cidrs = [rule.config.cidr_ipv4, rule.config.cidr_ipv6, ...(rule.config.cidr_blocks ?? [])].filter((x): x is string => typeof x === "string");
    for (const cidr of cidrs) {
      const id = `cidr:${cidr}`;
      if (!nodes.some((n) => n.id === id)) nodes.push({ id, type: "cidr", label: isWorldOpen(cidr) ? `internet\n${cidr}` : cidr });
      const ports = rule.config.from_port === undefined ? "all" : rule.config.from_port === rule.config.to_port ? `${rule.config.from_port}` : `${rule.config.from_port}-${rule.config.to_port}`;
      edges.set(`${id}->${address(group)}:${ports}`, { from: id, to: address(group), via: `${rule.config.ip_protocol ?? rule.config.protocol ?? ""} ${ports}`.trim() });
    }
  }

  return { stack, nodes, edges: [...edges.values()], clusters };
}

/**
 * Which end of a glue resource's edges is the source: the caller (API,
 * rule, peer group, role) first, so arrows read "who uses whom".
 */
function orderForGlue(g: ResourceView, named: ResourceView[], index: StackIndex): ResourceView[] {
  const c = g.config;
  const ref = (v: unknown) => (v === undefined ? undefined : index.referencesIn(v)[0]);
  const first =
    ref(c.source_arn) ?? ref(c.rule) ?? ref(c.referenced_security_group_id) ?? ref(c.role) ?? ref(c.rest_api_id) ?? ref(c.autoscaling_group_name);
  const head = first && named.includes(first) ? first : named[0];
  return [head, ...named.filter((n) => n !== head)];
}

const q = (s: string) => `"${s.replace(/"/g, '\\"')}"`;

/** Graphviz DOT text for a diagram. */
export function toDot(d: Diagram): string {
  const out = [
    `digraph ${q(d.stack)} {`,
    `  graph [rankdir=LR, fontname="Helvetica", fontsize=12, label=${q(`${d.stack} (generated by npm run diagram)`)}, labelloc=t, compound=true, nodesep=0.4, ranksep=0.7];`,
    '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10];',
    '  edge [fontname="Helvetica", fontsize=8, color="#555555"];',
  ];
  const children = (parent: string | undefined): string[] => {
    const lines: string[] = [];
    for (const c of d.clusters.filter((x) => x.parent === parent)) {
      lines.push(`subgraph ${q(`cluster_${c.id}`)} {`, `  label=${q(c.label)}; style="rounded"; color="#888888";`);
      lines.push(...children(c.id).map((l) => `  ${l}`));
      lines.push("}");
    }
    for (const n of d.nodes.filter((x) => x.cluster === parent)) {
      const shape = n.type === "cidr" ? ", shape=ellipse" : "";
      lines.push(`${q(n.id)} [label=${q(n.label)}, fillcolor=${q(NODE_TYPES[n.type]?.color ?? "#ffffff")}${shape}];`);
    }
    return lines;
  };
  out.push(...children(undefined).map((l) => `  ${l}`));
  for (const e of d.edges) {
    out.push(`  ${q(e.from)} -> ${q(e.to)}${e.via ? ` [style=dashed, label=${q(e.via.replace(/^aws_/, ""))}]` : ""};`);
  }
  out.push("}");
  return out.join("\n");
}
