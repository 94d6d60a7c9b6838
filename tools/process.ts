/**
 * Running commands and saying that they still run: the one child-process
 * runner and the one 5-second heartbeat the plan and review tools share.
 */
import { execFile } from "child_process";

export interface ProcessResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a command to its end. `onLine` sees stdout line by line while it
 * runs; the whole output is returned too. A command that cannot start
 * returns code 127 with the reason in `stderr`.
 */
export function runProcess(
  cmd: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
  options: { onLine?: (line: string) => void } = {},
): Promise<ProcessResult> {
  return new Promise((resolve) => {
    const child = execFile(cmd, args, { cwd, env, maxBuffer: 1024 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as any).code === "number" ? (error as any).code : 127) : 0;
      resolve({ code, stdout, stderr: stderr || (error ? String(error.message) : "") });
    });
    if (options.onLine && child.stdout) {
      let rest = "";
      child.stdout.on("data", (chunk: Buffer) => {
        const lines = (rest + chunk.toString("utf8")).split("\n");
        rest = lines.pop() ?? "";
        for (const l of lines) options.onLine!(l);
      });
    }
  });
}

/**
 * Logs `describe(seconds running)` every 5 s (nothing when it returns
 * undefined) until the returned function is called, so a long step is
 * never silent.
 */
export function heartbeat(log: (line: string) => void, describe: (seconds: number) => string | undefined): () => void {
  const started = Date.now();
  const timer = setInterval(() => {
    const line = describe(Math.round((Date.now() - started) / 1000));
    if (line) log(line);
  }, 5000);
  timer.unref();
  return () => clearInterval(timer);
}

/** `work`, with a heartbeat `<label>: still working (N s)` while it runs. */
export async function withHeartbeat<T>(log: (line: string) => void, label: string, work: Promise<T>): Promise<T> {
  const stop = heartbeat(log, (s) => `${label}: still working (${s} s)`);
  try {
    return await work;
  } finally {
    stop();
  }
}
