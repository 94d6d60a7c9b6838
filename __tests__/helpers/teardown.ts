import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** Testing.app() leaves /tmp/cdktf.outdir.* folders behind; so do our own temp dirs. */
export default async function teardown(): Promise<void> {
  const tmp = os.tmpdir();
  for (const entry of fs.readdirSync(tmp)) {
    if (entry.startsWith("cdktf.outdir.") || entry.startsWith("aws-course-test-")) {
      fs.rmSync(path.join(tmp, entry), { recursive: true, force: true });
    }
  }
}
