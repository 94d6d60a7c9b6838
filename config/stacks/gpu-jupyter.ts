import { z } from "zod";
import { dlamiParameter, instanceType, pytorchVersion, spotMaxPrice } from "../fields";
import { DEEP_LEARNING_FLAVORS, DEFAULT_DLAMI_FLAVOR, DEFAULT_DLAMI_PYTORCH_VERSION } from "../../modules/compute/machine-image";
import { DEFAULT_SESSION_MANAGER, rootVolumeProblem } from "../../modules/compute/launch-template";
import { DEFAULT_IDLE_CPU_PERCENT, DEFAULT_IDLE_MINUTES, idleStopProblems } from "../../modules/compute/idle-stop-alarm";
import { MachineImage } from "../../modules/compute/machine-image";
import { architectureProblem } from "../../modules/compute/instance-type";

/** `stacks.gpuJupyter`: the course's GPU deep-learning workstation (SPEC section 2). */
export const GpuJupyterSettings = z
  .object({
    /** GPU instance type; g4dn.xlarge = 1x NVIDIA T4, ~0.53 USD/h in us-east-1, ~0.71 USD/h in Tokyo (2026-11). */
    instanceType: instanceType.default("g4dn.xlarge"), // the course's type (Instance has no default)
    /** Deep Learning AMI: `pytorch` (PyTorch + Jupyter ready) or `base` (driver + CUDA only). */
    imageFlavor: z.enum(DEEP_LEARNING_FLAVORS).default(DEFAULT_DLAMI_FLAVOR),
    /** PyTorch version of the PyTorch DLAMI's SSM parameter name. */
    pytorchVersion: pytorchVersion.default(DEFAULT_DLAMI_PYTORCH_VERSION),
    /** A full DLAMI SSM parameter path, overriding imageFlavor/pytorchVersion (e.g. a PyTorch version newer than the known list). */
    imageParameter: dlamiParameter.optional(),
    /** Root volume (gp3, encrypted) in GiB; the DLAMI's snapshot is 75 GiB, so at least that. */
    rootVolumeGiB: z.number().int().default(100), // the course's size: the 75 GiB snapshot + room for data
    /** Spot capacity (persistent request, stopped on interruption): ~60-70% cheaper, can be interrupted. */
    spot: z.boolean().default(false), // the stack's choice: on-demand
    /** Highest Spot price in USD/h; default the on-demand price. */
    spotMaxPrice: spotMaxPrice.optional(),
    /**
     * Attach an instance profile with AmazonSSMManagedInstanceCore, for Session Manager port
     * forwarding as an alternative to the SSH tunnel. Off by default: the course uses SSH.
     */
    sessionManager: z.boolean().default(DEFAULT_SESSION_MANAGER),
    /** Local port of the SSH tunnel / port forwarding (the course uses 8931). */
    localPort: z.number().int().min(1024).max(65535).default(8931), // the course's port
    /** Cost guard: stop the instance after `idleMinutes` with average CPU below `cpuThresholdPercent`. */
    idleStop: z
      .object({
        enabled: z.boolean().default(true),
        cpuThresholdPercent: z.number().default(DEFAULT_IDLE_CPU_PERCENT),
        idleMinutes: z.number().int().default(DEFAULT_IDLE_MINUTES),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((s, ctx) => {
    // The image the stack launches (stacks/gpu-jupyter.ts): its architecture and root snapshot bound the type and the volume.
    let image;
    try {
      image = MachineImage.deepLearning({ flavor: s.imageFlavor, pytorchVersion: s.pytorchVersion, parameter: s.imageParameter });
    } catch {
      return; // a malformed version or parameter is reported by its field
    }
    const mismatch = image.architecture && architectureProblem(s.instanceType, image.architecture, image.description);
    if (mismatch) ctx.addIssue({ code: "custom", path: ["instanceType"], message: mismatch });
    const volume = rootVolumeProblem(s.rootVolumeGiB, image);
    if (volume) ctx.addIssue({ code: "custom", path: ["rootVolumeGiB"], message: volume });
    if (s.spotMaxPrice !== undefined && !s.spot) {
      ctx.addIssue({ code: "custom", path: ["spotMaxPrice"], message: "applies only with stacks.gpuJupyter.spot set to true" });
    }
    for (const p of idleStopProblems({ cpuThresholdPercent: s.idleStop.cpuThresholdPercent, idleMinutes: s.idleStop.idleMinutes })) {
      ctx.addIssue({ code: "custom", path: ["idleStop", p.field], message: p.message });
    }
  });

export type GpuJupyterSettings = z.infer<typeof GpuJupyterSettings>;
