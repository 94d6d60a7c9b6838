/**
 * The project's command line: `npm run cli -- <group> <command> [args]`
 * (or the package bin `aws-course <group> <command>`), `--help` at every level.
 *
 *   lambda invoke-one | invoke-many      cli/lambda.ts  (simple-lambda stack)
 *   ddb write | search-under-age         cli/ddb.ts     (simple-dynamodb stack)
 *   haiku post-many | clear-database     cli/haiku.ts   (bashoutter stack)
 *   qa ask | ask-many | list-answers | clear   cli/qa.ts (qa-bot stack)
 *
 * Adding a group: write `cli/<group>.ts` exporting
 * `register<Group>(program: Command, env: CliEnv)` that adds
 * `program.command("<group>")` and its subcommands, then add ONE line to
 * GROUPS below. Reuse cli/lib/: `env` (out/err/progress/readOutputs/
 * setExitCode: print through these so tests can capture them), `action()`
 * (usage errors -> exit 2 with the usage line; other errors -> one line,
 * exit 1, stack trace with --debug), `nameOrOutput()` (a name argument that
 * defaults to a deployed stack's output), `runPool()` (concurrency limit),
 * `startProgress()` (cli-progress bar on stderr with rate and ETA, off when not a TTY),
 * `percentile()`, `parsePositiveInt()`.
 *
 * Exit codes: 0 ok, 1 the work failed (AWS error, failed items), 2 bad command line.
 * Only the group named on the command line is loaded (each pulls in its AWS SDK client).
 */
import { Command, CommanderError } from "commander";
import { CliEnv, defaultEnv } from "./lib/env";
import { EXIT_USAGE } from "./lib/errors";
import { quietSdkNodeVersionWarning } from "./lib/node-warning";

/* eslint-disable @typescript-eslint/no-require-imports -- require() keeps loading lazy under tsx and the package bin */
type Register = (program: Command, env: CliEnv) => unknown;

/** Command groups: name -> loader of its register function. One line per group. */
const GROUPS: Readonly<Record<string, () => Register>> = {
  lambda: () => (require("./lambda") as typeof import("./lambda")).registerLambda,
  ddb: () => (require("./ddb") as typeof import("./ddb")).registerDdb,
  haiku: () => (require("./haiku") as typeof import("./haiku")).registerHaiku,
  qa: () => (require("./qa") as typeof import("./qa")).registerQa,
};

/** Builds the program with the groups `argv` needs (all of them for help or an unknown group). */
export async function buildProgram(argv: readonly string[], env: CliEnv): Promise<Command> {
  const program = new Command("cli")
    .description("clients of the course stacks (names default to the deployed stacks' outputs)")
    .option("--debug", "print stack traces of errors")
    .exitOverride()
    .showHelpAfterError("(add --help for usage)")
    // List subcommands with their own usage line, so `invoke-many [options] [name] <n>` reads as declared;
    // wrap descriptions even beside such long terms (commander gives up below 40 columns).
    .configureHelp({ subcommandTerm: (cmd) => `${cmd.name()} ${cmd.usage()}`, minWidthToWrap: 20 })
    .configureOutput({
      writeOut: (s) => env.out(s.replace(/\n$/, "")),
      writeErr: (s) => env.err(s.replace(/\n$/, "")),
    });
  const wanted = argv.find((a) => !a.startsWith("-"));
  const names = wanted && GROUPS[wanted] ? [wanted] : Object.keys(GROUPS);
  for (const name of names) GROUPS[name]()(program, env);
  return program;
}

/** Runs one command line; resolves to the exit code. */
export async function main(argv: readonly string[], overrides: Partial<CliEnv> = {}): Promise<number> {
  let code = 0;
  const env = defaultEnv({ setExitCode: (c) => (code = c), ...overrides });
  try {
    const program = await buildProgram(argv, env);
    await program.parseAsync([...argv], { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help / --version exit 0; everything else commander rejects is a usage error.
      return e.code === "commander.helpDisplayed" || e.code === "commander.version" ? 0 : EXIT_USAGE;
    }
    env.err(`cli: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
  return code || Number(process.exitCode ?? 0);
}

/** Entry point of `npm run cli` and the package bin. */
export function run(): void {
  quietSdkNodeVersionWarning();
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`cli: ${String(e)}\n`);
      process.exitCode = 1;
    }
  );
}

if (require.main === module) run();
