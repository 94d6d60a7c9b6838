/**
 * Builds an architecture view of one stack from its synthesized Terraform
 * JSON: the VPC with its availability zones and subnets as nested boxes,
 * the things a reader cares about (load balancers, target groups, groups,
 * services, functions, tables, queues, buckets, ...) as nodes, and between
 * them the request path (internet -> load balancer -> target group ->
 * instances/services -> tables) as solid arrows, management (scheduling,
 * scaling, capacity, alarms, dead letters, image pulls) as dashed ones.
 *
 * Every managed resource of the stack appears: either as a node, or folded
 * into one (a role into the function it runs, a listener into its load
 * balancer, a listener rule into the target group it forwards to, a route
 * table into the gateway it routes to), or into a VPC / subnet box. Each
 * label shows how many resources it folds, and each node's tooltip lists
 * their addresses, so the SVG itself accounts for the whole stack.
 * Rendered to Graphviz DOT; `tools/diagram.ts` runs `dot -Tsvg`.
 */
import { indexStack } from "../modules/policy/stack-index";
import type { ResourceView, StackIndex } from "../modules/policy/rule";
import { isWorldOpen } from "../modules/network/cidr";

/** What a node is, for its colour and for which edges count as the request path. */
export type NodeKind = "source" | "edge" | "network" | "loadbalancing" | "compute" | "control" | "data";

/** Types drawn as nodes: a title and what kind of thing they are. Everything else is folded. */
export const NODE_TYPES: Readonly<Record<string, { title: string; kind: NodeKind }>> = {
  aws_cloudfront_distribution: { title: "CloudFront", kind: "edge" },
  aws_api_gateway_rest_api: { title: "API Gateway (REST)", kind: "edge" },
  aws_apigatewayv2_api: { title: "API Gateway (HTTP)", kind: "edge" },
  aws_internet_gateway: { title: "internet gateway", kind: "network" },
  aws_nat_gateway: { title: "NAT gateway", kind: "network" },
  aws_vpc_endpoint: { title: "VPC endpoints", kind: "network" },
  aws_lb: { title: "load balancer", kind: "loadbalancing" },
  aws_alb: { title: "load balancer", kind: "loadbalancing" },
  aws_lb_target_group: { title: "target group", kind: "loadbalancing" },
  aws_instance: { title: "EC2 instance", kind: "compute" },
  aws_autoscaling_group: { title: "Auto Scaling group", kind: "compute" },
  aws_ecs_service: { title: "ECS service", kind: "compute" },
  aws_ecs_task_definition: { title: "ECS task (RunTask)", kind: "compute" },
  aws_lambda_function: { title: "Lambda", kind: "compute" },
  aws_ecs_cluster: { title: "ECS cluster", kind: "control" },
  aws_cloudwatch_event_rule: { title: "EventBridge rule", kind: "control" },
  aws_cloudwatch_metric_alarm: { title: "CloudWatch alarm", kind: "control" },
  aws_ecr_repository: { title: "ECR repository", kind: "control" },
  aws_dynamodb_table: { title: "DynamoDB table", kind: "data" },
  aws_s3_bucket: { title: "S3 bucket", kind: "data" },
  aws_sqs_queue: { title: "SQS queue", kind: "data" },
  aws_sns_topic: { title: "SNS topic", kind: "data" },
};

export const KIND_COLORS: Readonly<Record<NodeKind, string>> = {
  source: "#ffffff",
  edge: "#f5c6de",
  network: "#e4d9fb",
  loadbalancing: "#c9b3f5",
  compute: "#f7c49a",
  control: "#eeeeee",
  data: "#b6c8f4",
};

/** Short names of folded resource types, for the "+N folded" line. */
const FOLD_NAMES: Readonly<Record<string, string>> = {
  aws_iam_role: "IAM",
  aws_iam_role_policy: "IAM",
  aws_iam_role_policy_attachment: "IAM",
  aws_iam_instance_profile: "IAM",
  aws_iam_policy: "IAM",
  aws_security_group: "SG",
  aws_vpc_security_group_ingress_rule: "SG",
  aws_vpc_security_group_egress_rule: "SG",
  aws_security_group_rule: "SG",
  aws_default_security_group: "SG",
  aws_cloudwatch_log_group: "logs",
  aws_launch_template: "template",
  aws_lb_listener: "listener",
  aws_lb_listener_rule: "rule",
  aws_route_table: "routes",
  aws_route: "routes",
  aws_route_table_association: "routes",
  aws_autoscaling_policy: "scaling",
  aws_appautoscaling_target: "scaling",
  aws_appautoscaling_policy: "scaling",
  aws_ecs_task_definition: "task def",
  aws_ecs_capacity_provider: "capacity",
  aws_ecs_cluster_capacity_providers: "capacity",
  aws_lambda_permission: "permission",
  aws_cloudwatch_event_target: "target",
  aws_cloudfront_origin_access_control: "OAC",
  aws_vpc_endpoint: "endpoint",
};

export interface DiagramNode {
  readonly id: string;
  readonly kind: NodeKind;
  /** First line, bold: what it is ("load balancer"). */
  readonly title: string;
  /** Further lines: its name, then facts (ports, sizes, subnets, what is folded). */
  readonly lines: readonly string[];
  /** Addresses of the resources this node stands for: its own first, then the folded ones. */
  readonly members: readonly string[];
  /** Cluster id (VPC or subnet) the node sits in, if any. */
  readonly cluster?: string;
}

