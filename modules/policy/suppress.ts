import { IConstruct } from "constructs";
import { TerraformDataSource, TerraformResource } from "cdktf";
import { SUPPRESSIONS_KEY } from "./stack-index";
import { COURSE_PACK } from "./pack";
import type { Suppression } from "./rule";

type Element = TerraformResource | TerraformDataSource;
const recorded = new WeakMap<Element, Suppression[]>();

/**
 * Exempts `scope` (a resource or data source, or every one under a construct) from
 * one rule. The reason is required and travels with the resource into the
 * synthesized JSON, where `npm run policy` lists it.
 */
export function suppress(scope: IConstruct, ruleId: string, reason: string): void {
  if (!COURSE_PACK.some((r) => r.id === ruleId)) {
    throw new Error(`suppress: unknown rule id "${ruleId}"; known ids: ${COURSE_PACK.map((r) => r.id).join(", ")}`);
  }
  if (reason.trim().length < 10) {
    throw new Error(`suppress(${ruleId}) on ${scope.node.path}: give a reason a reviewer can judge (got "${reason}")`);
  }
  const resources = scope.node
    .findAll()
    .filter((c): c is Element => TerraformResource.isTerraformResource(c) || TerraformDataSource.isTerraformDataSource(c));
  if (resources.length === 0) throw new Error(`suppress(${ruleId}): ${scope.node.path} holds no Terraform resource`);
  for (const r of resources) {
    const list = recorded.get(r) ?? [];
    if (list.some((s) => s.rule === ruleId)) continue;
    list.push({ rule: ruleId, reason: reason.trim() });
    recorded.set(r, list);
    if (TerraformDataSource.isTerraformDataSource(r)) recordOnDataSource(r, list);
    else r.addOverride(`//.${SUPPRESSIONS_KEY}`, [...list]);
  }
}

/**
 * cdktf 0.21 replaces a data source's `//` block with its metadata after
 * applying overrides, so an override is lost; extend the metadata instead.
 */
function recordOnDataSource(ds: TerraformDataSource, list: Suppression[]): void {
  if (Object.prototype.hasOwnProperty.call(ds, "constructNodeMetadata")) return; // getter already installed; it reads `list`
  let proto: object | null = Object.getPrototypeOf(ds);
  let getter: (() => Record<string, unknown>) | undefined;
  while (proto && !getter) {
    getter = Object.getOwnPropertyDescriptor(proto, "constructNodeMetadata")?.get;
    proto = Object.getPrototypeOf(proto);
  }
  if (!getter) throw new Error(`suppress: cannot record a suppression on data source ${ds.node.path} with this cdktf version`);
  const base = getter;
  Object.defineProperty(ds, "constructNodeMetadata", {
    configurable: true,
    get: () => ({ ...base.call(ds), [SUPPRESSIONS_KEY]: [...list] }),
  });
}
