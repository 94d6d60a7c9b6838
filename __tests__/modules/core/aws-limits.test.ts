import { Construct } from "constructs";
import { Testing } from "cdktf";
import { REGION_CONTEXT_KEY } from "../../../modules/core/context";
import { closestMatch, didYouMean, editDistance } from "../../../modules/core/did-you-mean";
import { AWS_REGIONS, assertRegion, regionProblem } from "../../../modules/core/regions";
import { MAX_EXTRA_TAGS, PROJECT_TAG_KEYS, projectTags, tagKeyProblem, tagValueProblem, tagsOnBusiestResource } from "../../../modules/core/tags";
import { capacityProblems, targetValueProblem } from "../../../modules/core/validate";
import { retentionProblem } from "../../../modules/core/log-retention";
import { architectureProblem, instanceTypeArchitecture } from "../../../modules/compute/instance-type";
import { DLAMI_PYTORCH_VERSIONS, MachineImage, architectureOfParameter, deepLearningParameter, pytorchVersionProblem } from "../../../modules/compute/machine-image";
import { SecureLaunchTemplate, rootVolumeProblem, spotMaxPriceProblem } from "../../../modules/compute/launch-template";
import { idleStopProblems } from "../../../modules/compute/idle-stop-alarm";
import { fargateSizeIssue } from "../../../modules/containers/fargate-task-definition";
import { ContainerImage, imageReferenceProblem } from "../../../modules/containers/container-image";
import { ApplicationLoadBalancer, certificateRegionProblem } from "../../../modules/loadbalancing/application-load-balancer";
import { reservedConcurrencyWarning } from "../../../modules/serverless/function";
import { defaultAzIds } from "../../../modules/network/availability-zones";
import { FleetGroup } from "../../../modules/fleet/fleet-group";
import { testNetwork } from "../fleet/fixtures";

