import * as fs from "fs";
import { REFERENCE_FILE, SCHEMA_FILE, renderReference, renderSchema } from "../../tools/config-reference";

describe("configuration reference", () => {
  test("docs/configuration.md is generated from the current schema (run npm run config:reference)", () => {
    expect(fs.readFileSync(REFERENCE_FILE, "utf8")).toBe(renderReference());
  });

  test("config/infra.config.schema.json is the current JSON Schema", () => {
    expect(fs.readFileSync(SCHEMA_FILE, "utf8")).toBe(renderSchema());
  });

  test("lists every stack's settings with defaults and the env variable of global keys", () => {
    const doc = renderReference();
    expect(doc).toMatch(/\| `ssh.ingressCidr` \| string \| `"203.0.113.10\/32"` \|.*\| `INFRA_SSH_CIDR` \|/);
    expect(doc).toMatch(/\| `stacks.firstEc2.instanceType` \| string \| `"t3.micro"` \|/);
    for (const stack of ["gpuJupyter", "simpleLambda", "simpleDynamodb", "bashoutter", "webFleet", "qaBot", "ecsAutoscaling"]) {
      expect(doc).toContain(`\`stacks.${stack}.`);
    }
  });
});
