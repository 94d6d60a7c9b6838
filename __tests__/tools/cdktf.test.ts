/**
 * `npm run cdktf -- <command>` (tools/cdktf.ts) runs the cdktf CLI, and so
 * terraform, with the settings the reviewer loop's terraform has
 * (terraformSettings), but may prompt: deploy and destroy ask first.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { cliConfig, PLUGIN_MIRROR } from "../../tools/terraform";
import { tempDir } from "../helpers/synth";

const ROOT = path.resolve(__dirname, "..", "..");

/** What the cdktf CLI was started with: its arguments and environment. */
function cdktfStartedWith(command: string[], vars: Record<string, string> = {}): { args: string[]; env: NodeJS.ProcessEnv } {
  const dir = tempDir("fake-cdktf");
  const bin = path.join(dir, "cdktf");
  const seen = path.join(dir, "seen.json");
  fs.writeFileSync(bin, `#!${process.execPath}\nrequire("fs").writeFileSync(${JSON.stringify(seen)}, JSON.stringify({ args: process.argv.slice(2), env: process.env }));\n`, { mode: 0o755 });
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(TF_LOG|GOGC|GOMEMLIMIT|TF_IN_AUTOMATION|TF_INPUT)/.test(k)));
  const run = spawnSync(process.execPath, ["tools/run-app.js", "tools/cdktf.ts", ...command], {
    cwd: ROOT,
    env: { ...base, AWS_ACCESS_KEY_ID: "AKIAFAKE", AWS_SECRET_ACCESS_KEY: "fake", CDKTF_BIN: bin, ...vars },
    encoding: "utf8",
  });
  expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
  return JSON.parse(fs.readFileSync(seen, "utf8"));
}

test("deploy: Go's collector held off, the providers' logs off, the mirror's CLI configuration, and prompts left on", () => {
  const { args, env } = cdktfStartedWith(["deploy", "first-ec2"]);
  expect(env).toMatchObject({ CHECKPOINT_DISABLE: "1", GOGC: "off", GOMEMLIMIT: "512MiB", TF_LOG_SDK: "off", TF_LOG_PROVIDER: "off" });
  expect(env.TF_IN_AUTOMATION).toBeUndefined();
  expect(env.TF_INPUT).toBeUndefined();
  if (fs.existsSync(PLUGIN_MIRROR)) {
    expect(env.TF_CLI_CONFIG_FILE).toBe(path.join(ROOT, "cdktf.out", ".terraformrc"));
    expect(fs.readFileSync(env.TF_CLI_CONFIG_FILE!, "utf8")).toBe(cliConfig(PLUGIN_MIRROR));
    expect(args).toEqual(["deploy", "first-ec2", "--skip-provider-lock"]);
  } else {
    expect(args).toEqual(["deploy", "first-ec2"]);
  }
});

test("the user's TF_LOG and GOGC win", () => {
  const { env } = cdktfStartedWith(["diff", "first-ec2"], { TF_LOG: "debug", GOGC: "100" });
  expect(env).toMatchObject({ TF_LOG: "debug", GOGC: "100" });
  expect(env.TF_LOG_SDK).toBeUndefined();
  expect(env.TF_LOG_PROVIDER).toBeUndefined();
  expect(env.GOMEMLIMIT).toBeUndefined();
});
