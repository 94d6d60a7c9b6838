/**
 * The offline reviewer loop's engine: for each synthesized stack, a private
 * working folder (never the folder users deploy from) with the stack's JSON,
 * its assets and a `harness_override.tf.json`, then `terraform init`,
 * `validate`, `plan` and `show -json`. Used by `npm run plan` and the tests.
 */
import { execFileSync } from "child_process";
import type { ProcessResult } from "./process";
import { runProcess } from "./process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export const TERRAFORM_BIN = process.env.TERRAFORM_BIN ?? "terraform";
/** Provider mirror: `/opt/tf-plugins` here; set TF_PLUGIN_MIRROR elsewhere, or leave it absent to download. */
export const PLUGIN_MIRROR = process.env.TF_PLUGIN_MIRROR ?? "/opt/tf-plugins";

export type PlanMode = "offline" | "online";

export interface StackRun {
  readonly stack: string;
  readonly ok: boolean;
  /** The step that failed, when one did. */
  readonly failedStep?: "init" | "validate" | "plan" | "show";
  /** terraform's own output for the failed step (or validate's diagnostics). */
  readonly error?: string;
  readonly validateDiagnostics: readonly { severity: string; summary: string; detail?: string }[];
  /** Parsed `terraform show -json` of the plan. */
  readonly plan?: TerraformPlanJson;
  readonly seconds: number;
}

/** The part of `terraform show -json <planfile>` the summary reads. */
export interface TerraformPlanJson {
  readonly resource_changes?: ReadonlyArray<{
    readonly address: string;
    readonly type: string;
    readonly mode: string;
    readonly change: { readonly actions: readonly string[] };
  }>;
  readonly output_changes?: Record<string, { readonly actions: readonly string[] }>;
}

/** Stacks in a cdktf output folder, from its manifest. */
export function listStacks(outdir: string): string[] {
  const manifest = path.join(outdir, "manifest.json");
  if (!fs.existsSync(manifest)) throw new Error(`${manifest} not found: run npm run synth first`);
  return Object.keys(JSON.parse(fs.readFileSync(manifest, "utf8")).stacks).sort();
}

/**
 * The settings every terraform run of this project gets, the reviewer
 * loop's and a user's `npm run cdktf -- deploy` alike, over this process's
 * environment: no update checks, Go's collector held off (below), the
 * providers' own logs off, and the AWS provider from the mirror when it
 * exists, through a CLI configuration written to `rcFile`.
 */
export function terraformSettings(rcFile: string): NodeJS.ProcessEnv {
  const base = process.env;
  const env: NodeJS.ProcessEnv = {
    ...base,
    CHECKPOINT_DISABLE: "1",
    // terraform and each AWS provider process spend much of their start-up in Go's garbage
    // collector (the provider builds ~1,500 resource schemas). No collection until a process's
    // Go heap reaches 512 MiB (a soft limit: past it the collector runs as usual), where
    // providers stay: the nine stacks' plan 10.0 -> 9.2 CPU-s against GOGC=400 (13.5 with Go's
    // default), its processes' summed peak RSS 2.8 -> 3.3 GB. A user's GOGC or GOMEMLIMIT wins.
    ...(base.GOGC || base.GOMEMLIMIT ? {} : { GOGC: "off", GOMEMLIMIT: "512MiB" }),
    ...(userLogs(base) ? {} : PROVIDER_LOGS_OFF),
  };
  if (fs.existsSync(PLUGIN_MIRROR)) {
    fs.mkdirSync(path.dirname(rcFile), { recursive: true });
    fs.writeFileSync(rcFile, cliConfig(PLUGIN_MIRROR));
    env.TF_CLI_CONFIG_FILE = rcFile;
  } else if (env.TF_CLI_CONFIG_FILE && !fs.existsSync(env.TF_CLI_CONFIG_FILE)) {
    delete env.TF_CLI_CONFIG_FILE; // a dangling path makes every terraform call warn
  }
  return env;
}

/**
 * The environment the reviewer loop's terraform runs in: terraformSettings
 * (its CLI configuration in `workRoot`), never prompting, and in offline mode
 * nothing that could reach AWS.
 */
