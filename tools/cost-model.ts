/**
 * Hourly cost of a synthesized stack at its default settings, from the
 * dated price table `data/prices.json`. Counts what bills by the hour while
 * the stack exists: instances (alone, or Auto Scaling groups x desired/min
 * capacity), their EBS volumes, stopped warm-pool volumes, NAT gateways,
 * load balancers, public IPv4 addresses, running Fargate tasks, CloudWatch
 * alarms and interface endpoints. Per-request services (Lambda, DynamoDB
 * on-demand, API Gateway, CloudFront, S3, SQS) cost nothing idle: they are
 * listed as notes with their unit prices.
 */
import { indexStack } from "../modules/policy/stack-index";
import type { ResourceView, StackIndex } from "../modules/policy/rule";
import PRICES_JSON from "../data/prices.json";

export interface RegionPrices {
  readonly ec2: Readonly<Record<string, number>>;
  readonly ebsGp3GbMonth: number;
  readonly ebsGp2GbMonth: number;
  readonly natGatewayHour: number;
  readonly albHour: number;
  readonly nlbHour: number;
  readonly publicIpv4Hour: number;
  readonly fargateVcpuHour: number;
  readonly fargateGbHour: number;
  readonly cloudwatchAlarmMonth: number;
  readonly interfaceEndpointHour: number;
  readonly perRequest: Readonly<Record<string, string>>;
}

export interface PriceTable {
  readonly asOf: string;
  readonly source: string;
  readonly caveat?: string;
  readonly hoursPerMonth: number;
  readonly regions: Readonly<Record<string, RegionPrices>>;
}

export const PRICES: PriceTable = PRICES_JSON as PriceTable;

export interface LineItem {
  /** Construct path of the resource that bills. */
  readonly path: string;
  /** What is billed, e.g. `2 x t3.small`. */
  readonly what: string;
  readonly hourly: number;
}

export interface StackCost {
  readonly stack: string;
  readonly region: string;
  readonly hourly: number;
  readonly items: readonly LineItem[];
  /** Services billed per request: no hourly cost, unit prices here. */
  readonly perRequest: readonly string[];
  /** Things that would bill but are not in the price table (e.g. an instance type). */
  readonly unpriced: readonly string[];
  /** Informative figures not included in `hourly` (e.g. one Fargate task-hour for run-task stacks). */
  readonly notes: readonly string[];
}

type Json = Record<string, any>;
const list = (v: unknown): any[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);
const yes = (v: unknown) => v === true || v === "true";
const num = (v: unknown, fallback: number): number => (typeof v === "number" ? v : typeof v === "string" && /^\d+(\.\d+)?$/.test(v) ? Number(v) : fallback);
/** Root volume size when a template names none (AMI snapshot size; 8 GiB for Amazon Linux). */
export const DEFAULT_VOLUME_GIB = 8;

interface Machine {
  readonly type?: string;
  readonly volumes: readonly { gib: number; kind: string }[];
  readonly publicIp: boolean;
}

function templateOf(spec: Json | undefined, index: StackIndex): ResourceView | undefined {
  if (!spec) return undefined;
  return index.resolveReference(spec.id ?? spec.launch_template_id) ?? index.resolveReference(spec.name ?? spec.launch_template_name);
}

function machineFromTemplate(lt: ResourceView | undefined): Machine {
  const c = lt?.config ?? {};
  const volumes = list(c.block_device_mappings)
    .map((m) => list(m.ebs)[0])
    .filter(Boolean)
    .map((e) => ({ gib: num(e.volume_size, DEFAULT_VOLUME_GIB), kind: e.volume_type ?? "gp3" }));
  return {
    type: c.instance_type,
    volumes: volumes.length ? volumes : lt ? [{ gib: DEFAULT_VOLUME_GIB, kind: "gp3" }] : [],
    publicIp: list(c.network_interfaces).some((n) => yes(n.associate_public_ip_address)),
  };
}

