import { DLAMI_ROOT_SNAPSHOT_GIB, MachineImage, deepLearningParameter } from "../../../modules/compute/machine-image";

describe("MachineImage.deepLearning", () => {
  test("defaults to the PyTorch DLAMI on Amazon Linux 2023, resolved from its public SSM parameter at launch", () => {
    // GIVEN no options WHEN the image is made THEN the launch template gets resolve:ssm: of the PyTorch AL2023 parameter
    const image = MachineImage.deepLearning();
    expect(image.imageId).toBe("resolve:ssm:/aws/service/deeplearning/ami/x86_64/oss-nvidia-driver-gpu-pytorch-2.10-amazon-linux-2023/latest/ami-id");
    expect(image).toMatchObject({ rootDeviceName: "/dev/xvda", loginUser: "ec2-user", requiresGpu: true, minRootVolumeGiB: DLAMI_ROOT_SNAPSHOT_GIB });
    expect(DLAMI_ROOT_SNAPSHOT_GIB).toBeGreaterThanOrEqual(75);
  });

  test("the Base DLAMI and other PyTorch versions are options", () => {
    expect(MachineImage.deepLearning({ flavor: "base" }).imageId).toBe(
      "resolve:ssm:/aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-gpu-amazon-linux-2023/latest/ami-id",
    );
    expect(deepLearningParameter({ pytorchVersion: "2.9" })).toContain("oss-nvidia-driver-gpu-pytorch-2.9-amazon-linux-2023");
    expect(deepLearningParameter({ architecture: "arm64" })).toMatch(/^\/aws\/service\/deeplearning\/ami\/arm64\//);
  });

  test("Ubuntu images boot from /dev/sda1 and log in as ubuntu", () => {
    const image = MachineImage.deepLearning({ os: "ubuntu-24.04" });
    expect(image).toMatchObject({ rootDeviceName: "/dev/sda1", loginUser: "ubuntu" });
    expect(image.imageId).toContain("pytorch-2.10-ubuntu-24.04");
  });

  test("a full parameter overrides the options", () => {
    const p = "/aws/service/deeplearning/ami/x86_64/oss-nvidia-driver-gpu-pytorch-2.13-amazon-linux-2023/latest/ami-id";
    expect(MachineImage.deepLearning({ parameter: p, minRootVolumeGiB: 90 })).toMatchObject({ imageId: `resolve:ssm:${p}`, minRootVolumeGiB: 90 });
  });

  test("refuses a parameter that is not a DLAMI parameter", () => {
    expect(() => MachineImage.deepLearning({ parameter: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64" })).toThrow(
      /parameter \("\/aws\/service\/ami-amazon-linux-latest\/al2023-ami-kernel-default-x86_64"\) must be a DLAMI SSM parameter/,
    );
  });

  test("refuses a malformed PyTorch version", () => {
    expect(() => MachineImage.deepLearning({ pytorchVersion: "latest" })).toThrow(/pytorchVersion \("latest"\)/);
  });

  test("refuses a non-positive snapshot size", () => {
    expect(() => MachineImage.deepLearning({ minRootVolumeGiB: 0 })).toThrow(/minRootVolumeGiB \(0\)/);
  });

  test("plain Amazon Linux needs no GPU", () => {
    expect(MachineImage.latestAmazonLinux2023().requiresGpu).toBe(false);
  });
});