export interface DiagramEdge {
  readonly from: string;
  readonly to: string;
  /** `request`: the path a request or its data takes (solid); `management`: control, scaling, failures (dashed). */
  readonly kind: "request" | "management";
  readonly label?: string;
}

export interface DiagramCluster {
  readonly id: string;
  readonly kind: "vpc" | "az" | "subnet";
  readonly label: string;
  readonly parent?: string;
  /** Addresses of the resources the box stands for (the VPC, a subnet, their plumbing). */
  readonly members: readonly string[];
}

export interface Diagram {
  readonly stack: string;
  readonly nodes: readonly DiagramNode[];
  readonly edges: readonly DiagramEdge[];
  readonly clusters: readonly DiagramCluster[];
}

export const address = (r: ResourceView) => `${r.mode === "data" ? "data." : ""}${r.type}.${r.name}`;

/** `web-fleet/Fleet/BaseGroup/Resource` -> `Fleet/BaseGroup`; `Default` parts left out, as in Terraform addresses (`Site/Default/Bucket` -> `Site/Bucket`). */
export function shortPath(r: ResourceView, stack: string): string {
  return r.path.replace(new RegExp(`^${stack}/`), "").replace(/\/Resource$/, "").replace(/(^|\/)Default(?=\/|$)/g, "").replace(/^\//, "") || r.name;
}

/** A readable name: the construct path without the parts every node shares. */
function displayName(r: ResourceView, stack: string): string {
  const parts = shortPath(r, stack).split("/");
  return parts.length > 2 ? parts.slice(-2).join("/") : parts.join("/");
}

const PORT_NAMES: Readonly<Record<number, string>> = { 22: "SSH", 80: "HTTP", 443: "HTTPS", 8888: "Jupyter" };

function portLabel(protocol: unknown, from: unknown, to: unknown): string {
  if (from === undefined || String(protocol) === "-1") return "all traffic";
  const range = from === to ? `${from}` : `${from}-${to}`;
  return `${PORT_NAMES[Number(from)] && from === to ? PORT_NAMES[Number(from)] : String(protocol ?? "tcp")} :${range}`;
}

/** `["dynamodb:Scan", "dynamodb:PutItem", ...]` -> `Scan, PutItem +2`. */
function actionsLabel(actions: readonly string[]): string {
  const short = [...new Set(actions.map((a) => a.replace(/^[a-z0-9-]+:/, "")))];
  for (let n = short.length; n > 1; n--) {
    const text = short.slice(0, n).join(", ") + (n < short.length ? ` +${short.length - n}` : "");
    if (text.length <= 28) return text;
  }
  return short.length > 1 ? `${short[0]} +${short.length - 1}` : short.join("");
}

/** Families of folded types, by prefix, when no short name is listed. */
const FOLD_FAMILIES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^aws_api_gateway_|^aws_apigatewayv2_/, "API parts"],
  [/^aws_s3_object$/, "objects"],
  [/^aws_s3_bucket_/, "bucket config"],
  [/^aws_ecr_/, "repo config"],
  [/^aws_sqs_|^aws_sns_/, "queue policy"],
];

function foldName(type: string): string {
  return FOLD_NAMES[type] ?? FOLD_FAMILIES.find(([re]) => re.test(type))?.[1] ?? type.replace(/^aws_/, "").replace(/_/g, " ");
}

/** `+5 folded: IAM 3, logs, SG` (counts by short type name). */
function foldedLine(folded: readonly ResourceView[]): string | undefined {
  if (!folded.length) return undefined;
  const counts = new Map<string, number>();
  for (const r of folded) counts.set(foldName(r.type), (counts.get(foldName(r.type)) ?? 0) + 1);
  const parts = [...counts].map(([n, c]) => (c > 1 ? `${n} ${c}` : n));
  return `+${folded.length} folded: ${parts.join(", ")}`;
}

/** The folded line on its own rows: `+5 folded:`, then the counts. */
function foldedLines(folded: readonly ResourceView[]): string[] {
  const line = foldedLine(folded);
  if (!line) return [];
  const [head, rest] = line.split(/(?<=folded:) /);
  return [head, ...wrap(rest)];
}

/** Breaks a line at ", " so no line is longer than `max` characters. */
function wrap(line: string, max = 24): string[] {
  if (line.length <= max) return [line];
  const out: string[] = [];
  let cur = "";
  const pieces = line.split(/(?<=, |: )/).flatMap((p) => (p.length > max ? p.split(/(?<= |\/)/) : [p]));
  for (const piece of pieces) {
    if (cur && (cur + piece).trimEnd().length > max) {
      out.push(cur.trimEnd());
      cur = piece;
    } else cur += piece;
  }
  if (cur.trim()) out.push(cur.trimEnd());
  return out;
}

/** Resources named in `depends_on` (plain addresses, not `${...}` expressions). */
function dependsOn(r: ResourceView, byAddress: Map<string, ResourceView>): ResourceView[] {
  const list: unknown[] = Array.isArray(r.config.depends_on) ? r.config.depends_on : [];
  return list.map((a) => byAddress.get(String(a))).filter((x): x is ResourceView => !!x);
}

/** Types whose owner is whoever uses them (a role belongs to the function that assumes it). */
const OWNED_BY_USER = new Set([
  "aws_iam_role",
  "aws_iam_instance_profile",
  "aws_launch_template",
  "aws_security_group",
  "aws_ecs_task_definition",
  "aws_cloudwatch_log_group",
  "terraform_data",
  "aws_route_table",
]);

