import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/**
 * Removes this run's temp root, and the `/tmp/cdktf.outdir.*` folders that
 * `Testing.app()` leaves behind - only those created since this run started.
 */
export default async function teardown(): Promise<void> {
  const root = process.env.AWS_COURSE_TEST_TMP;
  if (root) fs.rmSync(root, { recursive: true, force: true });
  const started = Number(process.env.AWS_COURSE_TEST_STARTED ?? Date.now());
  const tmp = os.tmpdir();
  for (const entry of fs.readdirSync(tmp)) {
    if (!entry.startsWith("cdktf.outdir.")) continue;
    const full = path.join(tmp, entry);
    try {
      if (fs.statSync(full).birthtimeMs >= started - 1000) fs.rmSync(full, { recursive: true, force: true });
    } catch {
      // removed meanwhile
    }
  }
}
