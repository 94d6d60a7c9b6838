/**
 * The review cache is made once when several processes want it at the same
 * time (a cold cache under jest's workers, two reviews on one machine), and
 * a lock left by a process that died does not block the next one.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { onceAcrossProcesses } from "../../../tools/review/cache-lock";
import { tempDir } from "../../helpers/synth";

const ROOT = path.resolve(__dirname, "..", "..", "..");

/** A process that makes `entry` through the lock, taking `ms`, and logs each make to `log` (the fixture, run as `npm run` runs entries). */
function maker(lock: string, entry: string, log: string, ms: number): Promise<number> {
  const args = ["tools/run-app.js", "__tests__/fixtures/cache-lock/maker.ts", lock, entry, log, String(ms)];
  return new Promise((resolve) => spawn(process.execPath, args, { cwd: ROOT, stdio: "ignore" }).on("exit", (code) => resolve(code ?? 1)));
}

test("four processes at once: the entry is made by one of them, the others wait and find it", async () => {
  const dir = tempDir("cache-lock");
  const [lock, entry, log] = ["entry.lock", "entry", "makes.log"].map((f) => path.join(dir, f));
  const codes = await Promise.all([1, 2, 3, 4].map(() => maker(lock, entry, log, 1500)));
  expect(codes).toEqual([0, 0, 0, 0]);
  expect(fs.readFileSync(log, "utf8").trim().split("\n")).toHaveLength(1);
  expect(fs.existsSync(lock)).toBe(false);
}, 60_000);

test("a lock whose process is gone is taken over at once", async () => {
  const dir = tempDir("cache-lock-stale");
  const lock = path.join(dir, "entry.lock");
  fs.mkdirSync(lock);
  fs.writeFileSync(path.join(lock, "pid"), "999999999"); // no such process
  let made = false;
  const started = Date.now();
  await onceAcrossProcesses(lock, () => made, async () => void (made = true), 30_000);
  expect(made).toBe(true);
  expect(Date.now() - started).toBeLessThan(10_000);
  expect(fs.existsSync(lock)).toBe(false);
});

test("a waiter that runs out of patience makes the entry itself", async () => {
  const dir = tempDir("cache-lock-wait");
  const lock = path.join(dir, "entry.lock");
  fs.mkdirSync(lock);
  fs.writeFileSync(path.join(lock, "pid"), String(process.pid)); // held by a live process (this one)
  let made = 0;
  await onceAcrossProcesses(lock, () => made > 0, async () => void made++, 300);
  expect(made).toBe(1);
  expect(fs.existsSync(lock)).toBe(true); // not its lock to remove
});
