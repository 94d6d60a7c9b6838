import { z } from "zod";
import { instanceType } from "../fields";

/** `stacks.firstEc2`: the course's first EC2 server (SPEC section 1). */
export const FirstEc2Settings = z
  .object({
    /** Instance type; t3.micro is the free-tier successor of the course's t2.micro. */
    instanceType: instanceType.default("t3.micro"),
    /** Root volume size in GiB (gp3, encrypted). Amazon Linux 2023 needs at least 8. */
    rootVolumeGiB: z.number().int().min(8).max(16384).default(8),
    /**
     * Attach an instance profile with AmazonSSMManagedInstanceCore, for Session Manager as an
     * alternative to SSH. Off by default: the course logs in with SSH (`SshCommand`).
     */
    sessionManager: z.boolean().default(false),
  })
  .strict();

export type FirstEc2Settings = z.infer<typeof FirstEc2Settings>;
