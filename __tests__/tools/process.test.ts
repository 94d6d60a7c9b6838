/**
 * tools/process.ts childrenCpu (Linux): the CPU time of the children a process has
 * waited for, read from /proc/self/stat (what `npm run bench:test` prints
 * as the run's CPU).
 */
import { spawnSync } from "child_process";
import { childrenCpu, parseChildrenCpu } from "../../tools/process";

// A stat line as proc(5) gives it, for a command named "a) (b c": cutime 250 and cstime 75 ticks.
const STAT = "4242 (a) (b c) S 1 4242 4242 0 -1 4194560 900 1200 0 0 31 7 250 75 20 0 1 0 100 1000000 200 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";

describe("childrenCpu", () => {
  test("reads cutime and cstime, after a command name with spaces and parentheses", () => {
    expect(parseChildrenCpu(STAT)).toEqual({ user: 2.5, system: 0.75 });
  });

  test("a line without those fields is an error that shows it", () => {
    expect(() => parseChildrenCpu("4242 (cut) S 1 2")).toThrow('/proc/self/stat: no cutime/cstime in "4242 (cut) S 1 2"');
  });

  test("counts a child once it has been waited for: ~0.2 CPU-s of a busy loop", () => {
    const before = childrenCpu()!;
    const run = spawnSync(process.execPath, ["-e", "const end = process.cpuUsage().user + 200_000; while (process.cpuUsage().user < end);"]);
    expect(run.status).toBe(0);
    const after = childrenCpu()!;
    expect(after.user - before.user).toBeGreaterThanOrEqual(0.15);
    expect(after.user - before.user + after.system - before.system).toBeLessThan(5);
  });
});
