/**
 * The two versions a review compares, synthesized: the head from the
 * working tree, the base from a git ref checked out into a temporary
 * worktree (with the current node_modules when the lock file is the same,
 * else with one installed once into a cache folder per lock file).
 */
import { execFileSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { StackSource } from "./workspace";
import { runProcess } from "../process";

/** The stacks of a cdktf output folder, by name. */
export function readOutdir(outdir: string): Map<string, StackSource> {
  const manifestFile = path.join(outdir, "manifest.json");
  if (!fs.existsSync(manifestFile)) throw new Error(`${manifestFile} not found: is ${outdir} a synthesized cdktf output (npm run synth)?`);
  const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as { stacks: Record<string, { synthesizedStackPath: string; workingDirectory: string }> };
  const out = new Map<string, StackSource>();
  for (const [name, s] of Object.entries(manifest.stacks).sort(([a], [b]) => a.localeCompare(b))) {
    out.set(name, { json: JSON.parse(fs.readFileSync(path.join(outdir, s.synthesizedStackPath), "utf8")), dir: path.resolve(outdir, s.workingDirectory) });
  }
  return out;
}

/** A key that changes when a stack's JSON or any of its assets changes. */
export function contentKey(s: StackSource): string {
  const h = crypto.createHash("sha256").update(JSON.stringify(s.json));
  const assets = path.join(s.dir, "assets");
  // Asset folders are named by content hash (assets/<id>/<hash>/...), so names suffice.
  if (fs.existsSync(assets)) h.update(listTree(assets).join("\n"));
  return h.digest("hex");
}

function listTree(dir: string, prefix = ""): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? listTree(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]));
}

const run = runProcess;

/**
 * How the commit in `appDir` synthesizes: its cdktf.json `app` when that is a
 * `node ...` command (`node tools/run-app.js main.ts`: the precompiled app,
 * ~1 s instead of ~3 s under tsx), else main.ts under tsx (older commits).
 */
export function synthCommand(appDir: string): string[] {
  try {
    const app = (JSON.parse(fs.readFileSync(path.join(appDir, "cdktf.json"), "utf8")) as { app?: unknown }).app;
    const words = typeof app === "string" ? app.trim().split(/\s+/) : [];
    if (words[0] === "node" && words.length > 1 && fs.existsSync(path.join(appDir, words[1]))) return words.slice(1);
  } catch {
    // no readable cdktf.json: the fallback below
  }
  return ["--import", "tsx", "main.ts"];
}

/** Synthesizes the app in `appDir` into `outdir`, which is emptied first. */
export async function synthesize(appDir: string, outdir: string): Promise<void> {
  fs.rmSync(outdir, { recursive: true, force: true });
  fs.mkdirSync(outdir, { recursive: true });
  const env = { ...process.env, CDKTF_OUTDIR: outdir, INFRA_QUIET_PLACEHOLDERS: "1" };
  const r = await run(process.execPath, synthCommand(appDir), appDir, env);
  if (r.code !== 0) throw new Error(`synth failed in ${appDir}:\n${(r.stderr || r.stdout).trim()}`);
}

/** The commit a ref names, or a clear error. */
export function resolveRef(root: string, ref: string): string {
  try {
    return execFileSync("git", ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], { cwd: root, stdio: ["ignore", "pipe", "pipe"] }).toString().trim();
  } catch {
    throw new Error(`--base ${ref}: not a commit in this repository (try a branch, a tag, a commit id or HEAD~1)`);
  }
}

/** The default base: the merge base with origin/main when there is one, else with main. */
export function defaultBase(root: string): string {
  for (const ref of ["origin/main", "main"]) {
    try {
      return execFileSync("git", ["merge-base", "HEAD", ref], { cwd: root, stdio: ["ignore", "pipe", "ignore"] }).toString().trim();
    } catch {
      // try the next
    }
  }
  throw new Error("no base given and neither origin/main nor main exists: pass --base <git ref> or --base-dir/--head-dir");
}

export interface BaseSynthOptions {
  readonly root: string;
  readonly commit: string;
  readonly outdir: string;
  readonly cacheDir: string;
  readonly log: (line: string) => void;
}

/** Synthesizes the app as it is at `commit` into `outdir`. */
export async function synthesizeCommit(o: BaseSynthOptions): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `aws-course-review-${o.commit.slice(0, 12)}-`));
  fs.rmSync(dir, { recursive: true, force: true });
  const add = await run("git", ["worktree", "add", "--detach", "--force", dir, o.commit], o.root);
  if (add.code !== 0) throw new Error(`git worktree add failed:\n${add.stderr.trim()}`);
  try {
    fs.rmSync(path.join(dir, "node_modules"), { recursive: true, force: true });
    fs.symlinkSync(await nodeModulesFor(o), path.join(dir, "node_modules"));
    // The user's own values apply to both versions (git-ignored, so not in the worktree).
    const local = path.join(o.root, "infra.config.local.json");
    if (fs.existsSync(local)) fs.copyFileSync(local, path.join(dir, "infra.config.local.json"));
    await synthesize(dir, o.outdir);
  } finally {
    await run("git", ["worktree", "remove", "--force", dir], o.root);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** node_modules for the commit: the current one when its lock file is the same, else a cached install. */
async function nodeModulesFor(o: BaseSynthOptions): Promise<string> {
  const current = path.join(o.root, "node_modules");
  const lock = await run("git", ["show", `${o.commit}:package-lock.json`], o.root);
  const here = fs.existsSync(path.join(o.root, "package-lock.json")) ? fs.readFileSync(path.join(o.root, "package-lock.json"), "utf8") : "";
  if (lock.code === 0 && lock.stdout === here) return current;
  if (lock.code !== 0) throw new Error(`${o.commit.slice(0, 12)} has no package-lock.json: cannot install its dependencies reproducibly`);
  const key = crypto.createHash("sha256").update(lock.stdout).digest("hex").slice(0, 16);
  const target = path.join(o.cacheDir, `node_modules-${key}`);
  if (fs.existsSync(path.join(target, "node_modules", ".package-lock.json"))) {
    o.log(`base: its package-lock.json differs from the working tree's: using its dependencies installed in ${target}`);
    return path.join(target, "node_modules");
  }
  o.log(`base: its package-lock.json differs from the working tree's: installing its dependencies once into ${target}`);
  fs.rmSync(target, { recursive: true, force: true });
  fs.mkdirSync(target, { recursive: true });
  const pkg = await run("git", ["show", `${o.commit}:package.json`], o.root);
  fs.writeFileSync(path.join(target, "package.json"), pkg.stdout);
  fs.writeFileSync(path.join(target, "package-lock.json"), lock.stdout);
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const ci = await run(npm, ["ci", "--no-audit", "--no-fund"], target);
  if (ci.code !== 0) {
    fs.rmSync(target, { recursive: true, force: true });
    throw new Error(`npm ci for the base failed:\n${ci.stderr.trim().split("\n").slice(-20).join("\n")}`);
  }
  return path.join(target, "node_modules");
}