export function terraformEnv(workRoot: string, mode: PlanMode): NodeJS.ProcessEnv {
  fs.mkdirSync(workRoot, { recursive: true });
  const env: NodeJS.ProcessEnv = { ...terraformSettings(path.join(workRoot, "terraformrc")), TF_IN_AUTOMATION: "1", TF_INPUT: "0" };
  if (mode === "offline") {
    // Nothing may reach AWS: no instance metadata, no shared credentials file.
    env.AWS_EC2_METADATA_DISABLED = "true";
    env.AWS_SHARED_CREDENTIALS_FILE = "/dev/null";
    env.AWS_CONFIG_FILE = "/dev/null";
    delete env.AWS_PROFILE;
  }
  return env;
}

/**
 * The provider's own logs off. Whatever TF_LOG says, a provider built on
 * terraform-plugin-go writes every RPC's trace lines to its stderr as JSON
 * (the AWS provider ~22,000 lines, 5 MB, in a plan of the nine stacks), and
 * terraform parses each line only to drop it below its own log level. Off at
 * the source (TF_LOG_SDK covers the SDK's proto, mux, framework and
 * helper/schema loggers): terraform's CPU in that plan -15%, the providers'
 * -5% (alternating runs). Nothing is lost: without TF_LOG terraform shows none
 * of these lines, and a user who sets any TF_LOG* variable gets them all.
 */
export const PROVIDER_LOGS_OFF = { TF_LOG_SDK: "off", TF_LOG_PROVIDER: "off" } as const;

function userLogs(env: NodeJS.ProcessEnv): boolean {
  return Object.keys(env).some((k) => k.startsWith("TF_LOG") && env[k]);
}

/** The CLI configuration block for a filesystem mirror of the AWS provider. */
export function cliConfig(mirror: string): string {
  return [
    "provider_installation {",
    "  filesystem_mirror {",
    `    path    = ${JSON.stringify(mirror)}`,
    '    include = ["registry.terraform.io/hashicorp/aws"]',
    "  }",
    "  direct {",
    '    exclude = ["registry.terraform.io/hashicorp/aws"]',
    "  }",
    "}",
    "",
  ].join("\n");
}

/** The AWS provider settings that let terraform plan with no AWS account and no network. */
export const OFFLINE_PROVIDER_SETTINGS = {
  access_key: "AKIAOFFLINEPLAN00000",
  secret_key: "offline-plan-dummy-secret",
  skip_credentials_validation: true,
  skip_requesting_account_id: true,
  skip_metadata_api_check: true,
  skip_region_validation: true,
} as const;

/**
 * The override that makes a stack plan with no AWS account: a local backend
 * and dummy credentials with every AWS call at start-up skipped. It lives only
 * in the harness's folder, never next to the JSON that users deploy.
 */
export function offlineOverride(stackJson: { provider?: { aws?: Array<{ alias?: string }> } }): object {
  const providers = (stackJson.provider?.aws ?? [{}]).map((p) => ({ ...(p.alias ? { alias: p.alias } : {}), ...OFFLINE_PROVIDER_SETTINGS }));
  return {
    terraform: { backend: { local: { path: "terraform.tfstate" } } },
    provider: { aws: providers },
  };
}

/** Copies a stack into `workRoot/<stack>`, ready for terraform. */
export function prepareStackDir(outdir: string, stack: string, workRoot: string, mode: PlanMode): string {
  const source = path.join(outdir, "stacks", stack);
  const dir = path.join(workRoot, stack);
  fs.mkdirSync(dir, { recursive: true });
  for (const entry of fs.readdirSync(dir)) {
    // Keep the provider install (.terraform, lock file) between runs; replace the rest.
    if (entry !== ".terraform" && entry !== ".terraform.lock.hcl") fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
  }
  const json = fs.readFileSync(path.join(source, "cdk.tf.json"), "utf8");
  fs.writeFileSync(path.join(dir, "cdk.tf.json"), json);
  if (fs.existsSync(path.join(source, "assets"))) {
    fs.symlinkSync(path.relative(dir, path.join(source, "assets")), path.join(dir, "assets"));
  }
  if (mode === "offline") {
    fs.writeFileSync(path.join(dir, "harness_override.tf.json"), JSON.stringify(offlineOverride(JSON.parse(json)), null, 2));
  }
  return dir;
}

