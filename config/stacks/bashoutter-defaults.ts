/**
 * Defaults of `stacks.bashoutter` that tools/dev-server.ts applies too, in a
 * file of their own: the dev server reads them without loading the schema
 * (zod) and the constructs it takes other defaults from (cdktf), ~0.6 s of
 * start-up. Plain data; not part of any Lambda or site bundle.
 */

/** `writeThrottle`: requests per second and bucket size of each write route, per method (the dev server: per client). */
export const DEFAULT_WRITE_THROTTLE = { rateLimit: 10, burstLimit: 20 } as const;
