/**
 * The commands README.md and docs/*.md show in code blocks, and the rule
 * list that says which of them the doc test runs offline and why the
 * others cannot run here. A command no rule matches fails the test: a new
 * command in the docs needs a reviewed rule.
 */
import * as fs from "fs";
import * as path from "path";

export const ROOT = path.resolve(__dirname, "..", "..");

export interface DocCommand {
  /** `README.md`, `docs/simple-dynamodb.md` */
  readonly file: string;
  readonly line: number;
  /** The command as typed: prompt, trailing comment and line continuations removed. */
  readonly command: string;
  /** The trailing `# comment`, if any (some name outputs: `# InstancePublicIp, SshCommand`). */
  readonly comment: string;
  /** The lines of the block after the command up to the next command (shown output). */
  readonly shown: readonly string[];
}

/** README.md and every docs/*.md, relative to the root. */
export function docFiles(root = ROOT): string[] {
  return ["README.md", ...fs.readdirSync(path.join(root, "docs")).filter((f) => f.endsWith(".md")).sort().map((f) => `docs/${f}`)];
}

const SHELL = new Set(["sh", "bash", "shell", "console", "zsh"]);

/** Strips a trailing ` # comment` outside quotes. */
function splitComment(line: string): [string, string] {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === "#" && (i === 0 || /\s/.test(line[i - 1]))) return [line.slice(0, i).trimEnd(), line.slice(i + 1).trim()];
  }
  return [line.trimEnd(), ""];
}

/**
 * Commands of the fenced code blocks of one markdown text: every line of a
 * sh/bash/shell/console block that is not a comment, and `$ `-prompted lines
 * of blocks without a language. Fences nest by length (a ````markdown
 * block holding ``` blocks is skipped whole). Heredoc bodies are part of
 * their command; `\` continuations are joined.
 */
