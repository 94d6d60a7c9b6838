import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";

/** `cdktf.out` of the project (where `npm run synth` / `npm run cdktf -- deploy` write stack folders). */
export const DEFAULT_OUTDIR = path.resolve(__dirname, "..", "..", "cdktf.out");

export interface ReadOutputsOptions {
  /** @default DEFAULT_OUTDIR, or $CDKTF_OUTDIR */
  readonly outdir?: string;
  /** @default "terraform" on the PATH */
  readonly terraformBin?: string;
}

const cache = new Map<string, Promise<Record<string, unknown>>>();

/**
 * Outputs of a deployed stack, read with `terraform output -json` in its
 * folder `cdktf.out/stacks/<stack>` (the folder `npm run cdktf -- deploy` initialized
 * against the stack's S3 backend). Returns name -> value. Throws an error
 * that says how to deploy the stack or pass the value by hand.
 */
export function readStackOutputs(stack: string, options: ReadOutputsOptions = {}): Promise<Record<string, unknown>> {
  const outdir = options.outdir ?? process.env.CDKTF_OUTDIR ?? DEFAULT_OUTDIR;
  const key = `${outdir}\0${stack}`;
  let pending = cache.get(key);
  if (!pending) {
    pending = readUncached(stack, outdir, options.terraformBin ?? "terraform");
    cache.set(key, pending);
    pending.catch(() => cache.delete(key));
  }
  return pending;
}

function readUncached(stack: string, outdir: string, terraform: string): Promise<Record<string, unknown>> {
  const dir = path.join(outdir, "stacks", stack);
  // Never synthesized or deployed from this checkout: no folder, so no state to read.
  if (!fs.existsSync(path.join(dir, "cdk.tf.json"))) return Promise.reject(StackOutputsError.noState(stack));
  return new Promise((resolve, reject) => {
    execFile(terraform, ["output", "-json", "-no-color"], { cwd: dir, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        // Synthesized but never deployed here: terraform has no backend (`init` never ran) or no state in it.
        if (NO_STATE.test(stderr)) reject(StackOutputsError.noState(stack));
        else reject(new StackOutputsError(stack, `terraform output failed: ${terraformError(stderr, error.message)}`));
        return;
      }
      try {
        const parsed = JSON.parse(stdout || "{}") as Record<string, { value: unknown }>;
        const values = Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, v.value]));
        if (Object.keys(values).length === 0) reject(StackOutputsError.noState(stack));
        else resolve(values);
      } catch (e) {
        reject(new StackOutputsError(stack, `terraform output printed no JSON (${(e as Error).message})`));
      }
    });
  });
}

/** The first `Error: ...` line of terraform's stderr (colors and box drawing removed). */
export function terraformError(stderr: string, fallback: string): string {
  // eslint-disable-next-line no-control-regex
  const lines = stderr
    .replace(/\x1b\[[0-9;]*m/g, "")
    .split("\n")
    .map((l) => l.replace(/^[\s│╷╵]+/, "").trim());
  const error = lines.find((l) => l.startsWith("Error:"));
  return (error ?? lines.find((l) => l.length > 0) ?? fallback).replace(/^Error:\s*/, "");
}

/** terraform's words for a folder that was synthesized but never deployed from (no `init`, or an empty state). */
const NO_STATE = /Backend initialization required|Initialization required|No state file was found|No outputs found/i;

/** The one way to deploy a stack, as the README and guides write it. */
export function deployCommand(stack: string): string {
  return `npm run cdktf -- deploy ${stack}`;
}

/** The outputs of a stack could not be read. */
export class StackOutputsError extends Error {
  /**
   * @param reason why, after `cannot read the outputs of stack <stack>: `
   * @param noState the stack was never deployed from here: the message is `stack <stack> has no state: <reason>`
   */
  constructor(
    readonly stack: string,
    readonly reason: string,
    readonly noState = false,
  ) {
    super(noState ? `stack ${stack} has no state: ${reason}` : `cannot read the outputs of stack ${stack}: ${reason}`);
    this.name = "StackOutputsError";
  }

  /** `stack <stack> has no state: deploy it with \`npm run cdktf -- deploy <stack>\`` */
  static noState(stack: string): StackOutputsError {
    return new StackOutputsError(stack, `deploy it with \`${deployCommand(stack)}\``, true);
  }

  /** `e` as a StackOutputsError of `stack` (a plain error's `cannot read the outputs of stack <x>: ` prefix is not repeated). */
  static from(stack: string, e: unknown): StackOutputsError {
    if (e instanceof StackOutputsError) return e;
    return new StackOutputsError(stack, (e instanceof Error ? e.message : String(e)).replace(/^cannot read the outputs of stack \S+: /, ""));
  }

  /** The same error with the other way out: `..., or pass the function name: ...`. */
  or(alternative: string): StackOutputsError {
    return new StackOutputsError(this.stack, `${this.reason}${this.noState ? "," : ";"} or ${alternative}`, this.noState);
  }
}

/**
 * `given` when set, else the stack output `output`. When neither is
 * available the error explains both ways out: deploy the stack, or pass the
 * name as an argument (`hint`, e.g. "pass the function name: lambda invoke-one <name>").
 */
export async function nameOrOutput(
  readOutputs: (stack: string) => Record<string, unknown> | Promise<Record<string, unknown>>,
  given: string | undefined,
  stack: string,
  output: string,
  hint: string
): Promise<string> {
  if (given) return given;
  let outputs: Record<string, unknown>;
  try {
    outputs = await readOutputs(stack);
  } catch (e) {
    throw StackOutputsError.from(stack, e).or(hint);
  }
  const value = outputs[output];
  if (typeof value !== "string" || !value) {
    throw new StackOutputsError(stack, `it has no output ${output} (outputs: ${Object.keys(outputs).join(", ") || "none"}); ${hint}`);
  }
  return value;
}

/**
 * The region the stack was synthesized for (`provider.aws[0].region` in
 * `cdktf.out/stacks/<stack>/cdk.tf.json`), or undefined when not synthesized.
 */
export function readStackRegion(stack: string, outdir = process.env.CDKTF_OUTDIR ?? DEFAULT_OUTDIR): string | undefined {
  try {
    const json = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), "utf8")) as { provider?: { aws?: { region?: unknown }[] } };
    const region = json.provider?.aws?.[0]?.region;
    return typeof region === "string" && /^[a-z]{2}(-[a-z]+)+-\d$/.test(region) ? region : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Region for a client: `--region`, else AWS_REGION / AWS_DEFAULT_REGION, else
 * the region the stack deploys to, else undefined (the SDK's profile region).
 */
export function regionFor(given: string | undefined, stackRegion: string | undefined): string | undefined {
  return given ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? stackRegion;
}
