import { z } from "zod";
import { DEFAULT_NONCURRENT_VERSION_DAYS, DEFAULT_RETAIN_STATE } from "../../modules/state/state-bucket";

/** `stacks.state`: the bootstrap stack that creates the state bucket. */
export const StateSettings = z
  .object({
    /** Set true only to tear the project down: lifts prevent_destroy and empties the bucket on destroy. */
    allowDestroy: z.boolean().default(!DEFAULT_RETAIN_STATE),
    /** Days to keep superseded state versions. */
    noncurrentVersionDays: z.number().int().min(1).max(3650).default(DEFAULT_NONCURRENT_VERSION_DAYS),
  })
  .strict();

export type StateSettings = z.infer<typeof StateSettings>;