/** The hourly cost of one stack's Terraform JSON in `region`. */
export function stackCost(stack: string, tf: object, region: string, prices: PriceTable = PRICES): StackCost {
  const p = prices.regions[region];
  if (!p) throw new Error(`region (${region}) is not in data/prices.json; priced regions: ${Object.keys(prices.regions).join(", ")}`);
  const index = indexStack(stack, tf as never);
  const month = prices.hoursPerMonth;
  const items: LineItem[] = [];
  const unpriced: string[] = [];
  const notes: string[] = [];
  const add = (r: ResourceView, what: string, hourly: number) => items.push({ path: r.path, what, hourly });

  const volumeHourly = (v: { gib: number; kind: string }) => (v.gib * (v.kind === "gp2" ? p.ebsGp2GbMonth : p.ebsGp3GbMonth)) / month;
  const machines = (r: ResourceView, m: Machine, count: number, label = "") => {
    if (count <= 0) return;
    const price = m.type ? p.ec2[m.type] : undefined;
    if (price === undefined) unpriced.push(`${r.path}: instance type ${m.type ?? "(unset)"}`);
    else add(r, `${count} x ${m.type}${label}`, count * price);
    const gib = m.volumes.reduce((s, v) => s + v.gib, 0);
    if (gib > 0) add(r, `${count} x ${gib} GiB EBS ${m.volumes.map((v) => v.kind).join("+")}`, count * m.volumes.reduce((s, v) => s + volumeHourly(v), 0));
    if (m.publicIp) add(r, `${count} x public IPv4`, count * p.publicIpv4Hour);
  };

  for (const r of index.byType("aws_instance")) {
    const fromLt = machineFromTemplate(templateOf(list(r.config.launch_template)[0], index));
    const root = list(r.config.root_block_device)[0];
    machines(r, {
      type: r.config.instance_type ?? fromLt.type,
      volumes: root ? [{ gib: num(root.volume_size, DEFAULT_VOLUME_GIB), kind: root.volume_type ?? "gp3" }] : fromLt.volumes,
      publicIp: r.config.associate_public_ip_address !== undefined ? yes(r.config.associate_public_ip_address) : fromLt.publicIp,
    }, 1);
  }

  for (const r of index.byType("aws_autoscaling_group")) {
    const c = r.config;
    const mixed = list(c.mixed_instances_policy)[0];
    const mixedLt = list(mixed?.launch_template)[0];
    const lt = templateOf(list(c.launch_template)[0], index) ?? templateOf(list(mixedLt?.launch_template_specification)[0], index);
    const base = machineFromTemplate(lt);
    const override = list(mixedLt?.override)[0]?.instance_type;
    const m = { ...base, type: base.type ?? override };
    const count = num(c.desired_capacity, num(c.min_size, 0));
    const dist = list(mixed?.instances_distribution)[0];
    const allSpot = mixed && num(dist?.on_demand_base_capacity, 0) === 0 && num(dist?.on_demand_percentage_above_base_capacity, 100) === 0;
    const label = !mixed ? "" : allSpot ? " (Spot: on-demand price shown as an upper bound; Spot is typically 60-90% less)" : " (mixed instances: on-demand price of the first type)";
    machines(r, m, count, label);
    const pool = list(c.warm_pool)[0];
    if (pool) {
      const prepared = num(pool.max_group_prepared_capacity, num(c.max_size, count));
      const warm = Math.max(num(pool.min_size, 0), prepared - count);
      if (warm > 0) {
        if ((pool.pool_state ?? "Stopped") === "Running") machines(r, m, warm, " (warm pool, running)");
        else {
          const gib = m.volumes.reduce((s, v) => s + v.gib, 0);
          add(r, `${warm} x ${gib} GiB EBS (stopped warm pool: volumes only)`, warm * m.volumes.reduce((s, v) => s + volumeHourly(v), 0));
        }
      }
    }
  }

  for (const r of index.byType("aws_ebs_volume")) {
    const kind = r.config.type ?? "gp2";
    add(r, `${num(r.config.size, 0)} GiB EBS ${kind}`, volumeHourly({ gib: num(r.config.size, 0), kind }));
  }
  for (const r of index.byType("aws_nat_gateway")) {
    if (r.config.connectivity_type === "private") continue;
    add(r, "NAT gateway (+ per GB processed)", p.natGatewayHour);
  }
  for (const r of index.byType("aws_eip")) add(r, "public IPv4 (Elastic IP)", p.publicIpv4Hour);
  for (const r of [...index.byType("aws_lb"), ...index.byType("aws_alb")]) {
    const type = r.config.load_balancer_type ?? "application";
    if (type === "application") add(r, "Application Load Balancer (+ LCUs)", p.albHour);
    else if (type === "network") add(r, "Network Load Balancer (+ NLCUs)", p.nlbHour);
    else unpriced.push(`${r.path}: ${type} load balancer`);
  }

  const fargateTaskHour = (td: ResourceView) => (num(td.config.cpu, 0) / 1024) * p.fargateVcpuHour + (num(td.config.memory, 0) / 1024) * p.fargateGbHour;
  const isFargate = (td: ResourceView) => list(td.config.requires_compatibilities).includes("FARGATE");
  const servedTasks = new Set<ResourceView>();
  for (const r of index.byType("aws_ecs_service")) {
    const td = index.resolveReference(r.config.task_definition);
    if (td) servedTasks.add(td);
    const onFargate =
      r.config.launch_type === "FARGATE" || list(r.config.capacity_provider_strategy).some((s) => /^FARGATE/.test(String(s.capacity_provider)));
    if (!onFargate || !td) continue;
    const count = num(r.config.desired_count, 0);
    if (count === 0) continue;
    add(r, `${count} x Fargate task ${num(td.config.cpu, 0) / 1024} vCPU / ${num(td.config.memory, 0) / 1024} GB`, count * fargateTaskHour(td));
    if (list(r.config.network_configuration).some((n) => yes(n.assign_public_ip))) add(r, `${count} x public IPv4 (tasks)`, count * p.publicIpv4Hour);
  }
  for (const td of index.byType("aws_ecs_task_definition")) {
    if (servedTasks.has(td) || !isFargate(td)) continue;
    notes.push(`${td.path}: each run task costs ${fargateTaskHour(td).toFixed(4)} USD per hour while it runs (${num(td.config.cpu, 0) / 1024} vCPU / ${num(td.config.memory, 0) / 1024} GB); none runs by default`);
  }

  const alarms = index.byType("aws_cloudwatch_metric_alarm").length;
  const tracking = [...index.byType("aws_appautoscaling_policy"), ...index.byType("aws_autoscaling_policy")].filter(
    (r) => r.config.policy_type === "TargetTrackingScaling" || list(r.config.target_tracking_configuration).length > 0 || list(r.config.target_tracking_scaling_policy_configuration).length > 0,
  );
  const totalAlarms = alarms + 2 * tracking.length;
  if (totalAlarms > 0) {
    items.push({ path: `${stack}/(alarms)`, what: `${totalAlarms} CloudWatch alarm(s)${tracking.length ? ` (${2 * tracking.length} from target tracking)` : ""}`, hourly: (totalAlarms * p.cloudwatchAlarmMonth) / month });
  }
  for (const r of index.byType("aws_vpc_endpoint")) {
    if (r.config.vpc_endpoint_type !== "Interface") continue;
    const azs = Math.max(1, list(r.config.subnet_ids).length);
    add(r, `interface endpoint x ${azs} AZ`, azs * p.interfaceEndpointHour);
  }

  const perRequest: string[] = [];
  const uses = (types: string[], key: string, label: string) => {
    if (types.some((t) => index.byType(t).length > 0) && p.perRequest[key]) perRequest.push(`${label}: ${p.perRequest[key]}`);
  };
  uses(["aws_lambda_function"], "lambda", "Lambda");
  uses(["aws_dynamodb_table"], "dynamodbOnDemand", "DynamoDB on-demand");
  uses(["aws_api_gateway_rest_api", "aws_apigatewayv2_api"], "apiGatewayRest", "API Gateway");
  uses(["aws_cloudfront_distribution"], "cloudfront", "CloudFront");
  uses(["aws_s3_bucket"], "s3", "S3");
  uses(["aws_sqs_queue"], "sqs", "SQS");
  uses(["aws_cloudwatch_log_group"], "cloudwatchLogs", "CloudWatch Logs");
  uses(["aws_ecr_repository"], "ecr", "ECR");
  for (const t of index.byType("aws_dynamodb_table")) {
    if ((t.config.billing_mode ?? "PROVISIONED") === "PROVISIONED") unpriced.push(`${t.path}: provisioned-capacity table`);
  }

  return { stack, region, hourly: items.reduce((s, i) => s + i.hourly, 0), items, perRequest, unpriced, notes };
}

