import type { PolicyRule } from "../rule";
import { IAM_POLICY_TYPES, isWildcardAction, ownStatements } from "../iam-documents";

/** Allow statements list actions: no `*`, no `service:*`, no Allow + NotAction. */
export const IamNoWildcardAction: PolicyRule = {
  id: "IAM-NO-WILDCARD-ACTION",
  description: "IAM Allow statements name their actions (no *, no service:*, no NotAction)",
  level: "error",
  equivalents: { checkov: "CKV_AWS_1 / CKV_AWS_49 / CKV_AWS_62 / CKV_AWS_63", trivy: "AVD-AWS-0057", cdkNag: "AwsSolutions-IAM5" },
  resourceTypes: [...IAM_POLICY_TYPES],
  check(resource, stack) {
    for (const s of ownStatements(resource, stack)) {
      if (s.effect !== "Allow") continue;
      const wild = s.actions.filter(isWildcardAction);
      if (wild.length) return `statement ${s.sid ?? "(no sid)"} allows ${wild.join(", ")}; list the actions it needs`;
      if (s.notActions.length) return `statement ${s.sid ?? "(no sid)"} is Allow + NotAction (everything else); list the actions it needs`;
    }
    return undefined;
  },
};
