import type { PolicyRule } from "../rule";

/**
 * Graviton (arm64) Lambda costs about 20% less per GB-second than x86_64
 * for the same memory, and Node/Python code usually runs unchanged. A hint
 * (info): native dependencies or x86-only layers are good reasons to stay.
 */
export const LambdaArm64: PolicyRule = {
  id: "LAMBDA-ARM64",
  description: "Lambda functions run on arm64 (about 20% cheaper per GB-second than x86_64)",
  level: "info",
  equivalents: { checkov: "(none)", trivy: "(none)", cdkNag: "(none; AWS Compute Optimizer / Well-Architected COST06)" },
  resourceTypes: ["aws_lambda_function"],
  check(fn) {
    const archs: unknown[] = fn.config.architectures ?? ["x86_64"];
    return archs.includes("arm64") ? undefined : `architectures is ${JSON.stringify(archs)}; arm64 costs about 20% less if the code has no x86-only native parts`;
  },
};