/** The region a stack's AWS provider is configured for. */
export function stackRegion(tf: Json): string | undefined {
  return list(tf.provider?.aws)[0]?.region;
}

const usd = (n: number) => (n === 0 ? "0" : n < 0.001 ? n.toFixed(5) : n.toFixed(4));

/** The table printed by `npm run cost` and written to docs/costs.md. */
export function renderCostMarkdown(rows: readonly { stack: string; costs: readonly StackCost[] }[], regions: readonly string[], prices: PriceTable = PRICES): string {
  const out: string[] = [
    `Hourly cost of each stack at its default settings, while it exists (prices as of ${prices.asOf}, on-demand, USD; \`data/prices.json\`).`,
    "Per-request services (Lambda, DynamoDB on-demand, API Gateway, CloudFront, S3, SQS) add nothing while idle; data transfer, LCUs and NAT per-GB are extra.",
    ...(prices.caveat ? ["", `> ${prices.caveat}`] : []),
    "",
    `| stack | ${regions.map((r) => `${r} USD/h`).join(" | ")} | ${regions[0]} USD/day | ${regions[0]} USD/month (730 h) |`,
    `|---|${regions.map(() => "---:").join("|")}|---:|---:|`,
  ];
  for (const row of rows) {
    out.push(`| ${row.stack} | ${row.costs.map((c) => usd(c.hourly)).join(" | ")} | ${(row.costs[0].hourly * 24).toFixed(2)} | ${(row.costs[0].hourly * prices.hoursPerMonth).toFixed(2)} |`);
  }
  out.push("", `### What bills by the hour (${regions[0]})`, "");
  for (const row of rows) {
    const c = row.costs[0];
    out.push(`**${row.stack}**: ${usd(c.hourly)} USD/h`, "");
    for (const i of c.items) out.push(`- ${i.what}: ${usd(i.hourly)} USD/h (\`${i.path}\`)`);
    for (const n of c.notes) out.push(`- note: ${n}`);
    for (const u of c.unpriced) out.push(`- NOT PRICED: ${u}`);
    for (const r of c.perRequest) out.push(`- per request: ${r}`);
    if (c.items.length + c.notes.length + c.unpriced.length + c.perRequest.length === 0) out.push("- nothing billed by the hour");
    out.push("");
  }
  out.push(...POLICY_DEFAULT_COSTS);
  return out.join("\n");
}

