import type { InfraConfig } from "./schema";
import { reservedConcurrencyWarning } from "../modules/serverless/function";

/**
 * Lines that warn about settings AWS may refuse depending on the account
 * (quotas), each naming the key path and the quota. The entry point prints
 * them next to the placeholder warnings (config/load.ts
 * `placeholderWarnings`); `INFRA_STRICT=1` turns them into errors.
 */
export function configWarnings(config: InfraConfig): string[] {
  const warnings: string[] = [];
  const reserved = config.stacks.simpleLambda.reservedConcurrency;
  const quota = reserved !== undefined ? reservedConcurrencyWarning(reserved) : undefined;
  if (quota) warnings.push(`stacks.simpleLambda.reservedConcurrency (${reserved}) ${quota}.`);
  return warnings;
}
