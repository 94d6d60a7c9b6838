import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { USERDATA_DIR } from "../../modules/compute/user-data";

const scripts = fs
  .readdirSync(USERDATA_DIR)
  .filter((f) => f.endsWith(".sh"))
  .sort();

function shellcheckVersion(): string | undefined {
  const r = spawnSync("shellcheck", ["--version"], { encoding: "utf8" });
  return r.status === 0 ? r.stdout : undefined;
}

describe("userdata/*.sh", () => {
  test("shellcheck is installed (Debian package `shellcheck`)", () => {
    // GIVEN the CI machine THEN shellcheck must be there, or every script below goes unchecked
    if (!shellcheckVersion()) {
      throw new Error("shellcheck is not installed: run `apt-get update && apt-get install -y shellcheck` (Debian package shellcheck)");
    }
  });

  test("there are scripts to check", () => {
    expect(scripts).toContain("gpu-jupyter.sh");
  });

  test.each(scripts)("%s passes shellcheck", (script) => {
    // GIVEN a user data script WHEN shellcheck runs (bash dialect, all severities) THEN it reports nothing
    const r = spawnSync("shellcheck", ["--shell=bash", "--severity=style", path.join(USERDATA_DIR, script)], { encoding: "utf8" });
    if (r.error) throw new Error(`shellcheck could not run (${r.error.message}): apt-get install -y shellcheck`);
    expect(`${r.stdout}${r.stderr}`).toBe("");
    expect(r.status).toBe(0);
  });

  test.each(scripts)("%s fails loudly: starts with #! and sets -euo pipefail", (script) => {
    const text = fs.readFileSync(path.join(USERDATA_DIR, script), "utf8");
    expect(text.startsWith("#!/bin/bash\n")).toBe(true);
    expect(text).toMatch(/^set -euo pipefail$/m);
  });
});