/**
 * What the defaults the policy pack chose (docs/policy.md, issue 15) cost:
 * all usage-based, none by the hour, so the table above does not change.
 */
export const POLICY_DEFAULT_COSTS: readonly string[] = [
  "### Defaults chosen by the policy pack (docs/policy.md)",
  "",
  "None bills by the hour; each is priced by use (ap-northeast-1, `data/prices.json`):",
  "",
  "- ALB access logs (web-fleet, ecs-autoscaling): S3 storage at 0.025 USD per GB-month of at most 7 days of logs (objects expire), log delivery free; the bucket is `force_destroy`, so nothing is left after destroy. A lab's few thousand requests: well under 0.01 USD.",
  "- Lambda X-Ray tracing Active and API Gateway stage tracing: 100,000 traces a month free, then 5 USD per million recorded (0.50 USD per million retrieved or scanned).",
  "- API Gateway execution logs at ERROR: CloudWatch Logs at 0.76 USD per GB ingested and 0.033 USD per GB-month stored, errors only, kept as long as the access logs (14 days).",
  "- TLS-only queue and bucket policies, the CloudFront managed security headers policy, DynamoDB deletion protection: free.",
  "- Kept off, with their cost as the reason: VPC flow logs (0.76 USD per GB ingested), Container Insights (~0.30 USD per metric-month), detailed EC2 monitoring (~2.10 USD per instance-month), customer-managed KMS keys (1 USD per key-month), a NAT gateway instead of public IPs (0.062 USD/h).",
  "",
];
