/**
 * Values for the attributes that are "known after apply" when a baseline
 * state is built with no AWS: ids, ARNs, names, versions... Each value is
 * deterministic (the same resource gets the same value on every run) and of
 * the attribute's type; where it is cheap they look like AWS's own
 * (`vpc-0a1b...`, `arn:aws:iam::123456789012:role/<name>`), so a report that
 * shows one reads naturally.
 */
import * as crypto from "crypto";
import type { AttributeSchema, BlockSchema, CtyType } from "./schema";

/** The account id every offline ARN carries (AWS's documentation account). */
export const OFFLINE_ACCOUNT = "123456789012";

export interface FillContext {
  /** Module-relative address, e.g. `aws_vpc.Network_Vpc_1234ABCD`. */
  readonly address: string;
  readonly type: string;
  readonly region: string;
  /** The resource's known values (planned or configured), for names. */
  readonly known: Record<string, unknown>;
}

const ID_PREFIX: Record<string, string> = {
  aws_vpc: "vpc-",
  aws_subnet: "subnet-",
  aws_security_group: "sg-",
  aws_default_security_group: "sg-",
  aws_internet_gateway: "igw-",
  aws_egress_only_internet_gateway: "eigw-",
  aws_route_table: "rtb-",
  aws_route_table_association: "rtbassoc-",
  aws_instance: "i-",
  aws_launch_template: "lt-",
  aws_nat_gateway: "nat-",
  aws_eip: "eipalloc-",
  aws_vpc_endpoint: "vpce-",
  aws_network_acl: "acl-",
  aws_default_network_acl: "acl-",
  aws_network_interface: "eni-",
  aws_flow_log: "fl-",
  aws_vpc_security_group_ingress_rule: "sgr-",
  aws_vpc_security_group_egress_rule: "sgr-",
  aws_ebs_volume: "vol-",
  aws_key_pair: "key-",
  aws_spot_instance_request: "sir-",
};

/** Service part of an ARN by resource type prefix. */
const SERVICE: readonly [string, string][] = [
  ["aws_iam_", "iam"],
  ["aws_s3_", "s3"],
  ["aws_lambda_", "lambda"],
  ["aws_dynamodb_", "dynamodb"],
  ["aws_sqs_", "sqs"],
  ["aws_sns_", "sns"],
  ["aws_cloudwatch_log_", "logs"],
  ["aws_cloudwatch_event_", "events"],
  ["aws_cloudwatch_", "cloudwatch"],
  ["aws_lb", "elasticloadbalancing"],
  ["aws_autoscaling_", "autoscaling"],
  ["aws_appautoscaling_", "application-autoscaling"],
  ["aws_ecs_", "ecs"],
  ["aws_ecr_", "ecr"],
  ["aws_api_gateway_", "apigateway"],
  ["aws_cloudfront_", "cloudfront"],
  ["aws_ssm_", "ssm"],
  ["aws_kms_", "kms"],
  ["aws_", "ec2"],
];

function digest(...parts: string[]): string {
  return crypto.createHash("sha256").update(parts.join("\0")).digest("hex");
}

function serviceOf(type: string): string {
  return SERVICE.find(([prefix]) => type.startsWith(prefix))?.[1] ?? type.split("_")[0];
}

/** A readable name for the resource: its configured name, else one made from the address. */
function nameOf(ctx: FillContext): string {
  for (const k of ["name", "function_name", "bucket", "cluster_name", "table_name", "queue_name", "role"]) {
    const v = ctx.known[k];
    if (typeof v === "string" && v && !v.includes("${")) return v;
  }
  const prefix = ctx.known.name_prefix;
  const h = digest(ctx.address).slice(0, 26);
  if (typeof prefix === "string" && prefix) return `${prefix}${h}`;
  return `terraform-${h}`;
}

