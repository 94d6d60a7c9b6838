import type { PolicyRule } from "../rule";
import { asList, isTrue } from "../helpers";

/** Images are scanned for known CVEs when pushed (basic scanning is free). */
export const EcrScanOnPush: PolicyRule = {
  id: "ECR-SCAN-ON-PUSH",
  description: "ECR repositories set image_scanning_configuration.scan_on_push = true (or a registry scanning configuration exists)",
  level: "error",
  equivalents: { checkov: "CKV_AWS_163", trivy: "AVD-AWS-0030", cdkNag: "(none; Security Hub ECR.1)" },
  resourceTypes: ["aws_ecr_repository"],
  check(repo, stack) {
    if (asList(repo.config.image_scanning_configuration).some((c: any) => isTrue(c.scan_on_push))) return undefined;
    if (stack.byType("aws_ecr_registry_scanning_configuration").length > 0) return undefined;
    return "image_scanning_configuration.scan_on_push is not true";
  },
};
