import type { PolicyRule } from "../rule";

/**
 * The date the table below was checked against AWS's "Runtime deprecation
 * policy" page. The rule compares against this fixed date, not the clock,
 * so a synth never changes by itself: bump the date and the table together.
 */
export const RUNTIMES_CHECKED_ON = "2026-11-01";

/** Runtime -> date AWS deprecates it (no more security patches). */
export const LAMBDA_RUNTIME_DEPRECATION: Readonly<Record<string, string>> = {
  "nodejs": "2016-10-31",
  "nodejs4.3": "2020-03-05",
  "nodejs6.10": "2019-08-12",
  "nodejs8.10": "2020-03-06",
  "nodejs10.x": "2021-07-30",
  "nodejs12.x": "2023-03-31",
  "nodejs14.x": "2023-12-04",
  "nodejs16.x": "2024-06-12",
  "nodejs18.x": "2025-09-01",
  "nodejs20.x": "2026-04-30",
  "python2.7": "2021-07-15",
  "python3.6": "2022-07-18",
  "python3.7": "2023-12-04",
  "python3.8": "2024-10-14",
  "python3.9": "2025-12-15",
  "python3.10": "2026-06-30",
  "ruby2.5": "2021-07-30",
  "ruby2.7": "2023-12-07",
  "ruby3.2": "2026-03-31",
  "java8": "2024-01-08",
  "java8.al2": "2026-06-30",
  "go1.x": "2024-01-08",
  "dotnetcore3.1": "2023-04-03",
  "dotnet6": "2024-12-20",
  "provided": "2024-01-08",
  "provided.al2": "2026-06-30",
};

/** Functions run on a runtime that still gets security patches. */
export const LambdaRuntimeSupported: PolicyRule = {
  id: "LAMBDA-RUNTIME-SUPPORTED",
  description: `Lambda functions use no runtime deprecated by ${RUNTIMES_CHECKED_ON} (e.g. nodejs22.x, python3.12+)`,
  level: "error",
  equivalents: { checkov: "CKV_AWS_363", trivy: "(none)", cdkNag: "AwsSolutions-L1" },
  resourceTypes: ["aws_lambda_function"],
  check(fn) {
    const runtime = fn.config.runtime;
    if (typeof runtime !== "string") return undefined; // container images carry their own runtime
    const date = LAMBDA_RUNTIME_DEPRECATION[runtime];
    return date && date <= RUNTIMES_CHECKED_ON ? `runtime ${runtime} was deprecated on ${date}; use nodejs22.x / python3.13` : undefined;
  },
};
