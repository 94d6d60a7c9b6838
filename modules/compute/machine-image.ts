/**
 * An AMI chosen at launch time from an SSM public parameter, written into the
 * launch template as `resolve:ssm:<parameter>`: no `aws_ami` or
 * `aws_ssm_parameter` data source, so plans run offline, and every launch
 * picks the latest image without a Terraform change.
 */
export interface IMachineImage {
  /** The launch template `image_id` value. */
  readonly imageId: string;
  /** Device name of the root volume in this image. */
  readonly rootDeviceName: string;
  /** Size of the image's root snapshot (GiB): the smallest root volume it boots with. */
  readonly minRootVolumeGiB: number;
  /** Login user for SSH. */
  readonly loginUser: string;
  /** Short human description for outputs and docs. */
  readonly description: string;
  /** True when the image ships NVIDIA drivers and CUDA (needs a GPU instance type). */
  readonly requiresGpu: boolean;
}

export type Architecture = "x86_64" | "arm64";

export interface SsmImageOptions {
  /** @default "/dev/xvda" */
  readonly rootDeviceName?: string;
  /** @default 8 */
  readonly minRootVolumeGiB?: number;
  /** @default "ec2-user" */
  readonly loginUser?: string;
  /** @default the parameter name */
  readonly description?: string;
  /** @default false */
  readonly requiresGpu?: boolean;
}

const SSM_PARAMETER = /^\/[A-Za-z0-9_.\-/]+$/;

export const MachineImage = {
  /** Any image published as an SSM parameter (public or your own). */
  fromSsmParameter(parameter: string, options: SsmImageOptions = {}): IMachineImage {
    if (!SSM_PARAMETER.test(parameter)) {
      throw new Error(`machineImage parameter ("${parameter}") must be an SSM parameter path like /aws/service/...`);
    }
    return {
      imageId: `resolve:ssm:${parameter}`,
      rootDeviceName: options.rootDeviceName ?? "/dev/xvda",
      minRootVolumeGiB: options.minRootVolumeGiB ?? 8,
      loginUser: options.loginUser ?? "ec2-user",
      description: options.description ?? parameter,
      requiresGpu: options.requiresGpu ?? false,
    };
  },

  /** The latest Amazon Linux 2023 (standard kernel). */
  latestAmazonLinux2023(architecture: Architecture = "x86_64"): IMachineImage {
    return MachineImage.fromSsmParameter(`/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${architecture}`, {
      description: `Amazon Linux 2023 (${architecture})`,
      minRootVolumeGiB: AMAZON_LINUX_2023_ROOT_SNAPSHOT_GIB,
    });
  },

  /** The ECS-optimized Amazon Linux 2023 image (container instances). */
  ecsOptimizedAmazonLinux2023(architecture: Architecture = "x86_64"): IMachineImage {
    const suffix = architecture === "arm64" ? "/arm64" : "";
    return MachineImage.fromSsmParameter(`/aws/service/ecs/optimized-ami/amazon-linux-2023${suffix}/recommended/image_id`, {
      description: `ECS-optimized Amazon Linux 2023 (${architecture})`,
      minRootVolumeGiB: 30,
    });
  },

  /**
   * The AWS Deep Learning AMI through its public SSM parameter (default: the
   * PyTorch DLAMI on Amazon Linux 2023, root `/dev/xvda`, login `ec2-user`;
   * Ubuntu images use `/dev/sda1` and `ubuntu`). Needs an NVIDIA GPU
   * instance type (`requiresGpu`). Cost note: the images are free; the GPU
   * instances they need start at ~0.5 USD/h (g4dn.xlarge).
   */
  deepLearning(options: DeepLearningImageOptions = {}): IMachineImage {
    const parameter = options.parameter ?? deepLearningParameter(options);
    if (!DLAMI_PARAMETER.test(parameter)) {
      throw new Error(
        `parameter ("${parameter}") must be a DLAMI SSM parameter like ${deepLearningParameter()}`,
      );
    }
    const minRootVolumeGiB = options.minRootVolumeGiB ?? DLAMI_ROOT_SNAPSHOT_GIB;
    if (!Number.isInteger(minRootVolumeGiB) || minRootVolumeGiB < 1) {
      throw new Error(`minRootVolumeGiB (${minRootVolumeGiB}) must be a positive whole number`);
    }
    const ubuntu = parameter.includes("ubuntu");
    const name = parameter.split("/")[5];
    return MachineImage.fromSsmParameter(parameter, {
      rootDeviceName: ubuntu ? "/dev/sda1" : "/dev/xvda",
      loginUser: ubuntu ? "ubuntu" : "ec2-user",
      minRootVolumeGiB,
      description: `Deep Learning AMI ${name}`,
      requiresGpu: true,
    });
  },
};

