import { ChildProcess, spawn, SpawnOptions } from "child_process";
import * as http from "http";
import type { AddressInfo } from "net";

/** A long-running child process and what it has printed so far. */
export interface Server {
  readonly child: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
}

/**
 * Spawns `command args` and resolves once its stdout matches `ready`;
 * rejects (with both outputs) when it exits first or after `timeoutMs` -
 * then stopping it (its whole process group when started `detached`), so a
 * server that never got ready is not left running.
 */
export function startServer(command: string, args: readonly string[], options: SpawnOptions, ready: RegExp, timeoutMs = 25_000): Promise<Server> {
  const child = spawn(command, [...args], { ...options, stdio: ["ignore", "pipe", "pipe"] });
  const label = [command, ...args].join(" ");
  let stdout = "";
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      try {
        if (options.detached && child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
        else child.kill("SIGKILL");
      } catch {
        // gone meanwhile
      }
      reject(new Error(`${label}: not ready after ${timeoutMs / 1000} s\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.stdout!.on("data", (d) => {
      stdout += d;
      if (ready.test(stdout)) {
        clearTimeout(timer);
        resolve({ child, stdout: () => stdout, stderr: () => stderr });
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${label}: exited ${code} before it was ready\n${stdout}\n${stderr}`));
    });
  });
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
