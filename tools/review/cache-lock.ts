/**
 * One process at a time makes a cache entry (the review's provider
 * install, schema answers, schemas, launchers): a lock folder per entry.
 */
import * as fs from "fs";
import * as path from "path";

/** How long a process waits for another to finish a cache entry before making it itself. */
export const CACHE_LOCK_WAIT_MS = 300_000;

/**
 * Runs `make` unless `ready()` holds, one process at a time per `lock` (a
 * folder: mkdir is atomic): concurrent reviews (or test files) on a cold
 * cache install the providers and read their schemas once instead of each
 * doing it (~1.5 s of CPU per schema capture). The others wait
 * and then find it ready. A lock whose process is gone is taken over; after
 * CACHE_LOCK_WAIT_MS a waiter makes the entry itself (entries are renamed
 * into place, so doing it twice is only slower, never wrong).
 */
export async function onceAcrossProcesses(lock: string, ready: () => boolean, make: () => Promise<void>, waitMs = CACHE_LOCK_WAIT_MS): Promise<void> {
  const deadline = Date.now() + waitMs;
  while (!ready()) {
    try {
      fs.mkdirSync(lock);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      if (lockHolderGone(lock)) fs.rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) return make();
      else await new Promise((resolve) => setTimeout(resolve, 200));
      continue;
    }
    try {
      fs.writeFileSync(path.join(lock, "pid"), String(process.pid));
      if (!ready()) await make();
    } finally {
      fs.rmSync(lock, { recursive: true, force: true });
    }
    return;
  }
}

/** The lock's process has exited (a lock just made may not name its process yet: gone only if it stays so for 10 s). */
function lockHolderGone(lock: string): boolean {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(path.join(lock, "pid"), "utf8"));
  } catch {
    try {
      return Date.now() - fs.statSync(lock).mtimeMs > 10_000;
    } catch {
      return false; // released meanwhile
    }
  }
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "ESRCH";
  }
}