/** A string for an unknown string attribute, chosen by its name. */
export function fillString(ctx: FillContext, path: readonly (string | number)[]): string {
  const attr = String([...path].reverse().find((p) => typeof p === "string") ?? "");
  const h = digest(ctx.address, path.join("."));
  const region = ctx.region;
  const service = serviceOf(ctx.type);
  const name = nameOf(ctx);
  if (path.length === 1 && attr === "id") {
    const prefix = ID_PREFIX[ctx.type];
    if (prefix) return `${prefix}0${h.slice(0, 16)}`;
    if (ctx.type === "aws_sqs_queue") return `https://sqs.${region}.amazonaws.com/${OFFLINE_ACCOUNT}/${name}`;
    if (ctx.type === "aws_ecs_cluster" || ctx.type === "aws_ecs_service" || ctx.type === "aws_ecs_capacity_provider") return arnFor(ctx, service, region, name);
    if (/^aws_(iam_role|iam_instance_profile|dynamodb_table|s3_bucket|cloudwatch_log_group|lambda_function|ecr_repository|cloudwatch_metric_alarm|ssm_parameter)$/.test(ctx.type)) return name;
    if (ctx.type.startsWith("aws_api_gateway_")) return h.slice(0, 10);
    return `${ctx.type.replace(/^aws_/, "")}-${h.slice(0, 16)}`;
  }
  if (attr === "arn" && path.length === 1) return arnFor(ctx, service, region, name);
  if (/(^|_)arn$/.test(attr)) return `arn:aws:${service}:${region}:${OFFLINE_ACCOUNT}:${attr.replace(/_arn$/, "")}/${name}`;
  if (attr === "name" || attr === "function_name" || attr === "bucket") return name;
  if (attr === "owner_id" || attr === "registry_id" || attr === "account_id") return OFFLINE_ACCOUNT;
  if (/(^|_)(date|time|modified)$/.test(attr)) return "2026-01-01T00:00:00Z";
  if (attr === "availability_zone") return `${region}a`;
  if (attr === "public_ip") return `203.0.113.${(parseInt(h.slice(0, 2), 16) % 250) + 1}`;
  if (attr === "private_ip") return `10.0.${parseInt(h.slice(0, 2), 16)}.${(parseInt(h.slice(2, 4), 16) % 250) + 4}`;
  if (/dns|domain_name$|hostname/.test(attr)) return `${name.toLowerCase().replace(/[^a-z0-9-]/g, "-").slice(0, 40)}-${h.slice(0, 8)}.${region}.offline.example`;
  if (/(^|_)url$/.test(attr)) return `https://${h.slice(0, 10)}.${service}.${region}.amazonaws.com/${name}`;
  if (attr === "etag" || /checksum|sha|hash/.test(attr)) return h.slice(0, 32);
  return `offline-${h.slice(0, 16)}`;
}

function arnFor(ctx: FillContext, service: string, region: string, name: string): string {
  const t = ctx.type;
  if (t === "aws_s3_bucket") return `arn:aws:s3:::${name}`;
  if (service === "iam") return `arn:aws:iam::${OFFLINE_ACCOUNT}:${t.replace(/^aws_iam_/, "").replace(/_/g, "-")}/${name}`;
  if (t === "aws_lambda_function") return `arn:aws:lambda:${region}:${OFFLINE_ACCOUNT}:function:${name}`;
  if (t === "aws_cloudwatch_log_group") return `arn:aws:logs:${region}:${OFFLINE_ACCOUNT}:log-group:${name}`;
  if (t === "aws_sqs_queue") return `arn:aws:sqs:${region}:${OFFLINE_ACCOUNT}:${name}`;
  if (t === "aws_dynamodb_table") return `arn:aws:dynamodb:${region}:${OFFLINE_ACCOUNT}:table/${name}`;
  return `arn:aws:${service}:${region}:${OFFLINE_ACCOUNT}:${t.replace(/^aws_/, "").replace(/_/g, "-")}/${name}-${digest(ctx.address).slice(0, 8)}`;
}

/** A value of `type` for an unknown attribute at `path`. */
export function fillValue(ctx: FillContext, path: readonly (string | number)[], type: CtyType | undefined): unknown {
  if (type === undefined || type === "dynamic") return null;
  if (type === "string") return fillString(ctx, path);
  if (type === "number") {
    const attr = String(path[path.length - 1]);
    return /version|revision/.test(attr) ? 1 : 0;
  }
  if (type === "bool") return false;
  if (Array.isArray(type)) {
    const [kind, inner] = type as [string, unknown];
    if (kind === "list" || kind === "set") return [];
    if (kind === "map") return {};
    if (kind === "tuple") return (inner as CtyType[]).map((t, i) => fillValue(ctx, [...path, i], t));
    if (kind === "object") {
      return Object.fromEntries(Object.entries(inner as Record<string, CtyType>).map(([k, t]) => [k, fillValue(ctx, [...path, k], t)]));
    }
  }
  return null;
}

