/**
 * examples/function-and-table: two modules (Table, NodeFunction) used in a
 * plain cdktf app outside this repository's stacks (issue 17.7) -
 * synthesized, validated and planned by terraform from an empty state,
 * offline, with the engine `npm run plan` and the stack tests use.
 */
import * as fs from "fs";
import * as path from "path";
import { synthExample } from "../../examples/function-and-table/main";
import { TABLE_READ_ACTIONS } from "../../modules/storage/table";
import { terraformEnv } from "../../tools/terraform";
import { EmptyPlan, planFromEmpty } from "../../tools/review/engine";
import { kindOf } from "../../tools/review/report";
import { cacheRoot } from "../../tools/review/install";
import { readOutdir } from "../../tools/review/sources";
import { tempDir } from "../helpers/synth";

const ROOT = path.resolve(__dirname, "..", "..");
const outdir = synthExample(tempDir("example"));
const json = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "function-and-table", "cdk.tf.json"), "utf8"));
let plan: EmptyPlan;

beforeAll(async () => {
  const workDir = tempDir("example-terraform");
  const source = readOutdir(outdir).get("function-and-table")!;
  [plan] = await planFromEmpty([{ id: "function-and-table", source }], { workDir, env: terraformEnv(workDir, "offline"), cacheDir: cacheRoot(ROOT) });
}, 300_000);

describe("examples/function-and-table", () => {
  test("synthesizes a table, a function and the read grant between them, from the modules alone", () => {
    const table = Object.values(json.resource.aws_dynamodb_table) as any[];
    const fn = Object.values(json.resource.aws_lambda_function) as any[];
    expect(table).toHaveLength(1);
    expect(fn).toHaveLength(1);
    expect(table[0]).toMatchObject({ hash_key: "item_id", billing_mode: "PAY_PER_REQUEST" });
    expect(fn[0].environment.variables.TABLE_NAME).toMatch(/^\$\{aws_dynamodb_table\.\w+\.name\}$/);
    // The role's policy document (an aws_iam_policy_document, rendered by terraform offline).
    const [policy] = Object.values(json.resource.aws_iam_role_policy) as any[];
    const documentId = /^\$\{data\.aws_iam_policy_document\.(\w+)\.json\}$/.exec(policy.policy)![1];
    const read = json.data.aws_iam_policy_document[documentId].statement.find((s: any) => s.actions.includes("dynamodb:GetItem"));
    expect([...read.actions].sort()).toEqual([...TABLE_READ_ACTIONS].sort());
    expect(read.resources).toEqual([expect.stringMatching(/^\$\{aws_dynamodb_table\.\w+\.arn\}$/)]);
    expect(json.terraform.backend.local.path).toBe("terraform.tfstate");
  });

  test("passes terraform validate and plans only creations, offline", () => {
    if (!plan.ok) throw new Error(`terraform failed:\n${plan.error}`);
    expect(plan.validateDiagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const created = plan.changes.filter((c) => c.mode === "managed").map((c) => [c.type, kindOf(c.change.actions)]);
    expect(created).toEqual(expect.arrayContaining([["aws_dynamodb_table", "create"], ["aws_lambda_function", "create"], ["aws_iam_role_policy", "create"]]));
    expect(created.filter(([, kind]) => kind !== "create")).toEqual([]);
    expect(Object.keys(plan.outputChanges).sort()).toEqual(["FunctionName", "TableName"]);
  });
});
