import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** A temp folder inside this jest run's own root (see global-setup.ts), removed by the global teardown. */
export function tempDir(label: string): string {
  const root = process.env.AWS_COURSE_TEST_TMP ?? os.tmpdir();
  return fs.mkdtempSync(path.join(root, `aws-course-test-${label}-`));
}
