/**
 * `npm run policy`: synthesizes the app (errors kept, not thrown, so every
 * stack is written), runs the policy pack on every stack's JSON through the
 * same engine as the synth aspect, prints the findings and ALL suppressions
 * (rule, resource path, reason). Exit 1 on any unsuppressed error.
 *
 *   npm run policy                 synthesize into cdktf.out, then check
 *   npm run policy -- --no-synth   check an existing cdktf.out
 *   npm run policy -- --json       machine-readable report
 *   npm run policy -- --rules      the rule table (markdown) for docs/policy.md
 */
import * as path from "path";
import type { App } from "cdktf";
import { blockingFindings, checkOutdir, renderReport, renderRulesMarkdown, reportJson } from "../modules/policy/report";

const ROOT = path.resolve(__dirname, "..");

/**
 * Synthesizes like `npm run synth`, but writes stacks with error annotations instead of throwing.
 * The app, its configuration and its constructs load here, when a synth is asked for: `--no-synth`
 * (and `npm run cost -- --no-synth`) reads cdktf.out without them (~0.7 s less start-up).
 */
export function synthKeepingErrors(outdir: string, build?: (app: App) => void): void {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const cdktf = require("cdktf") as typeof import("cdktf");
  const { synthesizeDespiteErrors } = require("../modules/core/cdktf-internals") as typeof import("../modules/core/cdktf-internals");
  const buildDefault = (app: App) => {
    const { loadConfigOrExit } = require("../config/cli") as typeof import("../config/cli");
    const { buildApp } = require("../stacks/app") as typeof import("../stacks/app");
    buildApp(app, loadConfigOrExit());
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
  const app = new cdktf.App({ outdir, stackTraces: false });
  (build ?? buildDefault)(app);
  for (const c of app.node.findAll()) {
    if (cdktf.TerraformStack.isStack(c)) synthesizeDespiteErrors(c);
  }
  app.synth();
}

function main(): void {
  const args = process.argv.slice(2);
  if (args.includes("--rules")) {
    console.log(renderRulesMarkdown());
    return;
  }
  const outdir = path.join(ROOT, "cdktf.out");
  if (!args.includes("--no-synth")) synthKeepingErrors(outdir);
  const reports = checkOutdir(outdir);
  if (args.includes("--json")) {
    console.log(JSON.stringify(reportJson(reports), null, 2));
  } else {
    console.log(renderReport(reports));
  }
  process.exitCode = blockingFindings(reports).length ? 1 : 0;
}

if (require.main === module) main();
