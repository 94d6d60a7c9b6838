/**
 * The reviewer loop on a corpus of changes, offline: every scenario's base
 * gets an offline baseline state, and terraform plans its head against it.
 * Each test asserts terraform's action for every changed address, from the
 * JSON report. All scenarios run in one review (two terraform runs).
 */
import * as fs from "fs";
import * as path from "path";
import { reviewRoot } from "../../../tools/review/engine";
import { decodePlanFile } from "../../../tools/review/plan-file";
import type { ResourceReport, StackReport } from "../../../tools/review/report";
import { kindOf } from "../../../tools/review/report";
import type { StackPair } from "../../../tools/review/review";
import { reviewStacks } from "../../../tools/review/review";
import { cacheRoot, installProviders } from "../../../tools/review/install";
import { loadSchemas } from "../../../tools/review/schema";
import { checkTerraform, runTerraform, terraformEnv } from "../../../tools/terraform";
import { reuseSchemaOnlyEnv } from "../../../tools/review/provider-launchers";
import { tempDir } from "../../helpers/synth";
import { GITHUB_COMMENT_LIMIT, renderReview } from "../../../tools/review/markdown";
import { buildScenarios } from "./scenarios";

const ROOT = path.resolve(__dirname, "..", "..", "..");
let reports: Record<string, StackReport>;
let pairs: StackPair[];
let workDir: string;

beforeAll(async () => {
  checkTerraform();
  const { scenarios } = buildScenarios();
  workDir = tempDir("review");
  pairs = scenarios.flatMap((s) => s.pairs);
  reports = await reviewStacks(
    pairs,
    // Baselines built here every time (the cache is the CLI test's business).
    { workDir, env: terraformEnv(workDir, "offline"), cacheDir: cacheRoot(ROOT), reuseBaselines: false },
  );
}, 900_000);

/** The report of one scenario's stack; a stack that could not be planned fails with terraform's error. */
function report(id: string): StackReport {
  const r = reports[id];
  if (!r) throw new Error(`no report for ${id}`);
  if (r.status === "error") throw new Error(`${id} could not be planned:\n${r.error}`);
  return r;
}

/** address prefix (type + construct-id part) -> terraform's actions, for every changed resource. */
function actions(r: StackReport): Record<string, string> {
  return Object.fromEntries(r.changes.map((c) => [c.address, c.actions.join(",")]));
}

function only(r: StackReport, type: string): ResourceReport {
  const found = r.changes.filter((c) => c.address.startsWith(`${type}.`));
  if (found.length !== 1) throw new Error(`expected one change of ${type}, found ${found.map((c) => c.address).join(", ") || "none"}`);
  return found[0];
}

const byKind = (r: StackReport, kind: string) => r.changes.filter((c) => kindOf(c.actions) === kind).map((c) => c.address.split(".")[0]).sort();

