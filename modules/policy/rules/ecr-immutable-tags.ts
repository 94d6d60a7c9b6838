import type { PolicyRule } from "../rule";

/** A tag names one image forever (a re-pushed `latest` is how surprises ship). Hygiene: warning. */
export const EcrImmutableTags: PolicyRule = {
  id: "ECR-IMMUTABLE-TAGS",
  description: "ECR repositories set image_tag_mutability = IMMUTABLE",
  level: "warning",
  equivalents: { checkov: "CKV_AWS_51", trivy: "AVD-AWS-0031", cdkNag: "(none; Security Hub ECR.2)" },
  resourceTypes: ["aws_ecr_repository"],
  check(repo) {
    const m = String(repo.config.image_tag_mutability ?? "MUTABLE");
    return m.startsWith("IMMUTABLE") ? undefined : `image_tag_mutability is ${m}`;
  },
};
