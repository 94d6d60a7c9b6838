/**
 * The docs stay true (issue 17.3): every command README.md and docs/*.md
 * show (code blocks, and the README's Scripts table) is classified by the
 * reviewed rules of ./doc-commands.ts; the offline ones run for real in a
 * copy of the project (so the checkout's cdktf.out, docs and site are left
 * alone), servers start and print what the docs show, commands that need
 * AWS name stacks that exist, and every stack output a doc names exists in
 * the synthesized JSON. The app is synthesized once, by `npm run synth`.
 * The servers also start as a newcomer starts them (issue 17.2, 17.6): no
 * AWS credentials and no NodeVersionSupportWarning with the SDK's switch
 * unset (jest's setup sets it for the workers; it is removed here).
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { main as cli } from "../../cli/index";
import { quietSdkNodeVersionWarning, SDK_NODE_WARNING_SWITCH } from "../../cli/lib/node-warning";
import { loadConfigWithSources } from "../../config/load";
import { renderReference, renderSchema, writeReference } from "../../tools/config-reference";
import { synthesizeApp } from "../../stacks/synthesize";
import { tempDir } from "../helpers/synth";
import { Server, startServer } from "../helpers/processes";
import { DocCommand, docCommands, docFiles, outputsNamed, ROOT, ruleOf, RULES, stacksNamedBy } from "./doc-commands";

interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Variables a reader's shell does not have: AWS credentials, test-only ones (the SDK's warning switch is jest's setup). */
const NOT_IN_A_READERS_SHELL = ["CDKTF_OUTDIR", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_REGION", "INFRA_STRICT", SDK_NODE_WARNING_SWITCH];

/** The shell a reader has: no AWS credentials, no test-only variables, servers on free ports. */
function readerEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: "0", LOCAL_DYNAMODB_PORT: "0", npm_config_update_notifier: "false", NO_COLOR: "1" };
  for (const k of NOT_IN_A_READERS_SHELL) delete env[k];
  return env;
}

/** Copies the files git knows or would add (as a clone would have them), node_modules linked. */
function copyProject(dir: string): string {
  const { execFileSync } = require("child_process") as typeof import("child_process"); // eslint-disable-line @typescript-eslint/no-require-imports
  const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], { cwd: ROOT }).toString().split("\0").filter(Boolean);
  for (const f of files) {
    const from = path.join(ROOT, f);
    if (!fs.existsSync(from) || fs.statSync(from).isDirectory()) continue;
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.copyFileSync(from, path.join(dir, f));
  }
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  return dir;
}

const SCRIPTS = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;

/**
 * `npm run <script> [-- args]` as the script's own command line
 * (`node tools/run-app.js tools/dev-server.ts args`): the same program without
 * npm's start-up, for the commands that are not about npm itself.
 */
function direct(command: string): string {
  const m = /^npm run ([\w:-]+)(?: -- (.*))?$/.exec(command);
  if (!m || !SCRIPTS[m[1]]) throw new Error(`${command}: not an npm script of package.json`);
  return `${SCRIPTS[m[1]]}${m[2] ? ` ${m[2]}` : ""}`;
}

/**
 * Bounds on the set-up, for a run on a loaded shared 2-core machine (the quiet
 * run takes ~10 s): no single server may take longer than SERVER_READY_MS to
 * print its ready line, the whole set-up no longer than SETUP_MS.
 */
const SERVER_READY_MS = 300_000;
const SETUP_MS = 600_000;