describe("review scenarios (offline, terraform's own plan)", () => {
  test("first-ec2 t3.micro -> t2.micro: a new launch template version, and the instance replaced because of it", () => {
    const r = report("instance-type/first-ec2");
    expect(Object.values(actions(r)).sort()).toEqual(["delete,create", "update"]);
    const lt = only(r, "aws_launch_template");
    expect(lt.actions).toEqual(["update"]);
    expect(lt.attributes.instance_type).toEqual({ before: "t3.micro", after: "t2.micro" });
    const instance = only(r, "aws_instance");
    expect(instance.actions).toEqual(["delete", "create"]);
    expect(instance.replace_paths).toEqual([["launch_template", 0, "version"]]);
    expect(instance.construct_path).toBe("first-ec2/Server/Resource");
    expect(r.outputs.InstancePublicIp).toMatchObject({ actions: ["update"], after_unknown: true });
    expect(r.cost!.after_hourly).toBeGreaterThan(r.cost!.before_hourly); // t2.micro lists above t3.micro
  });

  test("SSH ingress CIDR changed: the rule (its address names the IP family, not the CIDR) updated in place, nothing else", () => {
    const r = report("ssh-cidr/first-ec2");
    expect(r.counts).toMatchObject({ create: 0, delete: 0, update: 1, replace: 0 });
    const updated = r.changes.find((c) => kindOf(c.actions) === "update")!;
    expect(updated.address).toMatch(/^aws_vpc_security_group_ingress_rule\..*_Ingress_tcp-22_ipv4_/);
    expect(updated.attributes.cidr_ipv4).toEqual({ before: "198.51.100.7/32", after: "198.51.100.99/32" });
  });

  test("a tag added to every resource: each taggable resource updated in place, nothing replaced", () => {
    const r = report("tag-everywhere/simple-lambda");
    expect(r.counts).toMatchObject({ replace: 0, delete: 0, create: 0 });
    const tagged = r.changes.filter((c) => c.attributes.tags_all);
    expect(tagged.map((c) => c.address.split(".")[0]).sort()).toEqual(["aws_cloudwatch_log_group", "aws_iam_role", "aws_lambda_function", "aws_sqs_queue"]);
    for (const c of tagged) {
      expect(c.actions).toEqual(["update"]);
      expect((c.attributes.tags_all.after as Record<string, string>).CostCenter).toBe("course-42");
    }
    // terraform reads a policy document at apply when a resource it names changes: the inline policy shows as updated.
    expect(only(r, "aws_iam_role_policy").attributes.policy).toMatchObject({ after_unknown: true });
  });

  test("Lambda memory 128 -> 256: that one update in place, with before -> after, and nothing else", () => {
    const r = report("lambda-memory/simple-lambda");
    expect(actions(r)).toEqual({ [only(r, "aws_lambda_function").address]: "update" });
    expect(only(r, "aws_lambda_function").attributes).toEqual({ memory_size: { before: 128, after: 256 } });
    expect(r.outputs).toEqual({});
  });

  test("Lambda on x86_64: updated in place, and the policy pack's new finding reported", () => {
    const r = report("lambda-x86/simple-lambda");
    expect(only(r, "aws_lambda_function").attributes.architectures).toEqual({ before: ["arm64"], after: ["x86_64"] });
    expect(r.policy.new).toEqual([expect.objectContaining({ rule: "LAMBDA-ARM64", level: "info", path: "simple-lambda/Function/Resource" })]);
    expect(r.policy.fixed).toEqual([]);
  });

  test("the whole corpus as one markdown comment: under GitHub's limit, destructive changes first, the rename's fix included", () => {
    const md = renderReview({ mode: "offline", base: "base", head: "head", stacks: reports });
    expect(md.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(md.indexOf("[!CAUTION]")).toBeLessThan(md.indexOf("<details>"));
    expect(md).toMatch(/\*\*replace\*\* `aws_instance\.Server_\w+` \(`first-ec2\/Server\/Resource`\) - forced by `launch_template\[0\]\.version`/);
    expect(md).toContain("call `.moveFromId(\"aws_dynamodb_table.Items_");
    expect(md).toMatch(/moved \{\n\s+from = aws_dynamodb_table\.Items_\w+\n\s+to {3}= aws_dynamodb_table\.Records_\w+\n\s+\}/);
    expect(md).toContain("new info: [LAMBDA-ARM64]");
  });

  test("instance user data changed: both launch templates get a new version, the groups follow it, nothing is replaced", () => {
    const r = report("user-data/web-fleet");
    expect(byKind(r, "update")).toEqual(["aws_autoscaling_group", "aws_autoscaling_group", "aws_launch_template", "aws_launch_template"]);
    expect(r.counts).toMatchObject({ replace: 0, delete: 0, create: 0 });
    for (const lt of r.changes.filter((c) => c.address.startsWith("aws_launch_template."))) {
      expect(Buffer.from(String(lt.attributes.user_data.after), "base64").toString()).toContain("torch");
    }
  });

  test("warm pool min size 1 -> 2: the on-demand group updated in place", () => {
    const r = report("warm-pool-min/web-fleet");
    const asg = only(r, "aws_autoscaling_group");
    expect(asg.actions).toEqual(["update"]);
    expect(asg.construct_path).toMatch(/BaseGroup/);
    expect(asg.attributes.warm_pool).toMatchObject({ before: [expect.objectContaining({ min_size: 1 })], after: [expect.objectContaining({ min_size: 2 })] });
    expect(r.changes).toHaveLength(1);
  });

  test("Spot allocation strategy changed: the Spot group updated in place", () => {
    const r = report("spot-strategy/web-fleet");
    const asg = only(r, "aws_autoscaling_group");
    expect(asg.actions).toEqual(["update"]);
    expect(asg.construct_path).toMatch(/SpotGroup/);
    expect(JSON.stringify(asg.attributes.mixed_instances_policy.after)).toContain("capacity-optimized");
  });

  test("VPC CIDR changed: the VPC is replaced, and with it everything that names it", () => {
    const r = report("vpc-cidr/lab");
    expect(only(r, "aws_vpc").replace_paths).toEqual([["cidr_block"]]);
    expect(byKind(r, "replace")).toEqual(
      expect.arrayContaining(["aws_vpc", "aws_subnet", "aws_security_group", "aws_route_table", "aws_vpc_security_group_ingress_rule", "aws_default_security_group"]),
    );
    expect(only(r, "aws_subnet").replace_paths).toEqual(expect.arrayContaining([["vpc_id"], ["cidr_block"]]));
    expect(only(r, "aws_internet_gateway").actions).toEqual(["update"]); // it can move to the new VPC in place
    expect(r.changes.some((c) => c.address.startsWith("aws_dynamodb_table."))).toBe(false);
  });

  test("DynamoDB partition key changed: the table is replaced (hash_key cannot change)", () => {
    const r = report("partition-key/lab");
    expect(actions(r)).toEqual({ [only(r, "aws_dynamodb_table").address]: "delete,create" });
    expect(only(r, "aws_dynamodb_table").replace_paths).toEqual([["hash_key"]]);
  });

  test("an API route added: its method, integration, body model and validator and permission created, the deployment replaced, the stage moved to it", () => {
    const r = report("api-route/lab");
    expect(byKind(r, "create")).toEqual(["aws_api_gateway_integration", "aws_api_gateway_method", "aws_api_gateway_model", "aws_api_gateway_request_validator", "aws_lambda_permission"]);
    expect(only(r, "aws_api_gateway_deployment").actions).toEqual(["create", "delete"]); // create_before_destroy
    expect(only(r, "aws_api_gateway_deployment").replace_paths).toEqual([["triggers"]]);
    expect(only(r, "aws_api_gateway_stage").attributes.deployment_id).toMatchObject({ after_unknown: true });
    expect(only(r, "aws_api_gateway_method").attributes.http_method).toEqual({ before: null, after: "POST" });
  });

  test("a construct id renamed: delete + create, reported as a probable rename with the moved block to paste", () => {
    const r = report("rename/lab");
    const created = r.changes.find((c) => kindOf(c.actions) === "create")!;
    const deleted = r.changes.find((c) => kindOf(c.actions) === "delete")!;
    expect(created.address).toMatch(/^aws_dynamodb_table\.Records_/);
    expect(deleted.address).toMatch(/^aws_dynamodb_table\.Items_/);
    expect(created.probable_rename_from).toBe(deleted.address);
    expect(deleted.probable_rename_to).toBe(created.address);
    expect(created.fix).toBe(`moved {\n  from = ${deleted.address}\n  to   = ${created.address}\n}`);
    expect(created.fix_cdktf).toBe(`.moveFromId("${deleted.address}")`);
  });

  test("the same rename with the move declared: a move, no delete and no create", () => {
    const r = report("rename-moved/lab");
    expect(r.changes).toHaveLength(1);
    expect(r.changes[0]).toMatchObject({ actions: ["no-op"], moved_from: expect.stringMatching(/^aws_dynamodb_table\.Items_/) });
    expect(r.counts).toMatchObject({ move: 1, create: 0, delete: 0 });
  });

  test("a resource removed: deleted, because it left the configuration", () => {
    const r = report("resource-removed/lab");
    // The queue goes with its TLS-only queue policy (SQS-TLS-ONLY).
    expect(actions(r)).toEqual({ "aws_sqs_queue.Jobs": "delete", "aws_sqs_queue_policy.JobsPolicy": "delete" });
    expect(r.changes.map((c) => c.action_reason)).toEqual(["delete_because_no_resource_config", "delete_because_no_resource_config"]);
  });

  test("an output changed: reported with before -> after, no resource changes", () => {
    const r = report("output-changed/lab");
    expect(r.changes).toEqual([]);
    expect(r.status).toBe("changed");
    expect(r.outputs.TableName).toMatchObject({ actions: ["update"], before: "aws-course-lab-items", after: expect.stringMatching(/^arn:aws:dynamodb:/) });
  });

  test("a stack added: every resource created", () => {
    const r = report("stack-added/lab");
    expect(r.status).toBe("added");
    expect(r.counts.create).toBe(r.changes.length);
    expect(r.counts.create).toBeGreaterThan(10);
  });

  test("a stack removed: every resource deleted", () => {
    const r = report("stack-removed/lab");
    expect(r.status).toBe("removed");
    expect(r.counts.delete).toBe(r.changes.length);
    expect(r.changes.every((c) => c.action_reason === "delete_because_no_resource_config")).toBe(true);
  });

  test("no change at all: every stack unchanged", () => {
    const ids = Object.keys(reports).filter((id) => id.startsWith("no-change/"));
    expect(ids).toHaveLength(9);
    for (const id of ids) expect(report(id)).toMatchObject({ status: "unchanged", changes: [], outputs: {} });
  });

  test("the plan file decoder reads the review's plan as terraform show -json renders it, sensitive values included", async () => {
    const env = terraformEnv(workDir, "offline");
    const required = Object.assign({}, ...pairs.flatMap((p) => [p.base, p.head].map((s) => s?.json.terraform?.required_providers ?? {})));
    const schemas = await loadSchemas(await installProviders(required, cacheRoot(ROOT), env), env);
    const dir = reviewRoot(workDir);
    // As the review's own runs in this root: the schema read answered with the root's types (provider-launchers.ts).
    const show = await runTerraform(["show", "-json", "-no-color", "tfplan"], dir, reuseSchemaOnlyEnv(dir, env));
    expect({ code: show.code, stderr: show.stderr }).toEqual({ code: 0, stderr: "" });
    const terraform = JSON.parse(show.stdout);
    const decoded = decodePlanFile(path.join(dir, "tfplan"), schemas);
    expect(decoded.resource_changes).toStrictEqual(terraform.resource_changes);
    expect(decoded.output_changes).toStrictEqual(terraform.output_changes);
    // What the comparison covered: the lab stack's sensitive attribute and output (before and after), moves and replacements, every action.
    const secrets = terraform.resource_changes.filter((rc: any) => rc.type === "aws_ssm_parameter");
    expect(secrets.map((rc: any) => rc.change)).toContainEqual(expect.objectContaining({ actions: ["no-op"], before_sensitive: expect.objectContaining({ value: true }), after_sensitive: expect.objectContaining({ value: true }) }));
    expect(terraform.output_changes["h-stack-added_lab__SecretValue"]).toMatchObject({ actions: ["create"], after: "lab-secret", after_sensitive: true });
    const actions = new Set(terraform.resource_changes.map((rc: any) => rc.change.actions.join(",")));
    expect([...actions].sort()).toEqual(["create", "create,delete", "delete", "delete,create", "no-op", "read", "update"]);
    expect(terraform.resource_changes.filter((rc: any) => rc.previous_address || rc.change.replace_paths).length).toBeGreaterThan(1);
  }, 60_000);

  test("the app's stacks share one provider configuration in the review's root, but where a scenario changes it", () => {
    const root = JSON.parse(fs.readFileSync(path.join(reviewRoot(workDir), "main.tf.json"), "utf8"));
    const configs = root.provider.aws.map((p: any) => (p.default_tags?.[0]?.tags?.CostCenter ? "tag-everywhere's head" : p.default_tags?.[0]?.tags?.Stack)).sort();
    // The lab stack keeps its own; tag-everywhere's head adds a default tag.
    expect(configs).toEqual(["baseline-noise", "lab", "tag-everywhere's head"]);
  });

  test("zero baseline noise: every stack, planned against its own offline baseline, has no changes", () => {
    const ids = Object.keys(reports).filter((id) => id.startsWith("baseline-noise/"));
    expect(ids).toHaveLength(9);
    for (const id of ids) {
      const r = report(id);
      expect(r.seconds).toBeDefined(); // it went through terraform
      expect({ id, changes: r.changes.map((c) => `${c.address} ${c.actions}`), outputs: Object.keys(r.outputs) }).toEqual({ id, changes: [], outputs: [] });
    }
  });
});
