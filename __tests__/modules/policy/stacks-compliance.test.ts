import * as fs from "fs";
import * as path from "path";
import { synthApp, stackJson } from "../../helpers/app";
import { testConfig } from "../../helpers/config";
import { checkStackJson, StackReport } from "../../../modules/policy/report";
import { formatFinding } from "../../../modules/policy/engine";

/**
 * Every stack of stacks/app.ts, synthesized the way `npm run synth` does
 * (aspect included), passes the whole pack: no unsuppressed error, and
 * every suppression says why.
 */
describe("every stack complies with the policy pack", () => {
  let reports: StackReport[];
  beforeAll(() => {
    // GIVEN the whole app synthesized with the test configuration
    const outdir = synthApp(testConfig());
    const stacks = Object.keys(JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")).stacks).sort();
    // WHEN the pack runs on each stack's JSON
    reports = stacks.map((s) => checkStackJson(s, stackJson(outdir, s)));
  });

  it("checks at least the foundation stacks", () => {
    expect(reports.map((r) => r.stack)).toEqual(expect.arrayContaining(["state", "first-ec2"]));
  });

  it("has zero unsuppressed error findings in any stack", () => {
    const blocking = reports.flatMap((r) => r.findings.filter((f) => f.rule.level === "error" && !f.suppressedBecause).map(formatFinding));
    expect(blocking).toEqual([]);
  });

  it("has zero unsuppressed warnings either (synth prints each one): every warning is fixed in a module or suppressed with its reason", () => {
    const open = reports.flatMap((r) => r.findings.filter((f) => f.rule.level === "warning" && !f.suppressedBecause).map(formatFinding));
    expect(open).toEqual([]);
  });

  it("has no stale suppression (each one still silences a finding) and no ALB-ACCESS-LOGS suppression (the module logs now)", () => {
    const all = reports.flatMap((r) => r.suppressions);
    expect(all.filter((s) => !s.used).map((s) => `[${s.rule}] ${s.path}`)).toEqual([]);
    expect(all.filter((s) => s.rule === "ALB-ACCESS-LOGS")).toEqual([]);
  });

  it("gives a reason with every suppression", () => {
    const all = reports.flatMap((r) => r.suppressions);
    for (const s of all) {
      expect(s.rule).toMatch(/^[A-Z0-9-]+$/);
      expect(s.reason.trim().length).toBeGreaterThanOrEqual(10);
    }
  });
});
