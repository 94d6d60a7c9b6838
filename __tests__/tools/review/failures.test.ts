/**
 * A stack that terraform refuses does not take the others down: its report
 * says why (terraform's own message), the others get theirs.
 */
import * as path from "path";
import type { StackReport } from "../../../tools/review/report";
import { reviewStacks } from "../../../tools/review/review";
import { cacheRoot } from "../../../tools/review/schema";
import { readOutdir } from "../../../tools/review/sources";
import { terraformEnv } from "../../../tools/terraform";
import { tempDir } from "../../helpers/synth";
import { synthLab } from "./lab-stack";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const lab = (props: Parameters<typeof synthLab>[0]["lab"]) => readOutdir(synthLab({ lab: props })).get("lab")!;
let reports: Record<string, StackReport>;

beforeAll(async () => {
  const workDir = tempDir("review-failures");
  reports = await reviewStacks(
    [
      { id: "good", base: lab({}), head: lab({ queue: false }) },
      { id: "broken-head", base: lab({}), head: lab({ queueDelaySeconds: 99999 }) },
      { id: "broken-base", base: lab({ queueDelaySeconds: 99999 }), head: lab({}) },
    ],
    { workDir, env: terraformEnv(workDir, "offline"), cacheDir: cacheRoot(ROOT), reuseBaselines: false },
  );
}, 300_000);

describe("stacks terraform refuses", () => {
  test("a head that does not plan: an error with terraform's message", () => {
    expect(reports["broken-head"].status).toBe("error");
    expect(reports["broken-head"].error).toMatch(/^terraform plan failed:\nError: .*delay_seconds/s);
  });

  test("a base whose baseline cannot be built: an error that says so, with terraform's message", () => {
    expect(reports["broken-base"].status).toBe("error");
    expect(reports["broken-base"].error).toMatch(/^the baseline could not be built: terraform plan failed:\nError: .*delay_seconds/s);
  });

  test("the other stack still gets its report", () => {
    expect(reports.good.status).toBe("changed");
    expect(reports.good.changes.map((c) => `${c.address} ${c.actions}`)).toEqual(["aws_sqs_queue.Jobs delete"]);
  });
});
