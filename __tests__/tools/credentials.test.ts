import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { credentialsConfigured, isCredentialsError } from "../../tools/credentials";
import { tempDir } from "../helpers/synth";

const ROOT = path.resolve(__dirname, "..", "..");

describe("AWS credentials, told without a network call", () => {
  const home = tempDir("home");
  const none = { AWS_EC2_METADATA_DISABLED: "true" };

  test("nothing configured: none", () => {
    expect(credentialsConfigured(none, home)).toBe(false);
  });

  test.each([
    [{ AWS_ACCESS_KEY_ID: "AKIA", AWS_SECRET_ACCESS_KEY: "x" }],
    [{ AWS_PROFILE: "dev" }],
    [{ AWS_WEB_IDENTITY_TOKEN_FILE: "/var/run/token" }],
    [{ AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: "/v2/credentials" }],
  ])("%j: configured", (env) => {
    expect(credentialsConfigured({ ...none, ...env }, home)).toBe(true);
  });

  test("a shared credentials file: configured", () => {
    const h = tempDir("home");
    fs.mkdirSync(path.join(h, ".aws"));
    fs.writeFileSync(path.join(h, ".aws", "credentials"), "[default]\naws_access_key_id = AKIA\n");
    expect(credentialsConfigured(none, h)).toBe(true);
  });

  test("terraform's no-credentials errors are recognized", () => {
    expect(isCredentialsError("Error: No valid credential sources found")).toBe(true);
    expect(isCredentialsError("Error: Unsupported argument")).toBe(false);
  });
});

describe("npm run cdktf without credentials", () => {
  test.each(["diff", "deploy", "output"])("%s: one line naming the offline command first, then the CLI's own error", (command) => {
    const bin = path.join(tempDir("fake-cdktf"), "cdktf");
    fs.writeFileSync(bin, "#!/bin/sh\necho 'Error: No valid credential sources found' >&2\nexit 1\n", { mode: 0o755 });
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("AWS_")));
    const run = spawnSync(process.execPath, ["tools/run-app.js", "tools/cdktf.ts", command, "first-ec2"], {
      cwd: ROOT,
      env: { ...env, HOME: tempDir("home"), AWS_EC2_METADATA_DISABLED: "true", CDKTF_BIN: bin },
      encoding: "utf8",
    });
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split("\n");
    expect(lines[0]).toMatch(new RegExp(`^No AWS credentials found: npm run cdktf -- ${command} needs an AWS account .*without one, run npm run (review|synth)`));
    expect(lines[1]).toBe("Error: No valid credential sources found");
  });

  test("synth needs no account: no such line", () => {
    const bin = path.join(tempDir("fake-cdktf"), "cdktf");
    fs.writeFileSync(bin, "#!/bin/sh\nexit 0\n", { mode: 0o755 });
    const run = spawnSync(process.execPath, ["tools/run-app.js", "tools/cdktf.ts", "synth"], { cwd: ROOT, env: { ...process.env, HOME: tempDir("home"), CDKTF_BIN: bin }, encoding: "utf8" });
    expect(run.status).toBe(0);
    expect(run.stderr).not.toContain("No AWS credentials");
  });
});
