import { ConfigError, loadConfig, placeholderWarnings } from "./load";
import type { InfraConfig } from "./schema";

/**
 * For entry points: loads the configuration, or prints every problem (no
 * stack trace) and exits 1. Placeholder values print a warning to stderr.
 */
export function loadConfigOrExit(): InfraConfig {
  try {
    const config = loadConfig();
    if (process.env.INFRA_QUIET_PLACEHOLDERS !== "1") {
      for (const w of placeholderWarnings(config)) process.stderr.write(`warning: ${w}\n`);
    }
    return config;
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
}
