import { z } from "zod";
import { instanceType } from "../fields";
import { AMAZON_LINUX_2023_ROOT_SNAPSHOT_GIB } from "../../modules/compute/machine-image";
import { DEFAULT_SESSION_MANAGER } from "../../modules/compute/launch-template";
import { MachineImage } from "../../modules/compute/machine-image";
import { architectureProblem } from "../../modules/compute/instance-type";

/** `stacks.firstEc2`: the course's first EC2 server (SPEC section 1). */
export const FirstEc2Settings = z
  .object({
    /** Instance type; t3.micro is the free-tier successor of the course's t2.micro. */
    instanceType: instanceType.default("t3.micro"), // the course's type (Instance has no default)
    /** Root volume size in GiB (gp3, encrypted). Amazon Linux 2023 needs at least 8. */
    rootVolumeGiB: z.number().int().min(8).max(16384).default(AMAZON_LINUX_2023_ROOT_SNAPSHOT_GIB),
    /**
     * Attach an instance profile with AmazonSSMManagedInstanceCore, for Session Manager as an
     * alternative to SSH. Off by default: the course logs in with SSH (`SshCommand`).
     */
    sessionManager: z.boolean().default(DEFAULT_SESSION_MANAGER),
  })
  .strict()
  .superRefine((s, ctx) => {
    // The stack launches the latest Amazon Linux 2023 for x86_64 (stacks/first-ec2.ts).
    const image = MachineImage.latestAmazonLinux2023();
    const problem = image.architecture && architectureProblem(s.instanceType, image.architecture, image.description);
    if (problem) ctx.addIssue({ code: "custom", path: ["instanceType"], message: problem });
  });

export type FirstEc2Settings = z.infer<typeof FirstEc2Settings>;
