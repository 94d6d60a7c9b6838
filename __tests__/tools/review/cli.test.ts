/**
 * `npm run review` end to end, as a user runs it: a copy of the project in
 * a fresh git repository, a commit that changes one Lambda's memory, and
 * `--base HEAD~1` - the base synthesized from a git worktree (reusing
 * node_modules: same lock file), the head from the working tree.
 */
import { spawnSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { cacheRoot } from "../../../tools/review/install";
import { commitConfigChange, copyProjectToRepo, git } from "../../../tools/project-copy";
import { tempDir } from "../../helpers/synth";

const ROOT = path.resolve(__dirname, "..", "..", "..");

const env = {
  ...process.env,
  CHECKPOINT_DISABLE: "1",
  // The same cache as the other tests (provider schemas), not the copy's.
  AWS_COURSE_REVIEW_CACHE: cacheRoot(ROOT),
};

// As `npm run review` runs it (package.json): the precompiled runner, in the copy.
const RUN_APP = "tools/run-app.js";

const started = Date.now() - 1000;

describe("npm run review", () => {
  let project: string;
  beforeAll(() => {
    project = copyProjectToRepo(tempDir("project"));
    commitConfigChange(project, "simple-lambda: 256 MB", (c) => (c.stacks = { ...c.stacks, simpleLambda: { memorySize: 256 } }));
  });

  test("--base HEAD~1 on a commit that changes one Lambda's memory prints that one update, before -> after, and nothing else", () => {
    const run = spawnSync(process.execPath, [RUN_APP, "tools/review/cli.ts", "--base", "HEAD~1", "--json", "report.json"], { cwd: project, env, encoding: "utf8" });
    expect({ status: run.status, stderr: run.status === 0 ? "" : run.stderr }).toEqual({ status: 0, stderr: "" });

    const report = JSON.parse(fs.readFileSync(path.join(project, "report.json"), "utf8"));
    const changed = Object.entries<any>(report.stacks).filter(([, s]) => s.status !== "unchanged");
    expect(changed.map(([n]) => n)).toEqual(["simple-lambda"]);
    const [change] = changed[0][1].changes;
    expect(changed[0][1].changes).toHaveLength(1);
    expect(change).toMatchObject({ actions: ["update"], construct_path: "simple-lambda/Function/Resource", attributes: { memory_size: { before: 128, after: 256 } } });
    expect(Object.keys(change.attributes)).toEqual(["memory_size"]);

    // The markdown on stdout (and in cdktf.out/review.md) says the same.
    expect(run.stdout).toContain("| simple-lambda | changed | 0 | 0 | 0 | 1 | 0 |");
    expect(run.stdout).toContain("| `memory_size` | `128` | `256` |");
    expect(run.stdout).toMatch(/Unchanged: bashoutter, ecs-autoscaling, first-ec2, gpu-jupyter, qa-bot, simple-dynamodb, state, web-fleet\./);
    expect(fs.readFileSync(path.join(project, "cdktf.out", "review.md"), "utf8").trim()).toBe(run.stdout.trim());

    // Progress: each stack said, with its time; the base came from a worktree that is gone again.
    expect(run.stderr).toMatch(/base: synthesized \(\d+\.\d s\)/);
    expect(run.stderr).toMatch(/simple-lambda: changed: 1 to update \(\d+\.\d s\)/);
    expect(run.stderr).toMatch(/state: unchanged/);
    expect(git(project, "worktree", "list").trim().split("\n")).toHaveLength(1);
  }, 300_000);

  test("the next review of the same base takes its baseline from the cache; one that differs from the base is corrected from terraform's plan first", () => {
    // GIVEN the cached baseline of simple-lambda's base, made wrong (as a stale or imperfect baseline would be)
    const dir = path.join(cacheRoot(ROOT), "baselines");
    const mine = fs.readdirSync(dir).map((f) => path.join(dir, f)).filter((f) => fs.statSync(f).mtimeMs >= started && fs.readFileSync(f, "utf8").includes("aws-course-dev-simple-lambda"));
    expect(mine.length).toBeGreaterThan(0);
    for (const f of mine) fs.writeFileSync(f, fs.readFileSync(f, "utf8").replace('"memory_size":128', '"memory_size":64'));
    // WHEN the same review runs again
    const run = spawnSync(process.execPath, [RUN_APP, "tools/review/cli.ts", "--base-dir", "cdktf.out/review/base", "--head-dir", "cdktf.out/review/head", "--stack", "simple-lambda", "--json", "again.json"], { cwd: project, env, encoding: "utf8" });
    // THEN the base's plan against it (memory 64 -> 128) corrects it, and the head's answer is the same as ever
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/baseline: 1 base stack\(s\) from the cache/);
    expect(run.stderr).not.toMatch(/from an empty state/);
    expect(run.stderr).toMatch(/planning 1 stack\(s\) against their baselines \(again\)/);
    const change = JSON.parse(fs.readFileSync(path.join(project, "again.json"), "utf8")).stacks["simple-lambda"].changes;
    expect(change).toEqual([expect.objectContaining({ actions: ["update"], attributes: { memory_size: { before: 128, after: 256 } } })]);
  }, 120_000);

  test("--online without credentials fails with one line naming the offline command, terraform's error below it", () => {
    const home = tempDir("home");
    const noAws = Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith("AWS_") || k === "AWS_COURSE_REVIEW_CACHE"));
    const run = spawnSync(
      process.execPath,
      [RUN_APP, "tools/review/cli.ts", "--base-dir", "cdktf.out/review/base", "--head-dir", "cdktf.out/review/head", "--online"],
      { cwd: project, env: { ...noAws, HOME: home, AWS_EC2_METADATA_DISABLED: "true" }, encoding: "utf8" },
    );
    expect(run.status).toBe(1);
    const line = run.stderr.split("\n").findIndex((l) => l.startsWith("simple-lambda: No AWS credentials found"));
    expect(line).toBeGreaterThanOrEqual(0);
    expect(run.stderr.split("\n")[line]).toContain("run npm run review (offline, no account)");
    expect(run.stderr.split("\n").slice(line + 1).join("\n")).toMatch(/Error: No valid credential sources found/);
  }, 120_000);

  test("a base with another lock file gets its own node_modules, installed once into the cache (here: already there)", () => {
    // GIVEN a base commit whose package-lock.json differs from the working tree's
    const lockFile = path.join(project, "package-lock.json");
    const lock = fs.readFileSync(lockFile, "utf8");
    fs.writeFileSync(lockFile, `${lock}\n`);
    git(project, "commit", "-qam", "lock file touched");
    fs.writeFileSync(lockFile, lock);
    git(project, "commit", "-qam", "lock file back");
    // ... whose install is in the cache already (npm ci of this project takes a minute)
    const key = crypto.createHash("sha256").update(`${lock}\n`).digest("hex").slice(0, 16);
    const cached = path.join(cacheRoot(ROOT), `node_modules-${key}`);
    fs.rmSync(cached, { recursive: true, force: true });
    fs.mkdirSync(cached, { recursive: true });
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(cached, "node_modules"));
    try {
      const run = spawnSync(process.execPath, [RUN_APP, "tools/review/cli.ts", "--base", "HEAD~1"], { cwd: project, env, encoding: "utf8" });
      expect(run.status).toBe(0);
      expect(run.stderr).toContain(`base: its package-lock.json differs from the working tree's: using its dependencies installed in ${cached}`);
      expect(run.stdout).toMatch(/No changes: every stack is unchanged/);
    } finally {
      fs.rmSync(cached, { recursive: true, force: true });
    }
  }, 120_000);

  test("a bad argument is a usage error", () => {
    const run = spawnSync(process.execPath, [RUN_APP, "tools/review/cli.ts", "--base-dir", "x"], { cwd: project, env, encoding: "utf8" });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("--base-dir and --head-dir go together");
  });
});
