/**
 * The review's corpus of change scenarios: each a base and a head (a
 * configuration change, or a small code change in a lab stack), planned
 * offline together in one review. The test asserts terraform's action for
 * every changed address.
 */
import * as fs from "fs";
import * as path from "path";
import type { StackPair } from "../../../tools/review/review";
import type { StackSource } from "../../../tools/review/workspace";
import { readOutdir } from "../../../tools/review/sources";
import type { InfraConfig } from "../../../config/schema";
import { testConfig } from "../../helpers/config";
import { synthApp } from "../../helpers/app";
import { synthLab } from "./lab-stack";
import type { RawConfig } from "../../helpers/config";

export interface Scenario {
  readonly name: string;
  readonly pairs: readonly StackPair[];
}

const stack = (outdir: string, name: string) => {
  const s = readOutdir(outdir).get(name);
  if (!s) throw new Error(`${outdir} has no stack ${name}`);
  return s;
};

/** The address of the only resource of `type` in a synthesized stack. */
export function addressOf(outdir: string, name: string, type: string): string {
  const json = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", name, "cdk.tf.json"), "utf8"));
  const names = Object.keys(json.resource?.[type] ?? {});
  if (names.length !== 1) throw new Error(`${name} has ${names.length} ${type}`);
  return `${type}.${names[0]}`;
}

export function buildScenarios(): { scenarios: Scenario[]; defaultOutdir: string } {
  const defaults: InfraConfig = testConfig();
  const defaultOutdir = synthApp(defaults);
  const config = (raw: RawConfig, only: string[]) => synthApp(testConfig(raw), undefined, only);
  const change = (name: string, stackName: string, raw: RawConfig): Scenario => ({
    name,
    pairs: [{ id: `${name}/${stackName}`, base: oneProviderConfiguration(stack(defaultOutdir, stackName)), head: oneProviderConfiguration(stack(config(raw, [stackName]), stackName)) }],
  });
  const lab = synthLab({ lab: {} });
  const labChange = (name: string, head: Parameters<typeof synthLab>[0]["lab"], base = lab): Scenario => ({
    name,
    pairs: [{ id: `${name}/lab`, base: stack(base, "lab"), head: stack(synthLab({ lab: head }), "lab") }],
  });
  const labWithApi = synthLab({ lab: { routes: 1 } });
  const oldTable = addressOf(lab, "lab", "aws_dynamodb_table");
  const allStacks = Object.keys(JSON.parse(fs.readFileSync(path.join(defaultOutdir, "manifest.json"), "utf8")).stacks).sort();

  const scenarios: Scenario[] = [
    change("instance-type", "first-ec2", { stacks: { firstEc2: { instanceType: "t2.micro" } } }),
    change("ssh-cidr", "first-ec2", { ssh: { ingressCidr: "198.51.100.99/32" } }),
    change("tag-everywhere", "simple-lambda", { tags: { CostCenter: "course-42" } }),
    change("lambda-memory", "simple-lambda", { stacks: { simpleLambda: { memorySize: 256 } } }),
    change("lambda-x86", "simple-lambda", { stacks: { simpleLambda: { architecture: "x86_64" } } }),
    change("user-data", "web-fleet", { stacks: { webFleet: { setup: "pytorch-cpu" } } }),
    change("warm-pool-min", "web-fleet", { stacks: { webFleet: { base: { warmPool: { minSize: 2 } } } } }),
    change("spot-strategy", "web-fleet", { stacks: { webFleet: { spot: { allocationStrategy: "capacity-optimized" } } } }),
    labChange("vpc-cidr", { vpcCidr: "10.40.0.0/23" }),
    labChange("partition-key", { partitionKey: "id" }),
    labChange("api-route", { routes: 2 }, labWithApi),
    labChange("rename", { tableId: "Records" }),
    labChange("rename-moved", { tableId: "Records", tableMovedFrom: oldTable }),
    labChange("resource-removed", { queue: false }),
    labChange("output-changed", { outputValue: "arn" }),
    { name: "stack-added", pairs: [{ id: "stack-added/lab", head: stack(lab, "lab") }] },
    { name: "stack-removed", pairs: [{ id: "stack-removed/lab", base: stack(lab, "lab") }] },
    // The same app twice: no terraform needed, every stack unchanged.
    { name: "no-change", pairs: allStacks.map((s) => ({ id: `no-change/${s}`, base: stack(defaultOutdir, s), head: stack(defaultOutdir, s) })) },
  ];
  // ... and forced through terraform: every stack plans clean against its own baseline (the same bases as
  // the change scenarios', so each is planned once).
  scenarios.push({
    name: "baseline-noise",
    pairs: allStacks.map((s) => {
      const source = oneProviderConfiguration(stack(defaultOutdir, s));
      return { id: `baseline-noise/${s}`, base: source, head: source, force: true };
    }),
  });
  return { scenarios, defaultOutdir };
}

/**
 * A stack as synthesized, but for the `Stack` value of its AWS provider's
 * default tags, which becomes the same for every app stack: they then
 * share one provider configuration in terraform's roots, where each
 * configuration costs two provider starts per run (~1.1 CPU-s). What the
 * scenarios ask is about the resources, which stay exactly as synthesized
 * (their tags_all still carries four default tags, one value changed on
 * both sides); a configuration of their own is kept where the scenario is
 * about it (tag-everywhere's new default tag) and for the lab stack. The
 * stacks with their own `Stack` tags are planned by `npm run plan`'s test.
 */
function oneProviderConfiguration(source: StackSource): StackSource {
  const aws = (source.json.provider?.aws ?? []).map((block) => {
    const tags = (block.default_tags as { tags?: Record<string, string> }[] | undefined)?.[0]?.tags;
    return tags?.Stack ? { ...block, default_tags: [{ tags: { ...tags, Stack: "baseline-noise" } }] } : block;
  });
  return { ...source, json: { ...source.json, provider: { ...source.json.provider, aws } } };
}