/** What the schema says is at `path` of a resource: an attribute's type, or a nested block. */
export type SchemaAt =
  | { readonly kind: "type"; readonly type: CtyType; readonly attribute?: AttributeSchema }
  | { readonly kind: "block"; readonly nesting: string; readonly block: BlockSchema; readonly element: boolean }
  | { readonly kind: "nested"; readonly attribute: AttributeSchema; readonly element: boolean }
  | undefined;

/** Walks the schema along a value path (attribute names and list/set indexes). */
export function schemaAt(block: BlockSchema, path: readonly (string | number)[]): SchemaAt {
  let at: SchemaAt = { kind: "block", nesting: "single", block, element: true };
  for (const step of path) {
    if (!at) return undefined;
    if (at.kind === "block") {
      if (!at.element) {
        at = { ...at, element: true };
        if (at.nesting !== "single" && at.nesting !== "group") continue; // the step is the index
      }
      if (typeof step !== "string") return undefined;
      const attr: AttributeSchema | undefined = at.block.attributes[step];
      if (attr?.nested) {
        at = { kind: "nested", attribute: attr, element: attr.nested.nesting === "single" };
        continue;
      }
      if (attr) {
        at = { kind: "type", type: attr.type ?? "dynamic", attribute: attr };
        continue;
      }
      const nested: BlockSchema["blocks"][string] | undefined = at.block.blocks[step];
      if (!nested) return undefined;
      at = { kind: "block", nesting: nested.nesting, block: nested.block, element: nested.nesting === "single" || nested.nesting === "group" };
      continue;
    }
    if (at.kind === "nested") {
      if (!at.element) {
        at = { ...at, element: true };
        continue;
      }
      if (typeof step !== "string") return undefined;
      const attr: AttributeSchema | undefined = at.attribute.nested!.attributes[step];
      if (!attr) return undefined;
      at = attr.nested ? { kind: "nested", attribute: attr, element: attr.nested.nesting === "single" } : { kind: "type", type: attr.type ?? "dynamic", attribute: attr };
      continue;
    }
    // inside a cty type
    const t: CtyType = at.type;
    if (!Array.isArray(t)) return undefined;
    const [kind, inner] = t as [string, any];
    if (kind === "list" || kind === "set" || kind === "map") at = { kind: "type", type: inner };
    else if (kind === "object") at = inner[step as string] === undefined ? undefined : { kind: "type", type: inner[step as string] };
    else if (kind === "tuple") at = inner[step as number] === undefined ? undefined : { kind: "type", type: inner[step as number] };
    else return undefined;
  }
  return at;
}

/** A fill for whatever the schema has at `path` (a block becomes [] or an object of fills). */
export function fillAt(ctx: FillContext, block: BlockSchema, path: readonly (string | number)[]): unknown {
  const at = schemaAt(block, path);
  if (!at) return null;
  if (at.kind === "type") return fillValue(ctx, path, at.type);
  if (at.kind === "block") {
    if (!at.element) return at.nesting === "map" ? {} : [];
    return fillBlock(ctx, at.block, path);
  }
  if (!at.element) return at.attribute.nested!.nesting === "map" ? {} : [];
  return Object.fromEntries(Object.keys(at.attribute.nested!.attributes).map((k) => [k, fillAt(ctx, block, [...path, k])]));
}

function fillBlock(ctx: FillContext, block: BlockSchema, path: readonly (string | number)[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, a] of Object.entries(block.attributes)) out[k] = a.nested ? null : fillValue(ctx, [...path, k], a.type);
  for (const [k, b] of Object.entries(block.blocks)) out[k] = b.nesting === "single" || b.nesting === "group" ? null : b.nesting === "map" ? {} : [];
  return out;
}
