/**
 * `npm run cdktf -- <command> [args]`: the cdktf CLI with this project's
 * terraform settings, so `synth`, `diff`, `deploy`, `destroy` and `output`
 * work the same on a laptop and on a machine with a provider mirror:
 *  - the AWS provider comes from the mirror when TF_PLUGIN_MIRROR (default
 *    /opt/tf-plugins) exists, through a generated CLI config;
 *  - `terraform providers lock` ignores mirrors, so diff/deploy/destroy get
 *    `--skip-provider-lock` there (terraform init still records a lock file);
 *  - no telemetry or update checks (CHECKPOINT_DISABLE, CDKTF_DISABLE_PLUGIN_CACHE_ENV);
 *  - terraform's other settings as `npm run plan` has them (terraformSettings
 *    in tools/terraform.ts: Go's collector held off, the providers' logs off);
 *  - `--help` (or no command) prints one usage line, then cdktf's own help.
 * The deploy command of every guide and CLI error: `npm run cdktf -- deploy <stack>`.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PLUGIN_MIRROR, terraformSettings } from "./terraform";
import { credentialsConfigured, noCredentialsLine } from "./credentials";

const ROOT = path.resolve(__dirname, "..");
const args = process.argv.slice(2);
/** The cdktf CLI (CDKTF_BIN replaces it, for tests). */
const bin = process.env.CDKTF_BIN ?? path.join(ROOT, "node_modules", ".bin", "cdktf");

// terraform's settings as the reviewer loop has them (mirror, Go's collector, the providers'
// logs off), without its TF_IN_AUTOMATION and TF_INPUT: deploy and destroy ask before they act.
const env: NodeJS.ProcessEnv = {
  ...terraformSettings(path.join(ROOT, "cdktf.out", ".terraformrc")),
  CDKTF_DISABLE_PLUGIN_CACHE_ENV: "1",
  DISABLE_VERSION_CHECK: "1",
};
const usesMirror = fs.existsSync(PLUGIN_MIRROR);
// Help: this wrapper's line, then cdktf's own help (its commands and options are what this runs).
if (args.length === 0 || ["--help", "-h", "help"].includes(args[0])) {
  console.log("usage: npm run cdktf -- <command> [stack] [cdktf options], e.g. npm run cdktf -- deploy first-ec2");
  console.log("(the pinned cdktf CLI below, with this project's terraform settings: provider mirror, no telemetry)\n");
  const help = spawnSync(bin, ["--help"], { cwd: ROOT, env, stdio: "inherit" });
  process.exit(args.length === 0 ? 2 : (help.status ?? 1));
}

const planning = ["diff", "plan", "deploy", "apply", "destroy"].includes(args[0]);
const extra = usesMirror && planning && !args.includes("--skip-provider-lock") ? ["--skip-provider-lock"] : [];

// Commands that read or change the real state need an account: say so first, then let terraform say why.
const NEEDS_ACCOUNT = ["diff", "plan", "deploy", "apply", "destroy", "output"];
if (NEEDS_ACCOUNT.includes(args[0]) && !credentialsConfigured(env)) {
  process.stderr.write(`${noCredentialsLine(`npm run cdktf -- ${args[0]}`, args[0] === "output" ? "npm run synth (outputs exist only once deployed)" : "npm run review (or npm run plan)")}\n`);
}

const result = spawnSync(bin, [...args, ...extra], { cwd: ROOT, env, stdio: "inherit" });
process.exit(result.status ?? 1);
