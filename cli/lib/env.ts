/**
 * What every command group receives: where to print, whether to draw
 * progress bars, how to read a stack's outputs, how to set the exit code.
 * Tests pass their own; `cli/index.ts` passes {@link defaultEnv}.
 */
export interface CliEnv {
  /** One line of result, to stdout. */
  readonly out: (line: string) => void;
  /** One line of diagnostics, to stderr. */
  readonly err: (line: string) => void;
  /** Progress bars on stderr. @default true when stderr is a terminal */
  readonly progress: boolean;
  /** Outputs of a deployed stack, name -> value (see ./outputs.ts). */
  readonly readOutputs: (stack: string) => Record<string, unknown> | Promise<Record<string, unknown>>;
  /** Region a stack deploys to, when known (see ./outputs.ts readStackRegion). @default none */
  readonly stackRegion?: (stack: string) => string | undefined;
  /** Records the process exit code (tests capture it instead of exiting). */
  readonly setExitCode: (code: number) => void;
}

export function defaultEnv(overrides: Partial<CliEnv> = {}): CliEnv {
  // Imported lazily: outputs.ts spawns terraform, which only commands that need a name use.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { readStackOutputs, readStackRegion } = require("./outputs") as typeof import("./outputs");
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    progress: Boolean(process.stderr.isTTY),
    readOutputs: (stack) => readStackOutputs(stack),
    stackRegion: (stack) => readStackRegion(stack),
    setExitCode: (code) => {
      process.exitCode = code;
    },
    ...overrides,
  };
}
