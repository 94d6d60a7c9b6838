/**
 * A copy of this project in a fresh git repository (the files git knows or
 * would add, node_modules linked), for tests and benchmarks that need a
 * history to review: commit a change to it, then run `--base HEAD~1`.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");

export function git(cwd: string, ...args: string[]): string {
  const who = { GIT_AUTHOR_NAME: "review", GIT_AUTHOR_EMAIL: "review@example.com", GIT_COMMITTER_NAME: "review", GIT_COMMITTER_EMAIL: "review@example.com" };
  return execFileSync("git", args, { cwd, stdio: "pipe", env: { ...process.env, ...who } }).toString();
}

/** Copies the project into `dir` (which must not exist or be empty) as one commit on `main`. */
export function copyProjectToRepo(dir: string): string {
  const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], { cwd: ROOT }).toString().split("\0").filter(Boolean);
  for (const f of files) {
    if (!fs.existsSync(path.join(ROOT, f))) continue; // deleted, not yet committed
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, f), path.join(dir, f));
  }
  git(dir, "init", "-q", "-b", "main");
  git(dir, "add", "-A");
  git(dir, "commit", "-qm", "base");
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  return dir;
}

/** Changes `infra.config.json` of a copy with `edit` and commits it. */
export function commitConfigChange(dir: string, message: string, edit: (config: Record<string, any>) => void): void {
  const file = path.join(dir, "infra.config.json");
  const config = JSON.parse(fs.readFileSync(file, "utf8"));
  edit(config);
  fs.writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  git(dir, "commit", "-qam", message);
}
