/**
 * terraform's environment (tools/terraform.ts terraformEnv): Go's collector
 * off below a 512 MiB heap for terraform and its provider processes,
 * unless the user set GOGC or GOMEMLIMIT; the providers' own logs off,
 * unless the user set any TF_LOG* variable.
 */
import * as fs from "fs";
import * as path from "path";
import { captureSchemaAnswer } from "../../tools/review/provider-answers";
import { PLUGIN_MIRROR, PROVIDER_LOGS_OFF, terraformEnv } from "../../tools/terraform";
import { tempDir } from "../helpers/synth";

function envWith(vars: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  try {
    for (const [k, v] of Object.entries(vars)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    return terraformEnv(tempDir("terraform-env"), "offline");
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

describe("terraformEnv: Go's garbage collector", () => {
  test("off until a process's heap reaches 512 MiB, when the user set neither", () => {
    expect(envWith({ GOGC: undefined, GOMEMLIMIT: undefined })).toMatchObject({ GOGC: "off", GOMEMLIMIT: "512MiB" });
  });

  test("the user's GOGC is kept, and no limit is added to it", () => {
    const env = envWith({ GOGC: "200", GOMEMLIMIT: undefined });
    expect(env.GOGC).toBe("200");
    expect(env.GOMEMLIMIT).toBeUndefined();
  });

  test("the user's GOMEMLIMIT is kept, with Go's own GOGC", () => {
    const env = envWith({ GOGC: undefined, GOMEMLIMIT: "2GiB" });
    expect(env.GOMEMLIMIT).toBe("2GiB");
    expect(env.GOGC).toBeUndefined();
  });
});

describe("terraformEnv: the providers' own logs", () => {
  test("off when the user set no TF_LOG* variable", () => {
    expect(envWith({ TF_LOG: undefined, TF_LOG_PROVIDER: undefined, TF_LOG_SDK: undefined, TF_LOG_PATH: undefined })).toMatchObject(PROVIDER_LOGS_OFF);
  });

  test.each([["TF_LOG", "debug"], ["TF_LOG_PROVIDER", "trace"], ["TF_LOG_SDK_PROTO", "trace"]])("left to the user who set %s", (name, value) => {
    const env = envWith({ TF_LOG: undefined, TF_LOG_PROVIDER: undefined, TF_LOG_SDK: undefined, [name]: value });
    expect(env[name]).toBe(value);
    for (const k of Object.keys(PROVIDER_LOGS_OFF)) if (k !== name) expect(env[k]).toBeUndefined();
  });

  test("the AWS provider then writes none of its SDK's lines for a call (it writes them with Go's defaults)", async () => {
    // The provider binary of the mirror, behind a script that keeps what it writes to stderr.
    const dir = path.join(PLUGIN_MIRROR, "registry.terraform.io", "hashicorp", "aws", "5.100.0", "linux_amd64");
    const binary = path.join(dir, fs.readdirSync(dir).find((f) => f.startsWith("terraform-provider-aws"))!);
    const stderrOf = async (env: NodeJS.ProcessEnv) => {
      const work = tempDir("provider-logs");
      const log = path.join(work, "stderr.log");
      const wrapper = path.join(work, "terraform-provider-aws");
      fs.writeFileSync(wrapper, `#!/bin/sh\nexec '${binary}' "$@" 2>>'${log}'\n`, { mode: 0o755 });
      await captureSchemaAnswer(wrapper, env);
      return fs.readFileSync(log, "utf8");
    };
    const env = envWith({ TF_LOG: undefined, TF_LOG_PROVIDER: undefined, TF_LOG_SDK: undefined });
    const quiet = await stderrOf(env);
    const { TF_LOG_SDK: _sdk, TF_LOG_PROVIDER: _provider, ...withDefaults } = env;
    const loud = await stderrOf(withDefaults);
    expect(loud).toMatch(/"@module":"sdk\.proto".*"tf_rpc":"GetProviderSchema"/);
    expect(quiet).toContain("Starting github.com/hashicorp/terraform-provider-aws"); // its stderr was kept
    expect(quiet).not.toMatch(/"@module":"sdk\./);
  }, 120_000);
});
