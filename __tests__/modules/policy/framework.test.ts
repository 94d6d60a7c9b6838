import * as fs from "fs";
import * as path from "path";
import { Aspects, TerraformStack, Testing } from "cdktf";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { PolicyAspect } from "../../../modules/policy/aspect";
import { COURSE_PACK, ruleById } from "../../../modules/policy/pack";
import { suppress } from "../../../modules/policy/suppress";
import { indexStack } from "../../../modules/policy/stack-index";
import { checkStackJson, renderReport, blockingFindings } from "../../../modules/policy/report";
import { SqsEncryption } from "../../../modules/policy/rules/sqs-encryption";
import { EcrImmutableTags } from "../../../modules/policy/rules/ecr-immutable-tags";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { LambdaArm64 } from "../../../modules/policy/rules/lambda-arm64";
import { IamNoWildcardAction } from "../../../modules/policy/rules/iam-no-wildcard-action";

/** A stack with the AWS provider (synth validates that every resource has one). */
function awsStack(app: ReturnType<typeof Testing.app>): TerraformStack {
  const stack = new TerraformStack(app, "s");
  new AwsProvider(stack, "aws", { region: "ap-northeast-1" });
  return stack;
}

const RULES_DIR = path.join(__dirname, "../../../modules/policy/rules");

describe("the course pack", () => {
  it("has at least 60 rules with unique ids, equivalents (checkov, trivy, cdk-nag), a level and the modules' default", () => {
    expect(COURSE_PACK.length).toBeGreaterThanOrEqual(60);
    expect(new Set(COURSE_PACK.map((r) => r.id)).size).toBe(COURSE_PACK.length);
    for (const r of COURSE_PACK) {
      expect(r.id).toMatch(/^[A-Z0-9]+(-[A-Z0-9]+)+$/);
      expect(r.equivalents.checkov ?? r.equivalents.cdkNag).toBeTruthy();
      expect(["error", "warning", "info"]).toContain(r.level);
      expect(r.resourceTypes.length).toBeGreaterThan(0);
      expect([r.id, typeof r.equivalents.trivy]).toEqual([r.id, "string"]);
    }
    const newRules = COURSE_PACK.slice(37);
    expect(newRules.filter((r) => !r.moduleDefault).map((r) => r.id)).toEqual([]);
  });

  it("lists every rule file, one rule per file", () => {
    // GIVEN the files under modules/policy/rules
    const exported = fs
      .readdirSync(RULES_DIR)
      .filter((f) => f.endsWith(".ts"))
      .map((f) => [f, Object.values(require(path.join(RULES_DIR, f))).filter((v: any) => v && typeof v.check === "function")] as const);
    // THEN each holds exactly one rule, and the pack holds each of them
    for (const [file, rules] of exported) {
      expect([file, rules.length]).toEqual([file, 1]);
      expect(COURSE_PACK).toContain(rules[0]);
    }
    expect(exported.length).toBe(COURSE_PACK.length);
  });

  it("has a compliant and a non-compliant test for every rule (describeRule in __tests__/modules/policy/rules)", () => {
    const dir = path.join(__dirname, "rules");
    const text = fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f), "utf8")).join("\n");
    const described = new Set([...text.matchAll(/describeRule\((\w+),/g)].map((m) => m[1]));
    const names = fs
      .readdirSync(RULES_DIR)
      .map((f) => /export const (\w+): PolicyRule/.exec(fs.readFileSync(path.join(RULES_DIR, f), "utf8"))?.[1])
      .filter(Boolean);
    expect(names.filter((n) => !described.has(n!))).toEqual([]);
  });

  it("finds rules by id", () => {
    expect(ruleById("S3-TLS-ONLY")?.level).toBe("error");
    expect(ruleById("NOPE")).toBeUndefined();
  });
});

