/**
 * terraform's environment (tools/terraform.ts terraformEnv): Go's collector
 * off below a 512 MiB heap for terraform and its provider processes,
 * unless the user set GOGC or GOMEMLIMIT.
 */
import { terraformEnv } from "../../tools/terraform";
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