/** Flavours of the AWS Deep Learning AMI (DLAMI) with the open-source NVIDIA driver. */
export const DEEP_LEARNING_FLAVORS = ["pytorch", "base"] as const;
export type DeepLearningFlavor = (typeof DEEP_LEARNING_FLAVORS)[number];

/** The PyTorch DLAMI: PyTorch and Jupyter ready. */
export const DEFAULT_DLAMI_FLAVOR: DeepLearningFlavor = "pytorch";

/** Operating systems the DLAMI is published for. */
export type DeepLearningOs = "amazon-linux-2023" | "ubuntu-24.04";

/** PyTorch DLAMI version used when none is given (AL2023 and Ubuntu 24.04 both publish it). */
export const DEFAULT_DLAMI_PYTORCH_VERSION = "2.10";

/**
 * Size of the DLAMI root snapshots (GiB) as published in 2026: the root
 * volume cannot be smaller. The course's 100 GiB default leaves ~25 GiB for
 * data sets and checkpoints.
 */
export const DLAMI_ROOT_SNAPSHOT_GIB = 75;

/** Size of the Amazon Linux 2023 root snapshot (GiB): the smallest root volume it boots with. */
export const AMAZON_LINUX_2023_ROOT_SNAPSHOT_GIB = 8;

export interface DeepLearningImageOptions {
  /**
   * `pytorch`: NVIDIA driver, CUDA, cuDNN, PyTorch, Jupyter in a virtual
   * environment (`/opt/pytorch`). `base`: driver and CUDA only, bring your own
   * framework. @default "pytorch"
   */
  readonly flavor?: DeepLearningFlavor;
  /** PyTorch version in the parameter name (pytorch flavor only). @default DEFAULT_DLAMI_PYTORCH_VERSION */
  readonly pytorchVersion?: string;
  /** @default "amazon-linux-2023" */
  readonly os?: DeepLearningOs;
  /** @default "x86_64" (arm64 images run on g5g) */
  readonly architecture?: Architecture;
  /**
   * A full DLAMI SSM parameter path, overriding flavor/version/os/architecture
   * (e.g. a newer image family). Must live under `/aws/service/deeplearning/`.
   * @default built from the options above
   */
  readonly parameter?: string;
  /** @default DLAMI_ROOT_SNAPSHOT_GIB */
  readonly minRootVolumeGiB?: number;
}

/** The public SSM parameter of a DLAMI: `/aws/service/deeplearning/ami/<arch>/<type>/latest/ami-id`. */
export function deepLearningParameter(options: Omit<DeepLearningImageOptions, "parameter" | "minRootVolumeGiB"> = {}): string {
  const flavor = options.flavor ?? DEFAULT_DLAMI_FLAVOR;
  const os = options.os ?? "amazon-linux-2023";
  const architecture = options.architecture ?? "x86_64";
  const version = options.pytorchVersion ?? DEFAULT_DLAMI_PYTORCH_VERSION;
  if (flavor === "pytorch" && !/^\d+\.\d+$/.test(version)) {
    throw new Error(`pytorchVersion ("${version}") must be a major.minor version like ${DEFAULT_DLAMI_PYTORCH_VERSION}`);
  }
  const type = flavor === "base" ? `base-oss-nvidia-driver-gpu-${os}` : `oss-nvidia-driver-gpu-pytorch-${version}-${os}`;
  return `/aws/service/deeplearning/ami/${architecture}/${type}/latest/ami-id`;
}

const DLAMI_PARAMETER = /^\/aws\/service\/deeplearning\/ami\/(x86_64|arm64)\/[a-z0-9.-]+\/latest\/ami-id$/;