/** For glue that names several things, the arguments that name its owner, tried in order. */
const OWNER_ARGUMENT: Readonly<Record<string, string | readonly string[]>> = {
  aws_lambda_permission: "function_name",
  aws_vpc_security_group_ingress_rule: "security_group_id",
  aws_vpc_security_group_egress_rule: "security_group_id",
  aws_security_group_rule: "security_group_id",
  aws_route_table_association: ["subnet_id", "gateway_id"],
  aws_cloudwatch_event_target: "rule",
  aws_lb_listener: "load_balancer_arn",
  aws_lb_listener_rule: "action",
  aws_sqs_queue_policy: "queue_url",
  aws_appautoscaling_target: "resource_id",
  aws_appautoscaling_policy: "resource_id",
  aws_ecs_cluster_capacity_providers: "cluster_name",
  aws_autoscaling_policy: "autoscaling_group_name",
  aws_route: ["gateway_id", "nat_gateway_id", "transit_gateway_id", "vpc_endpoint_id", "route_table_id"],
  aws_iam_role_policy: "role",
  aws_iam_role_policy_attachment: "role",
  aws_api_gateway_account: "cloudwatch_role_arn",
};

/** Arguments that name the owner of any other glue: its API, bucket, repository, queue. */
const OWNER_ARGUMENTS_ANY = ["rest_api_id", "api_id", "bucket", "repository", "queue_url"];

/** Which of several candidate owners wins: the most specific thing first. */
const OWNER_PRIORITY = ["aws_ecs_service", "aws_lambda_function", "aws_autoscaling_group", "aws_instance", "aws_lb_target_group", "aws_lb"];

