/**
 * Running commands and saying that they still run: the one child-process
 * runner and the one 5-second heartbeat the plan and review tools share,
 * and the CPU time of the children waited for (what `npm run bench:test`
 * prints as its run's CPU).
 */
import { execFile } from "child_process";
import * as fs from "fs";

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

/** CPU seconds of a process's children. */
export interface ChildrenCpu {
  readonly user: number;
  readonly system: number;
}

/**
 * The CPU time of every child this process has waited for, and of what
 * they in turn waited for (Linux `/proc/self/stat`), or undefined where
 * there is no such file. A process its parent left behind, reparented to
 * init, is not in it.
 */
export function childrenCpu(): ChildrenCpu | undefined {
  let stat: string;
  try {
    stat = fs.readFileSync("/proc/self/stat", "utf8");
  } catch {
    return undefined;
  }
  return parseChildrenCpu(stat);
}

/** cutime and cstime of a `/proc/<pid>/stat` line, in the kernel's fixed 100 ticks a second (proc(5)). */
export function parseChildrenCpu(stat: string): ChildrenCpu {
  // The fields after the command name, which is in parentheses and may hold spaces and parentheses itself.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // Fields 16 and 17 of proc(5), counted from the pid: here 13 and 14, counted from the state (field 3).
  const [cutime, cstime] = [Number(fields[13]), Number(fields[14])];
  if (!(Number.isInteger(cutime) && Number.isInteger(cstime))) throw new Error(`/proc/self/stat: no cutime/cstime in "${stat.trim()}"`);
  return { user: cutime / 100, system: cstime / 100 };
}