/** `sh -c <command>` in `cwd`, to the end. */
function sh(command: string, cwd: string): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn("sh", ["-c", command], { cwd, env: readerEnv(), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** The lines a command printed, without npm's `> pkg@v script` header. */
function printed(text: string): string[] {
  return text.split("\n").filter((l) => l.trim() && !/^> /.test(l));
}

/** Starts `sh -c <command>` in its own process group; resolves once stdout matches `ready`. */
function startShell(command: string, cwd: string, ready: RegExp): Promise<Server> {
  return startServer("sh", ["-c", command], { cwd, env: readerEnv(), detached: true }, ready, SERVER_READY_MS);
}

/**
 * Stops the process group this test started (sh -> node), by its id, and
 * resolves once sh has exited (the server exits some ms after it, on the same
 * signal). sh dies of the signal, so its exitCode stays null: a server is
 * known stopped by its exit or signal code, and a second call for one already
 * stopped returns instead of waiting for an exit event that has passed (what
 * made this hook hang until its timeout).
 */
async function stopServer(server: Server | undefined): Promise<void> {
  const child = server?.child;
  if (!child || child.pid === undefined) return;
  const exited = child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    // ESRCH: nothing of the group is left
  }
  await exited;
}

/** Splits a command line the way sh would for the simple quoting the docs use. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  for (const m of line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) words.push(m[1] ?? m[2] ?? m[3]);
  return words;
}

/** Runs `npm run cli -- <args>` in-process; out and err lines. `asReader`: without the variables a reader's shell lacks (AWS credentials). */
async function runCli(args: string[], asReader = false): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const saved = process.env;
  if (asReader) {
    process.env = readerEnv();
    quietSdkNodeVersionWarning(); // as the entry, cli/index.ts run(), does before main
  }
  try {
    const code = await cli(args, { out: (l) => out.push(l), err: (l) => err.push(l), progress: false, readOutputs: () => ({}), stackRegion: () => undefined });
    return { code, out, err };
  } finally {
    process.env = saved;
  }
}