export function commandsOf(markdown: string, file: string): DocCommand[] {
  const lines = markdown.split("\n");
  const out: { file: string; line: number; command: string; comment: string; shown: string[] }[] = [];
  let fence: { marker: string; lang: string; first: number } | undefined;
  let heredoc: string | undefined;
  let pending: { line: number; text: string; comment: string } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const m = /^\s*(`{3,}|~{3,})\s*([\w-]*)/.exec(raw);
    if (!fence) {
      if (m) fence = { marker: m[1], lang: m[2].toLowerCase(), first: out.length };
      continue;
    }
    if (m && m[1][0] === fence.marker[0] && m[1].length >= fence.marker.length && m[2] === "" && !heredoc) {
      fence = undefined;
      continue;
    }
    const shell = SHELL.has(fence.lang);
    if (!shell && fence.lang !== "") continue;
    const last = out.length > fence.first ? out[out.length - 1] : undefined;
    if (heredoc !== undefined) {
      if (raw.trim() === heredoc) heredoc = undefined;
      if (last) last.command += `\n${raw}`;
      continue;
    }
    let text = raw.trim();
    if (!pending) {
      if (!shell) {
        if (!text.startsWith("$ ")) {
          if (last && text) last.shown.push(raw);
          continue;
        }
        text = text.slice(2);
      }
      if (!text || text.startsWith("#")) {
        if (last && text) last.shown.push(raw);
        continue;
      }
    }
    const [code, comment] = splitComment(text);
    const joined = pending ? `${pending.text} ${code.trim()}` : code;
    if (code.endsWith("\\")) {
      pending = { line: pending?.line ?? i + 1, text: joined.slice(0, -1).trimEnd(), comment: pending?.comment || comment };
      continue;
    }
    out.push({ file, line: pending?.line ?? i + 1, command: joined.trim(), comment: pending?.comment || comment, shown: [] });
    pending = undefined;
    const h = /<<-?\s*['"]?(\w+)['"]?/.exec(joined);
    if (h) heredoc = h[1];
  }
  return out;
}

/** The first code span of each row of the README's `## Scripts` table: `npm run policy`, `npm run review [-- --base <ref>] ...`. */
export function scriptsTableCommands(markdown: string, file = "README.md"): DocCommand[] {
  const lines = markdown.split("\n");
  const start = lines.findIndex((l) => /^## Scripts\b/.test(l));
  if (start < 0) return [];
  const out: DocCommand[] = [];
  for (let i = start + 1; i < lines.length && !/^## /.test(lines[i]); i++) {
    const m = /^\|\s*`([^`]+)`/.exec(lines[i]);
    if (m && m[1] !== "command") out.push({ file, line: i + 1, command: m[1], comment: "", shown: [] });
  }
  return out;
}

/** Every command of README.md's code blocks and Scripts table and of docs/*.md's code blocks. */
export function docCommands(root = ROOT): DocCommand[] {
  const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
  return [...docFiles(root).flatMap((f) => commandsOf(fs.readFileSync(path.join(root, f), "utf8"), f)), ...scriptsTableCommands(readme)];
}

/**
 * How the doc test treats a command:
 * - `run`: runs for real (in a copy of the project, or in-process), must succeed;
 * - `server`: started, must print its ready lines, then stopped;
 * - `cli-help`: a CLI command that needs a deployed stack; `<command> --help` must parse;
 * - `stack-only`: needs AWS or minutes of terraform; the stack it names must exist;
 * - `skip`: cannot run here at all (AWS, SSH, a deployed endpoint, docker, install).
 */
export type Treatment = "run" | "server" | "cli-help" | "stack-only" | "skip";

export interface Rule {
  readonly id: string;
  readonly match: RegExp;
  readonly treatment: Treatment;
  /** Why this treatment (reviewed with the rule). */
  readonly reason: string;
}

/** First match wins. Reviewed list: add a rule when the docs show a new kind of command. */
export const RULES: readonly Rule[] = [
  { id: "synth", match: /^npm run synth$/, treatment: "run", reason: "offline; in a copy of the project (its cdktf.out), prints one line; the app every check below reads" },
  { id: "synth-bad-config", match: /^INFRA_SSH_CIDR=\S+ npm run synth$/, treatment: "run", reason: "offline, in-process; must fail with the message the README shows" },
  {
    id: "policy",
    match: /^npm run policy$/,
    treatment: "run",
    reason: "offline; in the copy, its script's command line with --no-synth, on the output `npm run synth` just wrote (one synth for the whole test)",
  },
  { id: "cost", match: /^npm run cost$/, treatment: "run", reason: "offline; in the copy, its script's command line with --no-synth (writes the copy's docs/costs.md)" },
  { id: "config-reference", match: /^npm run config:reference$/, treatment: "run", reason: "offline; in the copy as written, then its --check (in-process, on the copy's files) must find both files current" },
  { id: "build-site", match: /^npm run build:site$/, treatment: "run", reason: "offline; in the copy (writes its site/dist)" },
  { id: "cdktf-help", match: /^npm run cdktf -- --help$/, treatment: "run", reason: "offline; must show cdktf's own help" },
  { id: "template", match: /<(cmd|group|command)>/, treatment: "skip", reason: "a template in the Scripts table; its instances are in the guides" },
  { id: "rewrites-tracked", match: /^npm run (addresses|diagram)$/, treatment: "skip", reason: "rewrites tracked files (stacks/addresses, docs/diagrams); their own tests check them" },
  { id: "local-config", match: /^cat > infra\.config\.local\.json <</, treatment: "run", reason: "offline: the file it writes must load (checkip.amazonaws.com replaced by a documentation address)" },
  { id: "local-dynamodb", match: /^npm run local:dynamodb$/, treatment: "server", reason: "offline: dynalite on loopback; started in a copy, then stopped" },
  { id: "dev", match: /^npm run dev( -- --(data \S+|open-writes))?$/, treatment: "server", reason: "offline: the dev server on loopback; started in a copy, then stopped" },
  { id: "cli-local", match: /^npm run cli -- ddb \S+ .*--endpoint http:\/\/127\.0\.0\.1:8000$/, treatment: "run", reason: "offline: against npm run local:dynamodb (its port substituted)" },
  { id: "cli-deployed", match: /^npm run cli -- (lambda|ddb|haiku|qa) /, treatment: "cli-help", reason: "needs the deployed stack (AWS); the command and its arguments must exist" },
  { id: "cdktf-aws", match: /^npm run cdktf -- (deploy|destroy|diff|output) [\w-]+$/, treatment: "stack-only", reason: "needs an AWS account and the real state" },
  { id: "plan", match: /^npm (ci && npm )?run plan( -- [\w-]+| \[-- stack \.\.\.\] \[-- --online\])?$/, treatment: "stack-only", reason: "terraform plans of every stack take a while; __tests__/tools/plan.test.ts runs npm run plan of them all" },
  { id: "review", match: /^npm run review( -- .*| \[-- .*)?$/, treatment: "stack-only", reason: "minutes of terraform; __tests__/tools/review/ runs the scenarios" },
  { id: "npm-test", match: /^npm test$/, treatment: "skip", reason: "the whole suite, this test included" },
  { id: "npm-ci", match: /^npm ci$/, treatment: "skip", reason: "installs packages (network)" },
  { id: "bench", match: /^npm run bench:\w+( -- .*)?$/, treatment: "skip", reason: "benchmarks run for minutes and print figures, nothing to assert" },
  { id: "terraform-output", match: /^(\w+=\$\()?terraform -chdir=cdktf\.out\/stacks\/[\w-]+ output /, treatment: "stack-only", reason: "reads the deployed state; the output it names is checked" },
  { id: "aws-cli", match: /^aws /, treatment: "skip", reason: "calls AWS with your account" },
  { id: "aws-cli-watch", match: /^watch -n \d+ 'aws /, treatment: "skip", reason: "calls AWS with your account" },
  { id: "curl-httpie", match: /^(curl|http) /, treatment: "skip", reason: "requests to a deployed endpoint ($API, $URL)" },
  { id: "load-test", match: /^hey /, treatment: "skip", reason: "load test of a deployed load balancer" },
  { id: "shell-vars", match: /^\w+=[^ ]*; \w+=/, treatment: "skip", reason: "values copied from a deployed API's answer" },
  { id: "ssh", match: /^(ssh|scp) /, treatment: "skip", reason: "logs in to a deployed instance" },
  { id: "key-file", match: /^chmod 400 ~\/\.ssh\//, treatment: "skip", reason: "the key file AWS created" },
  { id: "docker", match: /^docker /, treatment: "skip", reason: "needs docker and a network (base image, ECR)" },
];

export function ruleOf(command: string): Rule | undefined {
  return RULES.find((r) => r.match.test(command));
}

/** Stack names a command names (`deploy first-ec2`, `plan -- web-fleet`, `-chdir=cdktf.out/stacks/x`, `--stack x`). */
export function stacksNamedBy(command: string): string[] {
  const found = [
    ...command.matchAll(/npm run cdktf -- (?:deploy|destroy|diff|output) ([\w-]+)/g),
    ...command.matchAll(/npm run plan -- ([\w-]+)/g),
    ...command.matchAll(/cdktf\.out\/stacks\/([\w-]+)/g),
    ...command.matchAll(/--stack ([\w-]+)/g),
  ].map((m) => m[1]);
  return [...new Set(found)];
}

export interface NamedOutput {
  readonly file: string;
  readonly line: number;
  readonly name: string;
  /** The stack the doc means, when it says (its file, its section, its command). */
  readonly stack?: string;
}

/**
 * Stack outputs a doc names: `terraform ... output [-raw] X`, the comment
 * of `npm run cdktf -- output <stack>  # A, B`, "the `X` output", "Outputs:
 * `A`, `B`" / "Outputs `A` and `B`", rows of a table headed `output`, and
 * `<PascalCase>` placeholders in commands.
 */
export function outputsNamed(markdown: string, file: string, stacks: readonly string[]): NamedOutput[] {
  const base = path.basename(file, ".md");
  const fileStack = stacks.includes(base) ? base : undefined;
  const out: NamedOutput[] = [];
  let section: string | undefined;
  let inOutputTable = false;
  const lines = markdown.split("\n");
  lines.forEach((text, i) => {
    const heading = /^#{1,3} ([\w-]+)[: ]/.exec(text);
    if (heading) section = stacks.includes(heading[1]) ? heading[1] : undefined;
    const stack = fileStack ?? section;
    const add = (name: string, s = stack) => out.push({ file, line: i + 1, name, stack: s });
    for (const m of text.matchAll(/terraform(?: -chdir=cdktf\.out\/stacks\/([\w-]+))? output(?: -raw| -json)? ([A-Z]\w+)/g)) add(m[2], m[1] ?? stack);
    const cdktfOutput = /npm run cdktf -- output ([\w-]+)\s+#\s*(.*)$/.exec(text);
    if (cdktfOutput) for (const m of cdktfOutput[2].matchAll(/\b([A-Z][a-z]\w*[A-Z]\w*)\b/g)) add(m[1], cdktfOutput[1]);
    for (const m of text.matchAll(/`([A-Z]\w+)` output\b/g)) add(m[1]);
    const list = /\bOutputs:? ((?:`[A-Z]\w+`(?:, | and |,? and )?)+)/.exec(text);
    if (list) for (const m of list[1].matchAll(/`([A-Z]\w+)`/g)) add(m[1]);
    if (/^\|\s*output\s*\|/i.test(text)) inOutputTable = true;
    else if (!text.startsWith("|")) inOutputTable = false;
    else if (inOutputTable && !/^\|[-\s|:]+\|$/.test(text)) {
      const cell = /^\|\s*`([A-Z]\w+)`/.exec(text);
      if (cell) add(cell[1]);
    }
  });
  for (const c of commandsOf(markdown, file)) {
    for (const m of c.command.matchAll(/<([A-Z][a-z]+(?:[A-Z][a-z]*)+)>/g)) out.push({ file, line: c.line, name: m[1], stack: fileStack ?? stacksNamedBy(c.command)[0] });
  }
  return out;
}
