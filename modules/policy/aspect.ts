import { IConstruct } from "constructs";
import { Annotations, IAspect, TerraformStack } from "cdktf";
import type { PolicyRule } from "./rule";
import { indexStack } from "./stack-index";
import { evaluate } from "./engine";
import { COURSE_PACK } from "./pack";

/**
 * Checks a stack against a rule pack at synth. Added to each stack (aspects
 * on the App are never visited); when it visits the stack it reads the
 * stack's Terraform JSON once, so rules that relate two resources (a bucket
 * and its encryption configuration) work, then puts an error or warning
 * annotation on each offending construct. Errors fail `app.synth()` and
 * `cdktf synth`; suppressed findings are skipped.
 */
export class PolicyAspect implements IAspect {
  constructor(private readonly rules: readonly PolicyRule[] = COURSE_PACK) {}

  visit(node: IConstruct): void {
    if (!TerraformStack.isStack(node)) return;
    const index = indexStack(node.node.id, node.toTerraform() as never);
    const byPath = new Map(node.node.findAll().map((c) => [c.node.path, c]));
    for (const f of evaluate(index, this.rules)) {
      if (f.suppressedBecause) continue;
      const target = byPath.get(f.resource.path) ?? node;
      const text = `[${f.rule.id}] ${f.message}`;
      if (f.rule.level === "error") Annotations.of(target).addError(text);
      else if (f.rule.level === "warning") Annotations.of(target).addWarning(text);
      else Annotations.of(target).addInfo(text);
    }
  }
}