const all = docCommands();
const byRule = (id: string) => all.filter((c) => ruleOf(c.command)?.id === id);
const where = (c: DocCommand) => `${c.file}:${c.line} ${c.command.split("\n")[0]}`;
/** `# text` lines a doc shows under a command, without the `# `. */
const shownOutput = (c: DocCommand) => c.shown.map((l) => l.replace(/^\s*# ?/, ""));

let copy: string;
const ran = new Map<string, Ran>();
const servers = new Map<string, { lines: string[]; stderr: string }>();
const cliRuns: { command: DocCommand; result: Awaited<ReturnType<typeof runCli>> }[] = [];
let stacks: string[] = [];
let outputsByStack = new Map<string, Set<string>>();

let optional: { outdir: string };

/** The first-ec2 and gpu-jupyter stacks with Session Manager and Spot on, synthesized in-process (their extra outputs). */
function optionalOutputs(): void {
  const dir = tempDir("docs-optional-outputs");
  fs.writeFileSync(path.join(dir, "infra.config.json"), JSON.stringify({ stacks: { firstEc2: { sessionManager: true }, gpuJupyter: { sessionManager: true, spot: true } } }));
  const variant = synthesizeApp({ dir, env: { INFRA_QUIET_PLACEHOLDERS: "1" }, outdir: path.join(dir, "out"), only: ["first-ec2", "gpu-jupyter"], print: () => undefined });
  if (!variant.ok) throw new Error(`optional-output synth failed: ${variant.problems.join("; ")}`);
  optional = { outdir: variant.outdir };
}

beforeAll(async () => {
  copy = copyProject(tempDir("docs-project"));
  const keep: Server[] = [];
  try {
    // Two chains side by side, each one process at a time: on two cores more
    // at once only makes each slower (and a loaded machine slower still).
    // Chain 1: the one synth - the one command run through npm, proving the
    // script's wiring and npm's output - then what reads its output, each by
    // its script's command line, then cdktf's help (the chains about equally long).
    const synthChain = (async () => {
      ran.set("synth", await sh("npm run synth", copy));
      ran.set("policy", await sh(direct("npm run policy -- --no-synth"), copy));
      ran.set("cost", await sh(direct("npm run cost -- --no-synth"), copy));
      ran.set("config-reference", await sh(direct("npm run config:reference"), copy));
      ran.set("cdktf-help", await sh(direct("npm run cdktf -- --help"), copy));
    })();
    // Chain 2: local DynamoDB and the commands that use it, then the dev server
    // as each guide starts it (one after the other: each builds the site), then
    // build:site (it writes site/dist too).
    const serverChain = (async () => {
      const local = await startShell(direct("npm run local:dynamodb"), copy, /^try: .*\n/m);
      keep.push(local);
      const lines = printed(local.stdout());
      servers.set("npm run local:dynamodb", { lines, stderr: local.stderr() });
      const endpoint = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(lines[0])?.[1] ?? "http://127.0.0.1:1";
      for (const c of byRule("cli-local")) {
        const args = shellWords(c.command.replace(/http:\/\/127\.0\.0\.1:8000/g, endpoint)).slice(4);
        cliRuns.push({ command: c, result: await runCli(args, true) });
      }
      await stopServer(local);
      for (const c of byRule("dev")) {
        if (servers.has(c.command)) continue;
        const dev = await startShell(direct(c.command), copy, /Press Ctrl\+C/);
        keep.push(dev);
        servers.set(c.command, { lines: printed(dev.stdout()), stderr: dev.stderr() });
        await stopServer(dev);
      }
      ran.set("build-site", await sh(direct("npm run build:site"), copy));
    })();
    // Meanwhile, in this process: outputs that exist only with a setting the guides describe (Session Manager, Spot).
    const inProcess = (() => {
      try {
        optionalOutputs();
        return { status: "fulfilled" } as const;
      } catch (reason) {
        return { status: "rejected", reason } as const;
      }
    })();
    // All to the end before the servers are stopped: a chain that failed first must not leave the other one starting servers.
    for (const done of [...(await Promise.allSettled([synthChain, serverChain])), inProcess]) if (done.status === "rejected") throw done.reason;
  } finally {
    await Promise.all(keep.map(stopServer));
  }

  const outdir = path.join(copy, "cdktf.out");
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")) as { stacks: Record<string, { synthesizedStackPath: string }> };
  stacks = Object.keys(manifest.stacks).sort();
  const addOutputs = (dir: string, stack: string, file: string) => {
    const json = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as { output?: Record<string, unknown> };
    const set = outputsByStack.get(stack) ?? new Set<string>();
    for (const name of Object.keys(json.output ?? {})) set.add(name);
    outputsByStack.set(stack, set);
  };
  outputsByStack = new Map();
  for (const [stack, s] of Object.entries(manifest.stacks)) addOutputs(outdir, stack, s.synthesizedStackPath);
  for (const stack of ["first-ec2", "gpu-jupyter"]) addOutputs(optional.outdir, stack, path.join("stacks", stack, "cdk.tf.json"));
}, SETUP_MS);

describe("every command the docs show", () => {
  test("is classified by exactly the reviewed rules, and every rule is in use", () => {
    expect(all.length).toBeGreaterThan(50);
    expect(all.filter((c) => !ruleOf(c.command)).map(where)).toEqual([]);
    const used = new Set(all.map((c) => ruleOf(c.command)!.id));
    expect(RULES.map((r) => r.id).filter((id) => !used.has(id))).toEqual([]);
    for (const r of RULES) expect(r.reason.length).toBeGreaterThan(10);
  });

  test("deploys one way: npm run cdktf -- <command>, never npx cdktf or a bare cdktf", () => {
    const texts = [...docFiles().filter((f) => f !== "docs/configuration.md"), ...fs.readdirSync(path.join(ROOT, "cli")).filter((f) => f.endsWith(".ts")).map((f) => `cli/${f}`), "cli/lib/outputs.ts", "cli/lib/errors.ts"];
    const offenders = texts.flatMap((f) =>
      fs
        .readFileSync(path.join(ROOT, f), "utf8")
        .split("\n")
        .flatMap((l, i) => (/npx cdktf|(?<!npm run )(?<!-- )\bcdktf (deploy|destroy|diff)\b/.test(l) ? [`${f}:${i + 1}: ${l.trim()}`] : [])),
    );
    expect(offenders).toEqual([]);
  });

  test("npm run synth synthesizes every stack and says so in one line", () => {
    const r = ran.get("synth")!;
    expect(r.stderr).not.toMatch(/Error|NodeVersionSupportWarning/);
    expect(r.code).toBe(0);
    expect(printed(r.stdout)).toEqual([`synthesized ${stacks.length} stacks into cdktf.out`]);
    expect(stacks.length).toBe(9);
    expect(byRule("synth").length).toBeGreaterThan(0);
  });

  test.each(byRule("synth-bad-config").map((c) => [where(c), c] as const))("%s fails with the message the doc shows", (_, c) => {
    const [, key, value] = /^(\w+)=(\S+)/.exec(c.command)!;
    const lines: string[] = [];
    const result = synthesizeApp({ dir: copy, env: { [key]: value }, outdir: path.join(tempDir("docs-bad-config"), "out"), print: (l) => lines.push(l) });
    expect(result.ok).toBe(false);
    const squash = (t: string) => t.replace(/\s+/g, " ").trim();
    expect(c.shown.length).toBeGreaterThan(1);
    expect(squash(lines.join("\n"))).toBe(squash(c.shown.join("\n")));
  });

  test("npm run policy and npm run cost run on that output", () => {
    expect(byRule("policy").length + byRule("cost").length).toBe(2);
    const policy = ran.get("policy")!;
    expect(policy.code).toBe(0);
    expect(policy.stdout).toMatch(/OK: no unsuppressed error findings/);
    const cost = ran.get("cost")!;
    expect(cost.code).toBe(0);
    expect(cost.stdout).toMatch(/Wrote docs\/costs\.md/);
    for (const s of stacks) expect(cost.stdout).toContain(s);
  });

  test("npm run config:reference prints one line, and its check then finds both files current", () => {
    const write = ran.get("config-reference")!;
    expect(write.code).toBe(0);
    expect(printed(write.stdout)).toEqual([expect.stringMatching(/^(wrote docs\/configuration\.md|wrote config\/infra\.config\.schema\.json|docs\/configuration\.md and config\/infra\.config\.schema\.json are up to date \(nothing written\))/)]);
    // What `-- --check` runs, in-process, on the copy's files (a process would load the schema again: ~1 s).
    const lines: string[] = [];
    const files = [path.join(copy, "docs", "configuration.md"), path.join(copy, "config", "infra.config.schema.json")];
    const code = writeReference({ check: true, files: [[files[0], renderReference()], [files[1], renderSchema()]], print: (l) => lines.push(l) });
    expect({ code, lines: lines.map((l) => l.split(path.relative(ROOT, copy) + path.sep).join("")) }).toEqual({ code: 0, lines: ["docs/configuration.md and config/infra.config.schema.json are up to date"] });
  });

  test("npm run cdktf -- --help shows cdktf's own help after the wrapper's usage", () => {
    const r = ran.get("cdktf-help")!;
    expect(r.code).toBe(0);
    const lines = printed(r.stdout);
    expect(lines[0]).toBe("usage: npm run cdktf -- <command> [stack] [cdktf options], e.g. npm run cdktf -- deploy first-ec2");
    expect(r.stdout).toMatch(/cdktf deploy \[stacks\.\.\.\]\s+Deploy the given stacks/);
    expect(r.stdout).toMatch(/cdktf output \[stacks\.\.\]/);
  });

  test("npm run build:site builds the GUI", () => {
    const r = ran.get("build-site")!;
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(copy, "site", "dist", "index.html"))).toBe(true);
  });

  test.each(byRule("local-config").map((c) => [where(c), c] as const))("%s writes a file that loads", (_, c) => {
    const body = c.command.split("\n").slice(1, -1).join("\n").replace("$(curl -s https://checkip.amazonaws.com)", "198.51.100.7");
    const dir = tempDir("docs-local-config");
    fs.copyFileSync(path.join(copy, "infra.config.json"), path.join(dir, "infra.config.json"));
    fs.writeFileSync(path.join(dir, "infra.config.local.json"), body);
    const loaded = loadConfigWithSources({ dir, env: {} });
    expect(loaded.config.state.bucket).toBe(JSON.parse(body).state.bucket);
    expect(loaded.config.ssh.ingressCidr).toBe("198.51.100.7/32");
  });

  test("npm run local:dynamodb prints what docs/simple-dynamodb.md shows, and the ddb commands shown with it work against it", () => {
    const local = servers.get("npm run local:dynamodb")!;
    const endpoint = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(local.lines[0])![1];
    const shown = byRule("local-dynamodb").find((c) => c.shown.length)!;
    expect(local.lines).toEqual(shownOutput(shown).map((l) => l.replace(/http:\/\/127\.0\.0\.1:8000/g, endpoint)));
    expect(local.stderr).not.toMatch(/NodeVersionSupportWarning/);
    expect(cliRuns.length).toBe(2);
    for (const { command, result } of cliRuns) {
      expect({ command: where(command), code: result.code, err: result.err }).toEqual({ command: where(command), code: 0, err: [] });
    }
    expect(cliRuns[0].result.out).toEqual([expect.stringMatching(/^1000 items written to aws-course-dev-simple-dynamodb in 40 batches/)]);
    expect(cliRuns[1].result.out[cliRuns[1].result.out.length - 1]).toMatch(/^\d+ item\(s\) with age <= 3 \(scanned 1000 in \d+ page\(s\)\)$/);
  });

  test("npm run dev, as each guide starts it, prints what the guide shows (ports aside)", () => {
    const ports = (l: string) => l.replace(/127\.0\.0\.1:\d+/g, "127.0.0.1:<port>");
    for (const c of byRule("dev")) {
      const server = servers.get(c.command)!;
      expect(server.stderr).not.toMatch(/NodeVersionSupportWarning/);
      const shown = shownOutput(c).map(ports);
      if (shown.length) expect(server.lines.slice(0, shown.length + 1).map(ports)).toEqual(expect.arrayContaining(shown));
      expect(server.lines.join("\n")).toMatch(/DynamoDB \(dynalite\) at http:\/\/127\.0\.0\.1:\d+, table bashoutter-local-haiku/);
      if (c.command.includes("--open-writes")) expect(server.lines.join("\n")).toMatch(/Open writes/);
      if (c.command.includes("--data")) expect(server.lines[server.lines.findIndex((l) => l.startsWith("Bashoutter running"))]).toMatch(/data: \.tmp\/haiku-data\)/);
    }
  });

  test.each(byRule("cli-deployed").map((c) => [where(c), c] as const))("%s names a command that exists", async (_, c) => {
    const args = shellWords(c.command).slice(4);
    const r = await runCli([...args, "--help"]);
    expect({ code: r.code, err: r.err }).toEqual({ code: 0, err: [] });
    expect(r.out.join("\n")).toMatch(new RegExp(`^Usage: cli ${args[0]} ${args[1]} `));
  });

  test("commands that need AWS name stacks that exist", () => {
    const named = all.filter((c) => ["stack-only", "skip", "cli-help"].includes(ruleOf(c.command)!.treatment)).flatMap((c) => stacksNamedBy(c.command).map((s) => [where(c), s]));
    expect(named.length).toBeGreaterThan(20);
    expect(named.filter(([, s]) => !stacks.includes(s))).toEqual([]);
  });
});

describe("every stack output a doc names", () => {
  test("exists in the synthesized JSON of its stack (with the setting that adds it, for optional ones)", () => {
    const named = docFiles().flatMap((f) => outputsNamed(fs.readFileSync(path.join(ROOT, f), "utf8"), f, stacks));
    expect(named.length).toBeGreaterThan(40);
    const missing = named.filter((o) => {
      const pool = o.stack ? [o.stack] : stacks;
      return !pool.some((s) => outputsByStack.get(s)?.has(o.name));
    });
    expect(missing.map((o) => `${o.file}:${o.line} ${o.stack ?? "any stack"}: ${o.name}`)).toEqual([]);
  });

  test("(control) a misspelt output would be caught", () => {
    const [o] = outputsNamed("## first-ec2: x\n\nthe `SshComand` output\n", "README.md", stacks);
    expect(o).toEqual({ file: "README.md", line: 3, name: "SshComand", stack: "first-ec2" });
    expect(outputsByStack.get("first-ec2")?.has(o.name)).toBe(false);
    expect(outputsByStack.get("first-ec2")?.has("SshCommand")).toBe(true);
  });
});
