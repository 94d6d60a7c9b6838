import { z } from "zod";
import { instanceType } from "../fields";

/** `stacks.gpuJupyter`: the course's GPU deep-learning workstation (SPEC section 2). */
export const GpuJupyterSettings = z
  .object({
    /** GPU instance type; g4dn.xlarge = 1x NVIDIA T4, ~0.53 USD/h in us-east-1, ~0.71 USD/h in Tokyo (2026-11). */
    instanceType: instanceType.default("g4dn.xlarge"),
    /** Deep Learning AMI: `pytorch` (PyTorch + Jupyter ready) or `base` (driver + CUDA only). */
    imageFlavor: z.enum(["pytorch", "base"]).default("pytorch"),
    /** PyTorch version of the PyTorch DLAMI's SSM parameter name. */
    pytorchVersion: z
      .string()
      .regex(/^\d+\.\d+$/, { message: "is not a major.minor version like 2.10" })
      .default("2.10"),
    /** A full DLAMI SSM parameter path, overriding imageFlavor/pytorchVersion. */
    imageParameter: z.string().optional(),
    /** Root volume (gp3, encrypted) in GiB; the DLAMI's snapshot is 75 GiB, so at least that. */
    rootVolumeGiB: z.number().int().default(100),
    /** Spot capacity (persistent request, stopped on interruption): ~60-70% cheaper, can be interrupted. */
    spot: z.boolean().default(false),
    /** Highest Spot price in USD/h; default the on-demand price. */
    spotMaxPrice: z
      .string()
      .regex(/^\d+(\.\d+)?$/, { message: "is not a price like 0.30" })
      .optional(),
    /**
     * Attach an instance profile with AmazonSSMManagedInstanceCore, for Session Manager port
     * forwarding as an alternative to the SSH tunnel. Off by default: the course uses SSH.
     */
    sessionManager: z.boolean().default(false),
    /** Local port of the SSH tunnel / port forwarding (the course uses 8931). */
    localPort: z.number().int().min(1024).max(65535).default(8931),
    /** Cost guard: stop the instance after `idleMinutes` with average CPU below `cpuThresholdPercent`. */
    idleStop: z
      .object({
        enabled: z.boolean().default(true),
        cpuThresholdPercent: z.number().default(5),
        idleMinutes: z.number().int().default(60),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type GpuJupyterSettings = z.infer<typeof GpuJupyterSettings>;
