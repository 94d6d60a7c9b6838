import type { PolicyRule } from "../rule";
import { IAM_POLICY_TYPES, ownStatements } from "../iam-documents";

/** Actions that let a principal grant itself more: create or change policies, roles and users. */
const ESCALATING = /^iam:(Create(Policy|PolicyVersion|Role|User|AccessKey|LoginProfile)|Put(Role|User|Group)Policy|Attach(Role|User|Group)Policy|UpdateAssumeRolePolicy|SetDefaultPolicyVersion|AddUserToGroup|UpdateLoginProfile)$/;
/** Actions that are fine on named resources but escalate on `*`. */
const ESCALATING_ON_ANY = ["iam:PassRole", "sts:AssumeRole"];

const matchesWildcard = (pattern: string, action: string) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`, "i").test(action);
const SAMPLE = ["iam:CreatePolicy", "iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:CreateAccessKey", "iam:UpdateAssumeRolePolicy"];

/**
 * No principal may write IAM (create policies or roles, attach or put
 * policies), nor pass or assume any role at all: each one is a path to
 * administrator. PassRole and AssumeRole on named roles are fine.
 */
export const IamPrivilegeEscalation: PolicyRule = {
  id: "IAM-PRIVILEGE-ESCALATION",
  description: "IAM Allow statements grant no iam:Create*/Put*Policy/Attach*Policy-style writes, and no iam:PassRole or sts:AssumeRole on *",
  level: "error",
  equivalents: { checkov: "CKV_AWS_286 / CKV_AWS_287 / CKV_AWS_288", trivy: "(none)", cdkNag: "(none; AwsSolutions-IAM5 area)" },
  moduleDefault: "the modules' roles pass only their own roles (ECS, Lambda) and write no IAM",
  resourceTypes: [...IAM_POLICY_TYPES],
  check(resource, stack) {
    for (const s of ownStatements(resource, stack)) {
      if (s.effect !== "Allow") continue;
      for (const a of s.actions) {
        if (ESCALATING.test(a)) return `allows ${a}: a principal that writes IAM can make itself administrator`;
        const wild = a.includes("*") && SAMPLE.find((x) => matchesWildcard(a, x));
        if (wild) return `allows ${a}, which includes ${wild}`;
        if (ESCALATING_ON_ANY.some((x) => matchesWildcard(a, x)) && s.resources.includes("*")) return `allows ${a} on *: name the roles it may pass or assume`;
      }
    }
    return undefined;
  },
};
