/**
 * The providers a review or plan root uses, installed once: `terraform
 * init` of the required providers in the cache folder, which every root
 * links to instead of running init (directly, or through the launchers of
 * provider-launchers.ts).
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { runTerraform } from "../terraform";
import { onceAcrossProcesses } from "./cache-lock";

/** How a root runs the install's providers: launcher scripts in `.terraform/providers` layout, and the lock file that names them. */
export interface Launchers {
  /** A folder laid out as `.terraform/providers`, with a launcher where the install has a provider binary. */
  readonly providers: string;
  /** The install's lock file, each provider's hashes replaced by its launcher package's. */
  readonly lockFile: string;
}

/** The cache folder for the review's schemas and baselines. */
export function cacheRoot(projectRoot: string): string {
  return process.env.AWS_COURSE_REVIEW_CACHE ?? path.join(projectRoot, "node_modules", ".cache", "aws-course-review");
}

/** A folder where terraform installed the providers once; every review root links to it instead of running init. */
export interface ProviderInstall {
  readonly key: string;
  readonly dir: string;
  /** The cache folder it is in, with what is made from it (schema answers, schemas, launchers). */
  readonly cacheDir: string;
  readonly terraformVersion: string;
  /** `required_providers` it was made for (local name -> source/version). */
  readonly required: Readonly<Record<string, { source?: string; version?: string }>>;
}

/**
 * `terraform init` of the providers `requiredProviders` names (as in a
 * stack's `terraform.required_providers`), once per terraform and provider
 * versions, in the cache folder. Made in a private folder and renamed into
 * place, so concurrent reviews never see half of one.
 */
export async function installProviders(
  requiredProviders: Record<string, { source?: string; version?: string }>,
  cacheDir: string,
  env: NodeJS.ProcessEnv,
): Promise<ProviderInstall> {
  const terraformVersion = await versionOfTerraform(env);
  const required = Object.fromEntries(Object.entries(requiredProviders).sort(([a], [b]) => a.localeCompare(b)));
  const key = crypto.createHash("sha256").update(JSON.stringify({ terraformVersion, required, cli: env.TF_CLI_CONFIG_FILE ? fs.readFileSync(env.TF_CLI_CONFIG_FILE, "utf8") : "" })).digest("hex").slice(0, 16);
  const dir = path.join(cacheDir, `providers-${key}`);
  await onceAcrossProcesses(`${dir}.lock`, () => fs.existsSync(path.join(dir, ".terraform.lock.hcl")), async () => {
    const tmp = `${dir}.${process.pid}.tmp`;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(tmp, { recursive: true });
    fs.writeFileSync(path.join(tmp, "main.tf.json"), JSON.stringify({ terraform: { required_providers: required } }));
    const init = await runTerraform(["init", "-input=false", "-no-color", "-backend=false"], tmp, env);
    if (init.code !== 0) throw new Error(`terraform init of the providers failed:\n${init.stderr || init.stdout}`);
    try {
      fs.renameSync(tmp, dir);
    } catch {
      fs.rmSync(tmp, { recursive: true, force: true }); // another review made it meanwhile
    }
  });
  return { key, dir, cacheDir, terraformVersion, required };
}

/**
 * Makes `root` ready for terraform without `terraform init`: the lock file
 * and the providers from the install (through its launchers when given:
 * provider-launchers.ts), and the module list init would write.
 * False when the root needs a provider the install lacks (then run init).
 */
export function linkInstall(
  root: string,
  install: ProviderInstall,
  modules: readonly string[],
  rootRequired: Record<string, { source?: string; version?: string }>,
  launchers?: Launchers,
): boolean {
  for (const [local, req] of Object.entries(rootRequired)) {
    const have = install.required[local];
    if (!have || have.source !== req.source || have.version !== req.version) return false;
  }
  const dot = path.join(root, ".terraform");
  fs.rmSync(dot, { recursive: true, force: true });
  fs.mkdirSync(path.join(dot, "modules"), { recursive: true });
  if (launchers) {
    fs.writeFileSync(path.join(root, ".terraform.lock.hcl"), launchers.lockFile);
    fs.symlinkSync(launchers.providers, path.join(dot, "providers"));
  } else {
    fs.copyFileSync(path.join(install.dir, ".terraform.lock.hcl"), path.join(root, ".terraform.lock.hcl"));
    if (fs.existsSync(path.join(install.dir, ".terraform", "providers"))) fs.symlinkSync(path.join(install.dir, ".terraform", "providers"), path.join(dot, "providers"));
  }
  const entries = [{ Key: "", Source: "", Dir: "." }, ...modules.map((m) => ({ Key: m, Source: `./m/${m}`, Dir: `m/${m}` }))];
  fs.writeFileSync(path.join(dot, "modules", "modules.json"), JSON.stringify({ Modules: entries }));
  return true;
}

async function versionOfTerraform(env: NodeJS.ProcessEnv): Promise<string> {
  const v = await runTerraform(["version", "-json"], process.cwd(), env);
  try {
    return JSON.parse(v.stdout).terraform_version as string;
  } catch {
    return "unknown";
  }
}
