import { IConstruct } from "constructs";
import { TerraformDataSource, TerraformResource } from "cdktf";
import { SUPPRESSIONS_KEY } from "./stack-index";
import { COURSE_PACK } from "./pack";
import type { Suppression } from "./rule";
import { extendDataSourceMetadata } from "../core/cdktf-internals";

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
    // A data source loses `//` overrides (see extendDataSourceMetadata): the getter reads the live list.
    if (TerraformDataSource.isTerraformDataSource(r)) extendDataSourceMetadata(r, () => ({ [SUPPRESSIONS_KEY]: [...list] }));
    else r.addOverride(`//.${SUPPRESSIONS_KEY}`, [...list]);
  }
}
