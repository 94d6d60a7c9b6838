/**
 * tools/run-app.js runs an entry from one bundle of it and the files it
 * imports; they all share the bundle's `module`, so a
 * `require.main === module` guard must still hold in the entry only.
 */
import { spawnSync } from "child_process";
import * as path from "path";
import { tempDir } from "../helpers/synth";

const ROOT = path.resolve(__dirname, "..", "..");

test("require.main === module: true in the entry, false in what it imports (as under node)", () => {
  const run = spawnSync(process.execPath, ["tools/run-app.js", "__tests__/fixtures/run-app/entry.ts"], {
    cwd: ROOT,
    env: { ...process.env, AWS_COURSE_APP_CACHE: tempDir("run-app") },
    encoding: "utf8",
  });
  expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
  expect(run.stdout).toBe("main: entry (imported as a module)\n");
});
