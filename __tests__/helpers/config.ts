import { InfraConfig, InfraConfigSchema } from "../../config/schema";

/** Deep-partial of the raw config file shape. */
export type RawConfig = { [key: string]: unknown };

/** A valid configuration, like the shipped defaults, with `overrides` merged in (raw, before defaults). */
export function testConfig(overrides: RawConfig = {}): InfraConfig {
  const base: RawConfig = {
    region: "ap-northeast-1",
    environment: "test",
    state: { bucket: "aws-course-tfstate-test" },
    ssh: { keyName: "test-key", ingressCidr: "198.51.100.7/32" },
  };
  return InfraConfigSchema.parse(merge(base, overrides));
}

function merge(a: RawConfig, b: RawConfig): RawConfig {
  const out: RawConfig = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const cur = out[k];
    out[k] =
      v && typeof v === "object" && !Array.isArray(v) && cur && typeof cur === "object" && !Array.isArray(cur)
        ? merge(cur as RawConfig, v as RawConfig)
        : v;
  }
  return out;
}