describe("suppress", () => {
  const stackWithQueue = () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "s");
    return { app, stack, queue: new SqsQueue(stack, "Queue", {}) };
  };

  it("needs a known rule id", () => {
    const { queue } = stackWithQueue();
    expect(() => suppress(queue, "NO-SUCH-RULE", "a reason long enough")).toThrow(/unknown rule id "NO-SUCH-RULE"/);
  });

  it("needs a reason", () => {
    const { queue } = stackWithQueue();
    expect(() => suppress(queue, "SQS-ENCRYPTION", "  ")).toThrow(/give a reason/);
    expect(() => suppress(queue, "SQS-ENCRYPTION", "because")).toThrow(/give a reason/);
  });

  it("refuses a construct that holds no resource", () => {
    const { stack } = stackWithQueue();
    const empty = new TerraformStack(Testing.app(), "empty");
    expect(() => suppress(empty, "SQS-ENCRYPTION", "nothing here to suppress")).toThrow(/holds no Terraform resource/);
    expect(stack).toBeDefined();
  });

  it("travels in the JSON and marks the finding with its reason", () => {
    // GIVEN an unencrypted queue, suppressed with a reason
    const { stack, queue } = stackWithQueue();
    suppress(queue, "SQS-ENCRYPTION", "test queue holds no data");
    // WHEN the report runs on the stack's JSON
    const report = checkStackJson("s", stack.toTerraform());
    // THEN the finding is kept but suppressed, and the suppression is listed
    const f = report.findings.find((x) => x.rule.id === "SQS-ENCRYPTION")!;
    expect(f.suppressedBecause).toBe("test queue holds no data");
    expect(report.suppressions).toEqual([{ rule: "SQS-ENCRYPTION", path: "s/Queue", reason: "test queue holds no data", used: true }]);
    expect(blockingFindings([report]).filter((x) => x.rule.id === "SQS-ENCRYPTION")).toEqual([]);
    expect(renderReport([report])).toMatch(/\[SQS-ENCRYPTION\] s\/Queue: test queue holds no data/);
  });

  it("marks a suppression that no finding needs", () => {
    const { stack, queue } = stackWithQueue();
    suppress(queue, "S3-TLS-ONLY", "copied from a bucket by mistake");
    const report = checkStackJson("s", stack.toTerraform());
    expect(report.suppressions).toEqual([{ rule: "S3-TLS-ONLY", path: "s/Queue", reason: "copied from a bucket by mistake", used: false }]);
    expect(renderReport([report])).toMatch(/copied from a bucket by mistake \(nothing to suppress here now\)/);
  });

  it("works on data sources (IAM policy documents)", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "s");
    const doc = new DataAwsIamPolicyDocument(stack, "Doc", { statement: [{ actions: ["s3:*"], resources: ["arn:aws:s3:::b"] }] });
    suppress(doc, "IAM-NO-WILDCARD-ACTION", "test of a suppressed wildcard");
    const findings = checkStackJson("s", stack.toTerraform(), [IamNoWildcardAction]).findings;
    expect(findings.map((f) => f.suppressedBecause)).toEqual(["test of a suppressed wildcard"]);
  });
});

describe("PolicyAspect", () => {
  it("fails app.synth() on an error finding, naming the rule", () => {
    // GIVEN a stack with an unencrypted queue and the aspect
    const app = Testing.app({ stackTraces: false } as never);
    const stack = awsStack(app);
    new SqsQueue(stack, "Queue", {});
    Aspects.of(stack).add(new PolicyAspect([SqsEncryption]));
    // WHEN / THEN
    expect(() => app.synth()).toThrow(/\[SQS-ENCRYPTION\]/);
  });

  it("only warns on a warning finding", () => {
    // GIVEN a mutable ECR repository (a warning rule)
    const app = Testing.app({ stackTraces: false } as never);
    const stack = awsStack(app);
    const repo = new EcrRepository(stack, "Repo", { name: "r" });
    Aspects.of(stack).add(new PolicyAspect([EcrImmutableTags]));
    // WHEN synth runs THEN it succeeds and the repository carries a warning annotation
    expect(() => app.synth()).not.toThrow();
    const warnings = repo.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => m.data);
    expect(warnings.join()).toMatch(/\[ECR-IMMUTABLE-TAGS\]/);
  });

  it("adds an info annotation for an info finding", () => {
    const app = Testing.app({ stackTraces: false } as never);
    const stack = awsStack(app);
    const fn = new LambdaFunction(stack, "Fn", { functionName: "f", role: "arn:aws:iam::123456789012:role/r", runtime: "nodejs22.x", handler: "index.handler", filename: "f.zip" });
    Aspects.of(stack).add(new PolicyAspect([LambdaArm64]));
    expect(() => app.synth()).not.toThrow();
    expect(fn.node.metadata.filter((m) => m.type === "@cdktf/info").map((m) => m.data).join()).toMatch(/\[LAMBDA-ARM64\]/);
  });

  it("skips suppressed findings", () => {
    const app = Testing.app({ stackTraces: false } as never);
    const stack = awsStack(app);
    suppress(new SqsQueue(stack, "Queue", {}), "SQS-ENCRYPTION", "test queue holds no data");
    Aspects.of(stack).add(new PolicyAspect([SqsEncryption]));
    expect(() => app.synth()).not.toThrow();
  });
});

describe("indexStack", () => {
  it("exposes data sources and resolves references to them", () => {
    const index = indexStack("s", {
      resource: { aws_iam_role_policy: { p: { policy: "${data.aws_iam_policy_document.d.json}", role: "${aws_iam_role.r.id}" } }, aws_iam_role: { r: {} } },
      data: { aws_iam_policy_document: { d: { statement: [] } } },
    });
    const policy = index.byType("aws_iam_role_policy")[0];
    expect(index.dataByType("aws_iam_policy_document")).toHaveLength(1);
    expect(index.resolveReference(policy.config.policy)).toMatchObject({ mode: "data", type: "aws_iam_policy_document", name: "d" });
    expect(index.referencesIn(policy.config).map((r) => `${r.mode}:${r.type}.${r.name}`).sort()).toEqual(["data:aws_iam_policy_document.d", "managed:aws_iam_role.r"]);
  });
});

describe("docs/policy.md", () => {
  it("lists every rule of the pack (regenerate the table with npm run policy -- --rules)", () => {
    const doc = fs.readFileSync(path.join(__dirname, "../../../docs/policy.md"), "utf8");
    expect(COURSE_PACK.map((r) => r.id).filter((id) => !doc.includes(`| \`${id}\` |`))).toEqual([]);
  });
});