/** One rule per block: the checking function the config and the construct share, with a compliant and a noncompliant case. */
describe("AWS limits stated once in the modules", () => {
  test("did you mean: close typos only", () => {
    expect(editDistance("sttae", "state")).toBe(1);
    expect(closestMatch("capacity-optimised", ["capacity-optimized", "lowest-price"])).toBe("capacity-optimized");
    expect(closestMatch("banana", ["state", "ssh"])).toBeUndefined();
    expect(didYouMean("us-esat-1", AWS_REGIONS)).toBe(" (did you mean us-east-1?)");
  });

  test("regions: known ids pass, typos get a suggestion, newer well-formed ids need the escape", () => {
    expect(regionProblem("ap-northeast-1")).toBeUndefined();
    expect(regionProblem("ap-northeast-9")).toMatch(/not a known AWS region id \(did you mean ap-northeast-1\?\).*AWS_REGIONS/);
    expect(regionProblem("ap-southeast-9", { allowUnknown: true })).toBeUndefined();
    expect(regionProblem("tokyo", { allowUnknown: true })).toMatch(/not an AWS region id/);
    expect(() => assertRegion("eu-wset-1")).toThrow(/region \("eu-wset-1"\) .*did you mean eu-west-1/);
    // The network blames the region, not availabilityZones.
    expect(() => defaultAzIds("ap-notheast-1", 1)).toThrow(/^region \("ap-notheast-1"\).*did you mean ap-northeast-1/);
  });

  test("tags: characters, lengths, the aws: prefix, and what the project adds itself", () => {
    expect(tagKeyProblem("Cost Center/2024@team")).toBeUndefined();
    expect(tagKeyProblem("a#b")).toMatch(/letters, digits, spaces/);
    expect(tagKeyProblem("Aws:x")).toMatch(/aws:/);
    expect(tagKeyProblem("k".repeat(129))).toMatch(/129 characters/);
    expect(tagValueProblem("")).toBeUndefined();
    expect(tagValueProblem("v".repeat(257))).toMatch(/at most 256/);
    expect(Object.keys(projectTags({ project: "p", environment: "e", stack: "s" }))).toEqual([...PROJECT_TAG_KEYS]);
    expect(projectTags({ project: "p", environment: "e", stack: "s", extra: { Project: "x" } }).Project).toBe("p");
    expect(MAX_EXTRA_TAGS).toBe(44);
    expect(tagsOnBusiestResource(["Name", "Team"])).toBe(7);
  });

  test("capacity: min <= desired <= max, naming the other bound", () => {
    expect(capacityProblems(1, 1, 5)).toEqual([]);
    expect(capacityProblems(3, 2, 2)).toEqual([{ field: "min", message: "must be <= maxSize (2)" }, { field: "desired", message: "must be >= minSize (3)" }]);
    expect(capacityProblems(0, 9, 5, { min: "a.min", desired: "a.desired", max: "a.max" })).toEqual([{ field: "desired", message: "must be <= a.max (5)" }]);
  });

  test("target tracking values: above 0 and within TargetValue's range", () => {
    expect(targetValueProblem(4000)).toBeUndefined();
    expect(targetValueProblem(0)).toMatch(/must be > 0/);
    expect(targetValueProblem(1e200)).toMatch(/TargetValue range/);
  });

  test("log retention: CloudWatch's values only", () => {
    expect(retentionProblem(14)).toBeUndefined();
    expect(retentionProblem(10)).toMatch(/1, 3, 5, 7, 14/);
  });

  test("instance architecture: Graviton families are arm64, the rest x86_64", () => {
    for (const t of ["t4g.micro", "m6g.large", "c6gn.xlarge", "r7gd.large", "g5g.xlarge", "a1.large", "m8g.large"]) expect(instanceTypeArchitecture(t)).toBe("arm64");
    for (const t of ["t3.micro", "g4dn.xlarge", "m5d.large", "c7i-flex.large", "p4d.24xlarge", "inf2.xlarge"]) expect(instanceTypeArchitecture(t)).toBe("x86_64");
    expect(architectureProblem("t3.micro", "x86_64", "AL2023")).toBeUndefined();
    expect(architectureProblem("t4g.micro", "x86_64", "AL2023")).toMatch(/arm64 instance type.*built for x86_64/);
  });

  test("image architecture: known from the factories and the parameter name", () => {
    expect(MachineImage.latestAmazonLinux2023().architecture).toBe("x86_64");
    expect(MachineImage.latestAmazonLinux2023("arm64").architecture).toBe("arm64");
    expect(MachineImage.ecsOptimizedAmazonLinux2023("arm64").architecture).toBe("arm64");
    expect(MachineImage.deepLearning({ architecture: "arm64" }).architecture).toBe("arm64");
    expect(MachineImage.fromSsmParameter("/my/image").architecture).toBeUndefined();
    expect(architectureOfParameter("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64")).toBe("x86_64");
  });

  test("DLAMI: only published PyTorch versions, newer ones through the full parameter", () => {
    expect(DLAMI_PYTORCH_VERSIONS).toContain("2.10");
    expect(pytorchVersionProblem("2.9")).toBeUndefined();
    expect(pytorchVersionProblem("1.0")).toMatch(/no published PyTorch DLAMI SSM parameter.*full parameter name/);
    expect(() => deepLearningParameter({ pytorchVersion: "1.0" })).toThrow(/pytorchVersion \("1.0"\) has no published/);
    const newer = "/aws/service/deeplearning/ami/x86_64/oss-nvidia-driver-gpu-pytorch-9.9-amazon-linux-2023/latest/ami-id";
    expect(MachineImage.deepLearning({ parameter: newer }).imageId).toBe(`resolve:ssm:${newer}`);
  });

  test("launch template: root volume, Spot price and architecture refused with the prop name", () => {
    const image = MachineImage.latestAmazonLinux2023();
    expect(rootVolumeProblem(8, image)).toBeUndefined();
    expect(rootVolumeProblem(16385, image)).toMatch(/16384 \(16 TiB/);
    expect(spotMaxPriceProblem("0.30")).toBeUndefined();
    expect(spotMaxPriceProblem("0")).toMatch(/above 0/);
    const lt = (props: object) => Testing.synthScope((s) => new SecureLaunchTemplate(s, "Lt", { machineImage: image, instanceType: "t3.micro", ...props }));
    expect(() => lt({ instanceType: "t4g.micro" })).toThrow(/instanceType \("t4g.micro"\) is an arm64 instance type/);
    expect(() => lt({ spot: { maxPrice: "0" } })).toThrow(/spot.maxPrice \("0"\) must be a price/);
    expect(() => lt({ instanceType: "t4g.micro", machineImage: MachineImage.latestAmazonLinux2023("arm64") })).not.toThrow();
  });

  test("Auto Scaling group: every mixed-instances override must run the template's image", () => {
    const group = (instanceTypes: string[]) =>
      Testing.synthScope((s) => {
        s.node.setContext(REGION_CONTEXT_KEY, "ap-northeast-1");
        const template = new SecureLaunchTemplate(s, "Lt", { machineImage: MachineImage.latestAmazonLinux2023() });
        new FleetGroup(s, "Group", { network: testNetwork(s as Construct), launchTemplate: template, groupName: "g", minSize: 0, desiredCapacity: 0, mixedInstances: { instanceTypes } });
      });
    expect(() => group(["m5.large", "m6g.large"])).toThrow(/mixedInstances.instanceTypes\[1\] \("m6g.large"\) is an arm64 instance type/);
    expect(() => group(["m5.large", "c6i.large"])).not.toThrow();
  });

  test("idle stop: threshold 0..100, idle minutes in whole periods", () => {
    expect(idleStopProblems({ cpuThresholdPercent: 5, idleMinutes: 60 })).toEqual([]);
    expect(idleStopProblems({ cpuThresholdPercent: 150, idleMinutes: 7 }).map((p) => p.field)).toEqual(["cpuThresholdPercent", "idleMinutes"]);
  });

  test("Fargate: the field that breaks the table", () => {
    expect(fargateSizeIssue(1024, 4096)).toBeUndefined();
    expect(fargateSizeIssue(256, 4096)).toEqual({ field: "memory", message: expect.stringMatching(/512, 1024, 2048/) });
    expect(fargateSizeIssue(3000, 4096)?.field).toBe("cpu");
  });

  test("container images: registries refuse upper-case repository names", () => {
    for (const ok of ["nginx", "nginx:1.27", "public.ecr.aws/nginx/nginx-unprivileged:stable-alpine", "localhost:5000/a/b", `busybox@sha256:${"a".repeat(64)}`, "Registry.Example.com/app:V1"]) {
      expect(imageReferenceProblem(ok)).toBeUndefined();
    }
    expect(imageReferenceProblem("Nginx:latest")).toMatch(/upper case.*did you mean nginx:latest\?/);
    expect(imageReferenceProblem("nginx:")).toMatch(/malformed tag/);
    expect(() => ContainerImage.fromRegistry("My/App")).toThrow(/image \("My\/App"\) has upper case/);
  });

  test("load balancer certificates: same region only (ACM), IAM certificates anywhere", () => {
    const arn = "arn:aws:acm:us-east-1:123456789012:certificate/abc";
    expect(certificateRegionProblem(arn, "us-east-1")).toBeUndefined();
    expect(certificateRegionProblem("arn:aws:iam::123456789012:server-certificate/x", "eu-west-1")).toBeUndefined();
    expect(certificateRegionProblem(arn, "ap-northeast-1")).toMatch(/in us-east-1.*in ap-northeast-1/);
    expect(() =>
      Testing.synthScope((s) => {
        s.node.setContext(REGION_CONTEXT_KEY, "ap-northeast-1");
        new ApplicationLoadBalancer(s, "Alb", { network: testNetwork(s as Construct), name: "alb", certificateArn: arn });
      }),
    ).toThrow(/certificateArn \(".*"\) is an ACM certificate in us-east-1/);
  });

  test("reserved concurrency: a warning past the default quota minus the unreserved 100", () => {
    expect(reservedConcurrencyWarning(900)).toBeUndefined();
    expect(reservedConcurrencyWarning(901)).toMatch(/900 .*1000.*L-B99A9384/);
  });
});
