import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/**
 * One temp root per jest run (workers inherit the variable), so the teardown
 * removes this run's folders only - never those of a run going on beside it.
 */
export default async function globalSetup(): Promise<void> {
  process.env.AWS_COURSE_TEST_TMP = fs.mkdtempSync(path.join(os.tmpdir(), "aws-course-test-run-"));
  process.env.AWS_COURSE_TEST_STARTED = String(Date.now());
}
