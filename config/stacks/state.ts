import { z } from "zod";

/** `stacks.state`: the bootstrap stack that creates the state bucket. */
export const StateSettings = z
  .object({
    /** Set true only to tear the project down: lifts prevent_destroy and empties the bucket on destroy. */
    allowDestroy: z.boolean().default(false),
    /** Days to keep superseded state versions. */
    noncurrentVersionDays: z.number().int().min(1).max(3650).default(90),
  })
  .strict();

export type StateSettings = z.infer<typeof StateSettings>;
