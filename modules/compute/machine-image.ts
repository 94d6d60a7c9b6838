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
  /** CPU architecture the image is built for; instance types must match it. `undefined`: not known (not checked). */
  readonly architecture?: Architecture;
}

export type Architecture = "x86_64" | "arm64";

/** Architecture of the images the factories below pick when none is given. */
export const DEFAULT_IMAGE_ARCHITECTURE: Architecture = "x86_64";

/** The architecture an SSM parameter name states (`...-x86_64`, `/arm64/`), or `undefined`. */
export function architectureOfParameter(parameter: string): Architecture | undefined {
  if (/(^|[/_-])arm64($|[/_-])/.test(parameter)) return "arm64";
  if (/(^|[/_-])x86_64($|[/_-])/.test(parameter)) return "x86_64";
  return undefined;
}

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
  /** @default the architecture the parameter name states (`x86_64`, `arm64`), else unknown */
  readonly architecture?: Architecture;
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
      architecture: options.architecture ?? architectureOfParameter(parameter),
    };
  },

  /** The latest Amazon Linux 2023 (standard kernel). */
  latestAmazonLinux2023(architecture: Architecture = DEFAULT_IMAGE_ARCHITECTURE): IMachineImage {
    return MachineImage.fromSsmParameter(`/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${architecture}`, {
      description: `Amazon Linux 2023 (${architecture})`,
      architecture,
      minRootVolumeGiB: AMAZON_LINUX_2023_ROOT_SNAPSHOT_GIB,
    });
  },

  /** The ECS-optimized Amazon Linux 2023 image (container instances). */
  ecsOptimizedAmazonLinux2023(architecture: Architecture = DEFAULT_IMAGE_ARCHITECTURE): IMachineImage {
    const suffix = architecture === "arm64" ? "/arm64" : "";
    return MachineImage.fromSsmParameter(`/aws/service/ecs/optimized-ami/amazon-linux-2023${suffix}/recommended/image_id`, {
      description: `ECS-optimized Amazon Linux 2023 (${architecture})`,
      architecture,
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
    const problem = deepLearningParameterProblem(parameter);
    if (problem) throw new Error(`parameter ("${parameter}") ${problem}`);
    const minRootVolumeGiB = options.minRootVolumeGiB ?? DLAMI_ROOT_SNAPSHOT_GIB;
    if (!Number.isInteger(minRootVolumeGiB) || minRootVolumeGiB < 1) {
      throw new Error(`minRootVolumeGiB (${minRootVolumeGiB}) must be a positive whole number`);
    }
    const ubuntu = parameter.includes("ubuntu");
    const name = parameter.split("/")[5];
    const architecture = parameter.split("/")[5] as Architecture;
    return MachineImage.fromSsmParameter(parameter, {
      rootDeviceName: ubuntu ? "/dev/sda1" : "/dev/xvda",
      loginUser: ubuntu ? "ubuntu" : "ec2-user",
      minRootVolumeGiB,
      description: `Deep Learning AMI ${name}`,
      requiresGpu: true,
      architecture,
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
 * PyTorch versions with a published "OSS Nvidia Driver GPU PyTorch" DLAMI
 * SSM parameter, as listed in the DLAMI release notes of 2026-10 (Amazon
 * Linux 2023; x86_64 and arm64). A version outside this list has no
 * parameter, so every launch would fail; for a newer image pass the full
 * parameter name instead (`parameter`, `stacks.gpuJupyter.imageParameter`).
 */
export const DLAMI_PYTORCH_VERSIONS: readonly string[] = ["2.6", "2.7", "2.8", "2.9", "2.10", "2.11", "2.12", "2.13"];

/** Why `version` has no PyTorch DLAMI parameter, or `undefined`. */
export function pytorchVersionProblem(version: string): string | undefined {
  if (!/^\d+\.\d+$/.test(version)) return `is not a major.minor version like ${DEFAULT_DLAMI_PYTORCH_VERSION}`;
  if (DLAMI_PYTORCH_VERSIONS.includes(version)) return undefined;
  return (
    `has no published PyTorch DLAMI SSM parameter (known versions: ${DLAMI_PYTORCH_VERSIONS.join(", ")}); ` +
    `for a newer image give the full parameter name, like ${deepLearningParameter()}`
  );
}

/** Why `parameter` is not a DLAMI SSM parameter path, or `undefined`. */
export function deepLearningParameterProblem(parameter: string): string | undefined {
  if (DLAMI_PARAMETER.test(parameter)) return undefined;
  return `must be a DLAMI SSM parameter like ${deepLearningParameter()} (/aws/service/deeplearning/ami/<x86_64|arm64>/<name>/latest/ami-id)`;
}

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
  const architecture = options.architecture ?? DEFAULT_IMAGE_ARCHITECTURE;
  const version = options.pytorchVersion ?? DEFAULT_DLAMI_PYTORCH_VERSION;
  const problem = flavor === "pytorch" ? pytorchVersionProblem(version) : undefined;
  if (problem) throw new Error(`pytorchVersion ("${version}") ${problem}`);
  const type = flavor === "base" ? `base-oss-nvidia-driver-gpu-${os}` : `oss-nvidia-driver-gpu-pytorch-${version}-${os}`;
  return `/aws/service/deeplearning/ami/${architecture}/${type}/latest/ami-id`;
}

const DLAMI_PARAMETER = /^\/aws\/service\/deeplearning\/ami\/(x86_64|arm64)\/[a-z0-9.-]+\/latest\/ami-id$/;
