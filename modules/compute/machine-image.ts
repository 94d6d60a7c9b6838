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
      minRootVolumeGiB: 8,
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
};
