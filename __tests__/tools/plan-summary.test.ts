import * as fs from "fs";
import * as path from "path";
import { actionOf, oneLine, reasonOf, renderMarkdown, summarizePlan } from "../../tools/plan-summary";
import type { StackRun, TerraformPlanJson } from "../../tools/terraform";

/** Real `terraform show -json` output (terraform 1.11.4, AWS provider 5.100.0); see tools/fixtures/make-plan-fixture.ts. */
const PLAN: TerraformPlanJson = JSON.parse(fs.readFileSync(path.join(__dirname, "../fixtures/plan-mixed.json"), "utf8"));
const run = (stack: string, plan: TerraformPlanJson = PLAN): StackRun => ({ stack, ok: true, plan, validateDiagnostics: [], seconds: 4.2 });

describe("summarizePlan on real terraform output", () => {
  it("is real show -json output with every action", () => {
    expect((PLAN as any).format_version).toMatch(/^1\./);
    expect(PLAN.resource_changes!.map((c) => c.change.actions.join("+")).sort()).toEqual(["create", "delete", "delete+create", "no-op", "update"]);
  });

  it("counts one resource per action", () => {
    // WHEN the fixture is summarized
    const s = summarizePlan(PLAN);
    // THEN
    expect(s.counts).toEqual({ create: 1, update: 1, replace: 1, delete: 1, read: 0, "no-op": 1 });
    expect(s.byType).toEqual({ aws_sqs_queue: { create: 1, update: 1, replace: 1 }, aws_cloudwatch_log_group: { delete: 1 } });
  });

  it("lists replacements, then deletions, with terraform's reasons", () => {
    expect(summarizePlan(PLAN).destructive).toEqual([
      { address: "aws_sqs_queue.dead_letters", action: "replace", why: "`name` cannot change in place" },
      { address: "aws_cloudwatch_log_group.old", action: "delete", why: "removed from the configuration" },
    ]);
  });

  it("treats create-before-destroy as a replacement", () => {
    expect(actionOf(["create", "delete"])).toBe("replace");
    expect(actionOf(["delete", "create"])).toBe("replace");
    expect(actionOf(["no-op"])).toBe("no-op");
  });

  it("explains a replacement forced by replace_paths without a reason code", () => {
    expect(reasonOf({ address: "a", type: "t", mode: "managed", change: { actions: ["delete", "create"], replace_paths: [["name"], ["tags", "x"]] } } as never)).toBe(
      "`name`, `tags.x` forces replacement",
    );
  });
});

describe("renderMarkdown", () => {
  const md = renderMarkdown([run("queues"), run("empty", { resource_changes: [] })]);

  it("puts replace and delete columns first and highlights them", () => {
    expect(md).toContain("| stack | replace | delete | update | create |");
    expect(md).toContain("| queues | **1** :warning: | **1** :warning: | 1 | 1 |");
    expect(md).toContain("| empty | 0 | 0 | 0 | 0 |");
  });

  it("lists destructive changes before any per-type table", () => {
    const caution = md.indexOf("> [!CAUTION]");
    const warning = md.indexOf("> [!WARNING]");
    const typeTable = md.indexOf("| resource type |");
    expect(caution).toBeGreaterThan(0);
    expect(caution).toBeLessThan(warning);
    expect(warning).toBeLessThan(typeTable);
    expect(md).toContain("> - **replace** `queues` `aws_sqs_queue.dead_letters` - `name` cannot change in place");
    expect(md).toContain("> - **delete** `aws_cloudwatch_log_group.old` - removed from the configuration");
  });

  it("sorts resource types with replacements and deletions first", () => {
    const section = md.slice(md.indexOf("## queues"));
    expect(section.indexOf("`aws_sqs_queue`")).toBeLessThan(section.indexOf("`aws_cloudwatch_log_group`"));
    expect(section).toContain("| `aws_sqs_queue` | **1** |  | 1 | 1 |");
    expect(section).toContain("| `aws_cloudwatch_log_group` |  | **1** |  |  |");
  });

  it("says No changes for an empty plan and shows failures with terraform's output", () => {
    expect(md).toMatch(/## empty\n\nNo changes\./);
    const failed = renderMarkdown([{ stack: "broken", ok: false, failedStep: "validate", error: "Error: Unsupported argument", validateDiagnostics: [], seconds: 1 }]);
    expect(failed).toContain("| broken | failed at validate |");
    expect(failed).toContain("Error: Unsupported argument");
  });
});

describe("oneLine", () => {
  it("orders destructive actions first", () => {
    expect(oneLine(run("queues"))).toBe("queues: 1 to replace, 1 to delete, 1 to update, 1 to create (4.2 s)");
    expect(oneLine(run("empty", { resource_changes: [] }))).toBe("empty: no changes (4.2 s)");
  });
});