export type TerraformResult = ProcessResult;

/** Runs one terraform command (see runProcess). */
export function runTerraform(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv, options: { onLine?: (line: string) => void } = {}): Promise<TerraformResult> {
  return runProcess(TERRAFORM_BIN, args, cwd, env, options);
}

/** init, validate, plan and show one stack. */
export async function runStack(
  outdir: string,
  stack: string,
  workRoot: string,
  mode: PlanMode,
  env: NodeJS.ProcessEnv,
  options: { readonly destroy?: boolean } = {},
): Promise<StackRun> {
  const started = Date.now();
  const dir = prepareStackDir(outdir, stack, workRoot, mode);
  const done = (r: Omit<StackRun, "stack" | "seconds">): StackRun => ({ stack, seconds: (Date.now() - started) / 1000, ...r });

  const init = await runTerraform(["init", "-input=false", "-no-color"], dir, env);
  if (init.code !== 0) return done({ ok: false, failedStep: "init", error: init.stderr || init.stdout, validateDiagnostics: [] });

  const validate = await runTerraform(["validate", "-json", "-no-color"], dir, env);
  let diagnostics: StackRun["validateDiagnostics"] = [];
  try {
    diagnostics = JSON.parse(validate.stdout).diagnostics ?? [];
  } catch {
    return done({ ok: false, failedStep: "validate", error: validate.stderr || validate.stdout, validateDiagnostics: [] });
  }
  if (validate.code !== 0) {
    const text = diagnostics.map((d) => `${d.severity}: ${d.summary}${d.detail ? ` - ${d.detail}` : ""}`).join("\n");
    return done({ ok: false, failedStep: "validate", error: text, validateDiagnostics: diagnostics });
  }

  const planArgs = ["plan", "-input=false", "-no-color", "-out=tfplan"];
  if (mode === "offline") planArgs.push("-lock=false", "-refresh=false");
  if (options.destroy) planArgs.push("-destroy");
  const plan = await runTerraform(planArgs, dir, env);
  if (plan.code !== 0) return done({ ok: false, failedStep: "plan", error: plan.stderr || plan.stdout, validateDiagnostics: diagnostics });

  const show = await runTerraform(["show", "-json", "-no-color", "tfplan"], dir, env);
  if (show.code !== 0) return done({ ok: false, failedStep: "show", error: show.stderr || show.stdout, validateDiagnostics: diagnostics });
  fs.writeFileSync(path.join(dir, "plan.json"), show.stdout);
  return done({ ok: true, validateDiagnostics: diagnostics, plan: JSON.parse(show.stdout) });
}

/** Runs every stack, `parallel` at a time. */
export async function runStacks(
  outdir: string,
  stacks: readonly string[],
  options: { workRoot?: string; mode?: PlanMode; parallel?: number; onStart?: (stack: string) => void; onDone?: (r: StackRun) => void } = {},
): Promise<StackRun[]> {
  const mode = options.mode ?? "offline";
  const workRoot = options.workRoot ?? path.join(outdir, "plan");
  const env = terraformEnv(workRoot, mode);
  const parallel = Math.max(1, options.parallel ?? os.cpus().length);
  const results: StackRun[] = new Array(stacks.length);
  let next = 0;
  const worker = async () => {
    while (next < stacks.length) {
      const i = next++;
      options.onStart?.(stacks[i]);
      results[i] = await runStack(outdir, stacks[i], workRoot, mode, env);
      options.onDone?.(results[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, stacks.length) }, worker));
  return results;
}

/** Fails with a message saying what is missing when terraform or the mirror cannot be used. */
export function checkTerraform(): void {
  try {
    execFileSync(TERRAFORM_BIN, ["version"], { stdio: "pipe", env: { ...process.env, CHECKPOINT_DISABLE: "1" } });
  } catch {
    throw new Error(`terraform not found ("${TERRAFORM_BIN}"): install terraform >= 1.10 or set TERRAFORM_BIN`);
  }
}