/** The diagram of one stack. */
export function buildDiagram(stack: string, tf: object): Diagram {
  const index: StackIndex = indexStack(stack, tf as never);
  const outputs = Object.values(((tf as { output?: Record<string, { value?: unknown }> }).output ?? {}) as Record<string, { value?: unknown }>);
  const byAddress = new Map(index.resources.map((r) => [address(r), r] as const));
  const refs = new Map(index.resources.map((r) => [r, index.referencesIn(r.config).filter((x) => x.mode !== "data")] as const));
  const referrers = new Map<ResourceView, ResourceView[]>(index.resources.map((r) => [r, []]));
  for (const r of index.resources) {
    for (const t of [...refs.get(r)!, ...dependsOn(r, byAddress)]) if (t !== r && !referrers.get(t)!.includes(r)) referrers.get(t)!.push(r);
  }
  const usedByService = (r: ResourceView) => referrers.get(r)!.some((x) => x.type === "aws_ecs_service");

  // Nodes: the types a reader cares about (a task definition only when no service runs it).
  // All VPC endpoints of a VPC are one node (they serve the same subnets).
  const endpoints = index.byType("aws_vpc_endpoint");
  // A load balancer's access-log bucket is part of the load balancer (folded into it), not a data store of its own.
  const lbLogBucket = (r: ResourceView) =>
    r.type === "aws_s3_bucket" && [...index.byType("aws_lb"), ...index.byType("aws_alb")].some((lb) => index.referencesIn(lb.config.access_logs).includes(r));
  const isNode = (r: ResourceView) =>
    !!NODE_TYPES[r.type] &&
    !(r.type === "aws_ecs_task_definition" && usedByService(r)) &&
    !(r.type === "aws_vpc_endpoint" && r !== endpoints[0]) &&
    !lbLogBucket(r);
  const nodeResources = index.resources.filter(isNode);

  // Boxes: VPC > availability zone > subnet.
  const clusters = new Map<string, { id: string; kind: DiagramCluster["kind"]; label: string; parent?: string; members: ResourceView[] }>();
  const subnetOf = new Map<ResourceView, string>();
  for (const vpc of index.byType("aws_vpc")) clusters.set(address(vpc), { id: address(vpc), kind: "vpc", label: `VPC ${vpc.config.cidr_block ?? ""}`.trim(), members: [vpc] });
  const subnets = index.byType("aws_subnet");
  for (const s of subnets) {
    const vpc = index.resolveReference(s.config.vpc_id);
    const az = String(s.config.availability_zone_id ?? s.config.availability_zone ?? "zone ?");
    const azId = `${vpc ? address(vpc) : "novpc"}/az/${az}`;
    if (!clusters.has(azId)) clusters.set(azId, { id: azId, kind: "az", label: `AZ ${az}`, parent: vpc ? address(vpc) : undefined, members: [] });
    const tier = String(s.config.tags?.Tier ?? s.config.tags?.Name ?? shortPath(s, stack).split("/").pop()).replace(new RegExp(`-?${az}$`), "");
    clusters.set(address(s), { id: address(s), kind: "subnet", label: `${tier} ${s.config.cidr_block ?? ""}`.trim(), parent: azId, members: [s] });
    subnetOf.set(s, address(s));
  }
  const tierOf = (s: ResourceView) => clusters.get(address(s))!.label.replace(/ .*/, "");
  const zoneOf = (s: ResourceView) => String(s.config.availability_zone_id ?? s.config.availability_zone ?? "").replace(/^.*-/, "");
  /** `public az1, az4` for the subnets a node spans. */
  const subnetNames = (sn: ResourceView[]) => {
    const byTier = new Map<string, string[]>();
    for (const s of sn) byTier.set(tierOf(s), [...(byTier.get(tierOf(s)) ?? []), zoneOf(s)]);
    return [...byTier].map(([t, zs]) => `${t} ${zs.join(", ")}`).join("; ");
  };

  // Every other resource is folded into its owner: a node, or a box.
  const owner = new Map<ResourceView, ResourceView>();
  const resolving = new Set<ResourceView>();
  const hostOf = (r: ResourceView): ResourceView | undefined => {
    if (!referrers.has(r)) return undefined;
    if (isNode(r) || clusters.has(address(r))) return r;
    if (owner.has(r)) return owner.get(r);
    if (resolving.has(r)) return undefined;
    resolving.add(r);
    const pick = (candidates: ResourceView[]): ResourceView | undefined => {
      const hosts = candidates.map(hostOf).filter((x): x is ResourceView => !!x);
      const rank = (h: ResourceView) => {
        const i = OWNER_PRIORITY.indexOf(h.type);
        return i < 0 ? OWNER_PRIORITY.length : i;
      };
      return [...hosts].sort((a, b) => rank(a) - rank(b))[0];
    };
    const outgoing = refs.get(r)!;
    let host: ResourceView | undefined = r.type === "aws_vpc_endpoint" ? endpoints[0] : undefined;
    for (const arg of [OWNER_ARGUMENT[r.type] ?? OWNER_ARGUMENTS_ANY].flat()) {
      if (!host && r.config[arg] !== undefined) host = pick(index.referencesIn(r.config[arg]).filter((x) => x.mode !== "data"));
    }
    // Users: referrers that are not glue owned by something else (a rule naming this group as its peer).
    const users = referrers.get(r)!.filter((x) => !OWNER_ARGUMENT[x.type] || x.type === "aws_api_gateway_account" || x.type === "aws_route");
    const network = (x: ResourceView) => x.type === "aws_vpc" || x.type === "aws_subnet";
    if (!host && OWNED_BY_USER.has(r.type)) host = pick(users);
    if (!host) host = pick(outgoing.filter((x) => !network(x))) ?? outputNeighbour(r) ?? pick(outgoing) ?? pick(users) ?? constructNeighbour(r);
    resolving.delete(r);
    if (host) owner.set(r, host);
    return host;
  };
  // A resource only outputs name (a security group for RunTask) belongs with the task those outputs run.
  const outputNeighbour = (r: ResourceView): ResourceView | undefined => {
    if (!outputs.some((o) => index.referencesIn(o.value).includes(r))) return undefined;
    return nodeResources.find((n) => n.type === "aws_ecs_task_definition");
  };
  // Last resort: the node nearest in the construct tree (`Api/Account` belongs with `Api`).
  const constructNeighbour = (r: ResourceView): ResourceView | undefined => {
    const parts = shortPath(r, stack).split("/");
    let best: ResourceView | undefined;
    let bestLength = 0;
    for (const n of nodeResources) {
      const other = shortPath(n, stack).split("/");
      let k = 0;
      while (k < parts.length && k < other.length && parts[k] === other[k]) k++;
      if (k > bestLength) [best, bestLength] = [n, k];
    }
    return best;
  };
  const unaccounted: ResourceView[] = [];
  for (const r of index.resources) if (!hostOf(r)) unaccounted.push(r);

  const foldedInto = new Map<ResourceView, ResourceView[]>();
  for (const [r, h] of owner) {
    if (r === h) continue;
    const hh = hostOf(h)!;
    if (!foldedInto.has(hh)) foldedInto.set(hh, []);
    foldedInto.get(hh)!.push(r);
  }
  const groupOf = (r: ResourceView) => [r, ...(foldedInto.get(r) ?? [])];

  // Placement: one subnet -> its box; several subnets or only a VPC -> the VPC box; else outside.
  const subnetsNamedBy = (rs: ResourceView[]) => [...new Set(rs.flatMap((x) => refs.get(x)!.filter((t) => t.type === "aws_subnet")))];
  const placement = (r: ResourceView): { cluster?: string; subnets: ResourceView[] } => {
    const group = groupOf(r).filter((x) => x.type !== "aws_security_group" || x === r);
    let sn = subnetsNamedBy([r, ...group.filter((x) => x.type === "aws_launch_template")]);
    if (!sn.length && r.type === "aws_ecs_task_definition") sn = [...new Set(outputs.flatMap((o) => index.referencesIn(o.value).filter((t) => t.type === "aws_subnet")))];
    if (sn.length === 1) return { cluster: address(sn[0]), subnets: sn };
    const vpcs = [...new Set([...sn.map((s) => index.resolveReference(s.config.vpc_id)), ...group.flatMap((x) => refs.get(x)!.filter((t) => t.type === "aws_vpc"))])].filter(
      (v): v is ResourceView => !!v,
    );
    if (r.type === "aws_ecs_service" && !sn.length) {
      // Bridge or host mode: the tasks run on the capacity provider's instances.
      const asg = capacityGroupOf(r);
      if (asg) return placement(asg);
    }
    return { cluster: vpcs.length === 1 ? address(vpcs[0]) : undefined, subnets: sn };
  };
  const capacityGroupOf = (service: ResourceView): ResourceView | undefined => {
    for (const cp of refs.get(service)!.filter((x) => x.type === "aws_ecs_capacity_provider")) {
      const asg = index.resolveReference(cp.config.auto_scaling_group_provider?.auto_scaling_group_arn);
      if (asg) return asg;
    }
    return undefined;
  };

  const facts = (r: ResourceView): string[] => describe(r, groupOf(r));
  const spans = new Map<string, ResourceView[]>();
  const nodes: DiagramNode[] = nodeResources.map((r) => {
    const where = placement(r);
    const folded = foldedInto.get(r) ?? [];
    const lines = [displayName(r, stack), ...facts(r)];
    if (where.subnets.length > 1) lines.push(`in ${subnetNames(where.subnets)}`);
    spans.set(address(r), where.subnets);
    return {
      id: address(r),
      kind: NODE_TYPES[r.type].kind,
      title: NODE_TYPES[r.type].title,
      lines: [...lines.flatMap((l) => wrap(l)), ...foldedLines(folded)],
      members: [address(r), ...folded.map(address)],
      cluster: where.cluster,
    };
  });
  for (const r of unaccounted) {
    // Nothing to fold into: drawn on its own, so it still appears.
    nodes.push({ id: address(r), kind: "control", title: r.type.replace(/^aws_/, "").replace(/_/g, " "), lines: [displayName(r, stack)], members: [address(r)] });
  }
  const nodeIds = new Set(nodes.map((n) => n.id));
  const hostId = (r: ResourceView | undefined) => {
    const h = r && hostOf(r);
    return h && nodeIds.has(address(h)) ? address(h) : undefined;
  };

  // Edges.
  const edges: DiagramEdge[] = [];
  /** Groups named in an ARN by name (`...:autoScalingGroupName/<name>`), as IAM statements write them. */
  const byArnName = (arn: string): ResourceView[] => {
    const m = /:autoScalingGroupName\/([^*"}]+)$/.exec(arn);
    return m ? index.byType("aws_autoscaling_group").filter((g) => g.config.name === m[1]) : [];
  };
  const addEdge = (from: string | undefined, to: string | undefined, kind: DiagramEdge["kind"], label?: string) => {
    if (!from || !to || from === to) return;
    const same = edges.find((e) => e.from === from && e.to === to && e.kind === kind);
    if (same) {
      if (label && !(same.label ?? "").split("\n").includes(label)) (same as { label?: string }).label = same.label ? `${same.label}\n${label}` : label;
      return;
    }
    edges.push({ from, to, kind, label });
  };
  const addSource = (id: string, title: string, lines: string[]) => {
    if (!nodeIds.has(id)) {
      nodes.unshift({ id, kind: "source", title, lines, members: [] });
      nodeIds.add(id);
    }
    return id;
  };
  const internet = () => addSource("internet", "internet", []);
  const igwFor = (nodeId: string): string | undefined => {
    const node = nodes.find((n) => n.id === nodeId);
    const cluster = node?.cluster ? clusters.get(node.cluster) : undefined;
    const vpcId = cluster?.kind === "vpc" ? cluster.id : cluster?.kind === "subnet" ? clusters.get(clusters.get(cluster.parent!)!.parent!)?.id : undefined;
    const igw = index.byType("aws_internet_gateway").find((g) => vpcId && index.resolveReference(g.config.vpc_id) && address(index.resolveReference(g.config.vpc_id)!) === vpcId);
    return igw ? address(igw) : undefined;
  };

  // 1. Who may connect from outside: ingress rules with an address range, through the internet gateway.
  const ingress = [...index.byType("aws_vpc_security_group_ingress_rule"), ...index.byType("aws_security_group_rule").filter((x) => x.config.type === "ingress")];
  for (const rule of ingress) {
    const target = hostId(index.resolveReference(rule.config.security_group_id));
    if (!target) continue;
    const cidrs = [rule.config.cidr_ipv4, rule.config.cidr_ipv6, ...(rule.config.cidr_blocks ?? [])].filter((x): x is string => typeof x === "string");
    const label = portLabel(rule.config.ip_protocol ?? rule.config.protocol, rule.config.from_port, rule.config.to_port);
    for (const cidr of cidrs) {
      const source = isWorldOpen(cidr) ? internet() : addSource(`cidr:${cidr}`, "allowed clients", [cidr]);
      const igw = igwFor(target);
      if (igw) {
        addEdge(source, igw, "request");
        addEdge(igw, target, "request", label);
      } else addEdge(source, target, "request", label);
    }
    // Peer security groups: the hop from one node to the next (load balancer -> instances) is drawn below.
  }
  // 2. Public entry points without a security group.
  for (const r of [...index.byType("aws_cloudfront_distribution"), ...index.byType("aws_apigatewayv2_api")]) addEdge(internet(), address(r), "request", "HTTPS");
  for (const api of index.byType("aws_api_gateway_rest_api")) {
    const fronted = index.byType("aws_cloudfront_distribution").some((d) => refs.get(d)!.includes(api));
    if (!fronted) addEdge(internet(), address(api), "request", "HTTPS");
  }
  for (const d of index.byType("aws_cloudfront_distribution")) {
    for (const o of [d.config.origin ?? []].flat()) for (const t of index.referencesIn(o)) addEdge(address(d), hostId(t), "request", "origin");
  }
  // 3. API routes to their integrations: `GET /haiku`.
  for (const integration of index.byType("aws_api_gateway_integration")) {
    const api = hostId(index.resolveReference(integration.config.rest_api_id));
    const target = refs.get(integration)!.map(hostId).find((h) => h && h !== api && !h.startsWith("aws_api_gateway"));
    const method = index.resolveReference(integration.config.http_method)?.config.http_method ?? integration.config.http_method;
    addEdge(api, target, "request", `${method} ${apiPath(index.resolveReference(integration.config.resource_id), index)}`);
  }
  for (const integration of index.byType("aws_apigatewayv2_integration")) {
    const api = hostId(index.resolveReference(integration.config.api_id));
    addEdge(api, hostId(index.resolveReference(integration.config.integration_uri)), "request");
  }
  // 4. Load balancer -> target groups (default action, path rules) -> what registers in them.
  for (const listener of index.byType("aws_lb_listener")) {
    const lb = hostId(index.resolveReference(listener.config.load_balancer_arn));
    const port = `${listener.config.protocol ?? ""} :${listener.config.port ?? ""}`.trim();
    for (const a of [listener.config.default_action ?? []].flat()) addEdge(lb, hostId(index.resolveReference(a.target_group_arn)), "request", `${port} default`);
    for (const rule of index.referencing("aws_lb_listener_rule", listener, "listener_arn")) {
      const paths = [rule.config.condition ?? []].flat().flatMap((c: any) => [c.path_pattern ?? []].flat().flatMap((p: any) => p.values ?? []));
      for (const a of [rule.config.action ?? []].flat()) addEdge(lb, hostId(index.resolveReference(a.target_group_arn)), "request", paths.join(" ") || `priority ${rule.config.priority}`);
    }
  }
  for (const tg of index.byType("aws_lb_target_group")) {
    const label = `${tg.config.protocol ?? ""} :${tg.config.port ?? ""}`.trim();
    for (const asg of index.byType("aws_autoscaling_group")) {
      if ([asg.config.target_group_arns ?? []].flat().some((x: unknown) => index.resolveReference(x) === tg)) addEdge(address(tg), hostId(asg), "request", label);
    }
    for (const att of index.byType("aws_lb_target_group_attachment").filter((a) => index.resolveReference(a.config.target_group_arn) === tg)) {
      addEdge(address(tg), hostId(index.resolveReference(att.config.target_id)), "request", label);
    }
    for (const svc of index.byType("aws_ecs_service")) {
      for (const lbBlock of [svc.config.load_balancer ?? []].flat()) {
        if (index.resolveReference(lbBlock.target_group_arn) === tg) addEdge(address(tg), hostId(svc), "request", `container :${lbBlock.container_port}`);
      }
    }
  }
  // 6. Management: ECS scheduling and capacity, image pulls, events, alarms, dead letters.
  for (const svc of index.byType("aws_ecs_service")) addEdge(hostId(index.resolveReference(svc.config.cluster)), hostId(svc), "management", "schedules");
  for (const cp of index.byType("aws_ecs_cluster_capacity_providers")) {
    const cluster = hostId(index.resolveReference(cp.config.cluster_name));
    for (const name of [cp.config.capacity_providers ?? []].flat()) {
      const provider = index.resolveReference(name);
      addEdge(cluster, hostId(index.resolveReference(provider?.config.auto_scaling_group_provider?.auto_scaling_group_arn)), "management", "capacity provider");
    }
  }
  for (const td of nodeResources.filter((r) => r.type === "aws_ecs_task_definition")) {
    const cluster = outputs.flatMap((o) => index.referencesIn(o.value)).find((t) => t.type === "aws_ecs_cluster");
    addEdge(hostId(cluster), address(td), "management", "RunTask");
  }
  for (const td of index.byType("aws_ecs_task_definition")) {
    for (const repo of refs.get(td)!.filter((t) => t.type === "aws_ecr_repository")) addEdge(address(repo), hostId(td), "management", "image");
  }
  for (const target of index.byType("aws_cloudwatch_event_target")) {
    const rule = hostId(index.resolveReference(target.config.rule));
    addEdge(rule, hostId(index.resolveReference(target.config.arn)), "management", "event");
    addEdge(rule, hostId(index.resolveReference(target.config.dead_letter_config?.arn)), "management", "undelivered");
  }
  for (const fn of index.byType("aws_lambda_function")) {
    addEdge(address(fn), hostId(index.resolveReference(fn.config.dead_letter_config?.target_arn)), "management", "failed events");
  }
  for (const m of index.byType("aws_lambda_event_source_mapping")) {
    addEdge(hostId(index.resolveReference(m.config.event_source_arn)), hostId(index.resolveReference(m.config.function_name)), "request", "batches");
  }
  for (const alarm of index.byType("aws_cloudwatch_metric_alarm")) {
    const action = [alarm.config.alarm_actions ?? []].flat().map((a: string) => /:ec2:(stop|terminate|reboot|recover)$/.exec(String(a))?.[1]).find(Boolean);
    for (const t of index.referencesIn(alarm.config.dimensions)) addEdge(address(alarm), hostId(t), "management", action ?? "alarm");
    for (const t of index.referencesIn(alarm.config.alarm_actions)) addEdge(address(alarm), hostId(t), "management", "alarm");
  }

  // 7. What compute may call, from its roles' policies: data stores on the request path, the rest as management.
  for (const policy of [...index.byType("aws_iam_role_policy"), ...index.byType("aws_iam_policy")]) {
    const from = hostId(policy);
    if (!from) continue;
    for (const st of statementsOf(policy, index)) {
      for (const t of [...st.resources, ...st.arns.flatMap((arn) => byArnName(arn))]) {
        const to = hostId(t);
        const target = to ? byAddress.get(to) : undefined;
        // Image pulls are drawn from the task definition, dead letters from the function.
        if (!target || to === from || target.type === "aws_ecr_repository" || edges.some((e) => e.from === from && e.to === to)) continue;
        addEdge(from, to, NODE_TYPES[target.type]?.kind === "data" ? "request" : "management", actionsLabel(st.actions));
      }
    }
  }
  // 8. Data stores a task is told about (environment) but no policy names: still on its path.
  for (const td of index.byType("aws_ecs_task_definition")) {
    for (const t of refs.get(td)!.filter((x) => NODE_TYPES[x.type]?.kind === "data")) {
      if (!edges.some((e) => e.from === hostId(td) && e.to === address(t))) addEdge(hostId(td), address(t), "request");
    }
  }

  // Empty subnet boxes still show: a note says what lives there and how it routes.
  const clusterList: DiagramCluster[] = [...clusters.values()].map((c) => {
    const members = c.kind === "az" ? [] : c.members.flatMap((m) => groupOf(m));
    const f = foldedLine(members.slice(1));
    return { id: c.id, kind: c.kind, label: f ? `${c.label} (+${members.length - 1} folded)` : c.label, parent: c.parent, members: members.map(address) };
  });
  // Zones and subnets in a stable, natural order (az1 before az4).
  clusterList.sort((a, b) => (a.kind === b.kind ? a.label.localeCompare(b.label, "en", { numeric: true }) : 0));
  for (const s of subnets) {
    if (nodes.some((n) => n.cluster === address(s))) continue;
    const counts = new Map<string, number>();
    for (const n of nodes.filter((x) => spans.get(x.id)?.includes(s))) counts.set(n.title, (counts.get(n.title) ?? 0) + 1);
    const users = [...counts].map(([t, c]) => (c > 1 ? `${c}× ${t}` : t));
    const route = subnetRoute(s, index);
    nodes.push({
      id: `note:${address(s)}`,
      kind: "source",
      title: "",
      lines: [...(users.length ? users : ["nothing of its own"]), route],
      members: [],
      cluster: address(s),
    });
  }
  return { stack, nodes, edges, clusters: clusterList };
}

/** `/haiku/{item_id}` from an API Gateway resource and its parents. */
function apiPath(resource: ResourceView | undefined, index: StackIndex): string {
  const parts: string[] = [];
  for (let r = resource, depth = 0; r && r.type === "aws_api_gateway_resource" && depth < 20; depth++) {
    parts.unshift(String(r.config.path_part));
    r = index.resolveReference(r.config.parent_id);
  }
  return `/${parts.join("/")}`;
}

/** Where a subnet's traffic leaves: through the internet gateway, a NAT gateway, or nowhere. */
function subnetRoute(subnet: ResourceView, index: StackIndex): string {
  const tables = index.referencing("aws_route_table_association", subnet, "subnet_id").map((a) => index.resolveReference(a.config.route_table_id));
  const routes = index.byType("aws_route").filter((r) => tables.includes(index.resolveReference(r.config.route_table_id)));
  const to = (r: ResourceView) => index.resolveReference(r.config.gateway_id ?? r.config.nat_gateway_id)?.type;
  if (routes.some((r) => to(r) === "aws_internet_gateway")) return "route out: internet gateway";
  if (routes.some((r) => to(r) === "aws_nat_gateway")) return "route out: NAT gateway";
  return "no route out";
}

interface Statement {
  readonly actions: string[];
  readonly resources: ResourceView[];
  /** The resource strings themselves, for ARNs built from names. */
  readonly arns: string[];
}

/** The statements of a role policy: from its policy document data source, or its inline JSON. */
function statementsOf(policy: ResourceView, index: StackIndex): Statement[] {
  const doc = index.referencesIn(policy.config.policy).find((d) => d.mode === "data");
  if (doc) {
    return [doc.config.statement ?? []].flat().filter((s: any) => (s.effect ?? "Allow") === "Allow").map((s: any) => ({
      actions: [s.actions ?? []].flat().map(String),
      resources: index.referencesIn(s.resources).filter((x) => x.mode !== "data"),
      arns: [s.resources ?? []].flat().map(String),
    }));
  }
  try {
    const parsed = JSON.parse(String(policy.config.policy));
    return [parsed.Statement ?? []].flat().filter((s: any) => (s.Effect ?? "Allow") === "Allow").map((s: any) => ({
      actions: [s.Action ?? []].flat().map(String),
      resources: index.referencesIn(s.Resource).filter((x) => x.mode !== "data"),
      arns: [s.Resource ?? []].flat().map(String),
    }));
  } catch {
    return [];
  }
}

/** The facts worth a line on a node: sizes, ports, keys, runtimes. */
function describe(r: ResourceView, group: ResourceView[]): string[] {
  const c = r.config;
  const lt = group.find((x) => x.type === "aws_launch_template");
  const type = c.instance_type ?? lt?.config.instance_type;
  switch (r.type) {
    case "aws_autoscaling_group": {
      const spot = c.mixed_instances_policy?.instances_distribution?.on_demand_percentage_above_base_capacity === 0 ? " Spot" : "";
      const scaling = group.some((x) => x.type === "aws_autoscaling_policy") ? ", scales on load" : "";
      return [`${c.min_size}-${c.max_size}${spot} instances${type ? ` ${type}` : ""}${scaling}`];
    }
    case "aws_instance":
      return type ? [String(type)] : [];
    case "aws_ecs_service": {
      const target = group.find((x) => x.type === "aws_appautoscaling_target");
      return [target ? `${target.config.min_capacity}-${target.config.max_capacity} tasks, scales on load` : `${c.desired_count ?? 1} tasks`];
    }
    case "aws_ecs_task_definition":
      return [`${c.requires_compatibilities?.join?.("/") ?? "ECS"} ${c.cpu ?? ""} CPU ${c.memory ?? ""} MB`.replace(/\s+/g, " ").trim()];
    case "aws_lambda_function":
      return [`${c.runtime ?? "container"} ${c.memory_size ?? 128} MB`];
    case "aws_lb":
      return [`${c.internal ? "internal" : "internet-facing"} ${c.load_balancer_type ?? "application"}`];
    case "aws_lb_target_group":
      return [`health ${c.health_check?.path ?? "/"}`];
    case "aws_dynamodb_table":
      return [`key ${c.hash_key}${c.range_key ? ` + ${c.range_key}` : ""}, ${c.billing_mode === "PROVISIONED" ? "provisioned" : "on-demand"}`];
    case "aws_vpc_endpoint": {
      const services = (t: string) => group.filter((x) => x.type === r.type && (x.config.vpc_endpoint_type ?? "Gateway") === t).map((x) => String(x.config.service_name ?? "").replace(/^com\.amazonaws\.[a-z0-9-]+\./, ""));
      return ["Interface", "Gateway"].filter((t) => services(t).length).map((t) => `${t.toLowerCase()}: ${services(t).join(", ")}`);
    }
    case "aws_cloudwatch_event_rule": {
      const pattern = typeof c.event_pattern === "string" ? safeJson(c.event_pattern) : undefined;
      return [String(pattern?.["detail-type"]?.[0] ?? c.schedule_expression ?? "events")];
    }
    case "aws_cloudwatch_metric_alarm":
      return [`${c.metric_name ?? "metric"} ${c.comparison_operator === "LessThanThreshold" ? "<" : ">"} ${c.threshold}`];
    default:
      return [];
  }
}

function safeJson(s: string): any {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

/** Every managed resource of the stack, by address, with where it appears (node or box id); unaccounted ones map to undefined. */
export function accountFor(stack: string, tf: object, d: Diagram): Map<string, string | undefined> {
  const index = indexStack(stack, tf as never);
  const where = new Map<string, string | undefined>();
  for (const r of index.resources) where.set(address(r), undefined);
  for (const n of d.nodes) for (const m of n.members) where.set(m, n.id);
  for (const c of d.clusters) for (const m of c.members) where.set(m, c.id);
  return where;
}

const q = (s: string) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
const html = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Most request edges out of one node drawn on one row. */
const FAN_OUT_ROW = 3;

/** Graphviz DOT text for a diagram: top to bottom, solid request path, dashed management. */
export function toDot(d: Diagram): string {
  const out = [
    `digraph ${q(d.stack)} {`,
    `  graph [rankdir=TB, fontname="Helvetica", fontsize=11, label=<<b>${html(d.stack)}</b><br/><font point-size="9">solid: requests and data · dashed: management · generated by npm run diagram</font>>, labelloc=t, nodesep=0.2, ranksep=0.4, newrank=true, pad=0.1];`,
    '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=9, margin="0.08,0.04"];',
    '  edge [fontname="Helvetica", fontsize=8, color="#555555", fontcolor="#333333", arrowsize=0.7];',
  ];
  const nodeLine = (n: DiagramNode) => {
    const rows = [n.title ? `<b>${html(n.title)}</b>` : "", ...n.lines.map(html)].filter(Boolean).join("<br/>");
    const style = n.kind === "source" ? (n.id.startsWith("note:") ? ', shape=plaintext, style="", fontcolor="#555555"' : ", shape=ellipse, style=\"\"") : "";
    const tooltip = n.members.length ? `, tooltip=${q(n.members.join("\n"))}` : "";
    return `${q(n.id)} [label=<${rows}>, fillcolor=${q(KIND_COLORS[n.kind])}${style}${tooltip}];`;
  };
  const children = (parent: string | undefined): string[] => {
    const lines: string[] = [];
    for (const c of d.clusters.filter((x) => x.parent === parent)) {
      const look = c.kind === "vpc" ? 'color="#3f8624"; penwidth=1.5' : c.kind === "az" ? 'color="#4f7cc9"; style="dashed,rounded"' : 'color="#7aa116"; style="rounded,filled"; fillcolor="#f2f8e8"';
      lines.push(`subgraph ${q(`cluster_${c.id}`)} {`, `  label=${q(c.label)}; ${look}; fontsize=9; labeljust=l; tooltip=${q(c.members.join("\n") || c.label)};`);
      lines.push(...children(c.id).map((l) => `  ${l}`));
      lines.push("}");
    }
    for (const n of d.nodes.filter((x) => x.cluster === parent)) lines.push(nodeLine(n));
    return lines;
  };
  out.push(...children(undefined).map((l) => `  ${l}`));
  // Subnets of one zone stack vertically (public above private), so zones sit side by side and stay narrow.
  for (const az of d.clusters.filter((c) => c.kind === "az")) {
    const firsts = d.clusters
      .filter((c) => c.parent === az.id)
      .sort((a, b) => Number(!a.label.startsWith("public")) - Number(!b.label.startsWith("public")))
      .map((c) => d.nodes.find((n) => n.cluster === c.id))
      .filter((n): n is DiagramNode => !!n);
    for (let i = 1; i < firsts.length; i++) out.push(`  ${q(firsts[i - 1].id)} -> ${q(firsts[i].id)} [style=invis];`);
  }
  // A wide fan-out (an API with five functions) goes on two rows, so the diagram stays narrow.
  const fanOut = new Map<string, number>();
  for (const e of d.edges) {
    const stagger = d.edges.filter((x) => x.from === e.from && x.kind === "request").length > FAN_OUT_ROW;
    const n = fanOut.get(e.from) ?? 0;
    fanOut.set(e.from, n + 1);
    const attrs = [
      e.kind === "management" ? 'style=dashed, color="#888888"' : "penwidth=1.3",
      e.label ? `label=${q(e.label)}` : "",
      stagger && e.kind === "request" && n % 2 === 1 ? "minlen=2" : "",
    ].filter(Boolean);
    out.push(`  ${q(e.from)} -> ${q(e.to)} [${attrs.join(", ")}];`);
  }
  out.push("}");
  return out.join("\n") + "\n";
}
