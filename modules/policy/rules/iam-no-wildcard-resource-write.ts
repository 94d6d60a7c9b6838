import type { PolicyRule } from "../rule";
import { IAM_POLICY_TYPES, NO_RESOURCE_LEVEL_ACTIONS, isWriteAction, ownStatements } from "../iam-documents";

/**
 * Write actions name the resources they act on. `Resource: *` passes only
 * for reads and for the actions IAM offers no resource-level permission on
 * (`NO_RESOURCE_LEVEL_ACTIONS`).
 */
export const IamNoWildcardResourceWrite: PolicyRule = {
  id: "IAM-NO-WILDCARD-RESOURCE-WRITE",
  description: "IAM Allow statements with write actions do not use Resource: * (except actions with no resource-level permissions)",
  level: "error",
  equivalents: { checkov: "CKV_AWS_111 / CKV_AWS_290 / CKV_AWS_356", trivy: "AVD-AWS-0057", cdkNag: "AwsSolutions-IAM5" },
  resourceTypes: [...IAM_POLICY_TYPES],
  check(resource, stack) {
    for (const s of ownStatements(resource, stack)) {
      if (s.effect !== "Allow" || !(s.resources.includes("*") || s.notResources.length > 0)) continue;
      const writes = s.actions.filter((a) => isWriteAction(a) && !NO_RESOURCE_LEVEL_ACTIONS.includes(a));
      if (writes.length) return `statement ${s.sid ?? "(no sid)"} allows ${writes.join(", ")} on every resource (*); name the ARNs`;
    }
    return undefined;
  },
};
