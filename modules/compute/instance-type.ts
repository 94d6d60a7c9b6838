import type { Architecture } from "./machine-image";

/** EC2 instance type names: family (with generation and attributes), a dot, a size. */
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*[0-9][a-z0-9-]*\.(nano|micro|small|medium|large|metal|[0-9]*xlarge|metal-[0-9]+xl)$/;

/** Why `type` is not a well-formed EC2 instance type name, or `undefined` when it is. */
export function instanceTypeProblem(type: string): string | undefined {
  if (INSTANCE_TYPE.test(type)) return undefined;
  return "is not an EC2 instance type like t3.micro or g4dn.xlarge";
}

/** Throws a message naming `field` and the value when `type` is malformed. */
export function assertInstanceType(type: string, field = "instanceType"): void {
  const problem = instanceTypeProblem(type);
  if (problem) throw new Error(`${field} ("${type}") ${problem}`);
}

/** Families with an NVIDIA GPU (accelerated computing, P and G series). */
const GPU_FAMILY = /^(p[2-6]|g[3-6]|g4dn|g5g|g6e|g6f|gr6|p4d|p4de|p5e|p5en)/;

/** True when the instance type has an NVIDIA GPU, so a CUDA image makes sense on it. */
export function isGpuInstanceType(type: string): boolean {
  return GPU_FAMILY.test(type.split(".")[0]);
}

/**
 * Arm (AWS Graviton) families: a `g` right after the generation digit
 * (`t4g`, `m6g`, `c6gn`, `r7gd`, `x2gd`, `im4gn`, `g5g`, `m8g` ...), `a1`,
 * the Grace superchips (`p6e-gb200`) and the Apple silicon Macs (`mac2*`).
 * Everything else is x86_64.
 */
const ARM_FAMILY = /^([a-z]+\d+g[a-z0-9]*|a1|mac2(-[a-z0-9]+)?|[a-z]+\d+[a-z]*-gb\d+)$/;

/** The CPU architecture instances of `type` run. */
export function instanceTypeArchitecture(type: string): Architecture {
  return ARM_FAMILY.test(type.split(".")[0]) ? "arm64" : "x86_64";
}

/**
 * Why an image built for `imageArchitecture` cannot boot on `type`, or
 * `undefined` when they match (EC2 refuses the launch:
 * "The architecture 'arm64' of the specified instance type does not match
 * the architecture 'x86_64' of the specified AMI").
 */
export function architectureProblem(type: string, imageArchitecture: Architecture, imageDescription: string): string | undefined {
  const architecture = instanceTypeArchitecture(type);
  if (architecture === imageArchitecture) return undefined;
  const alternative = imageArchitecture === "x86_64" ? "an x86_64 type such as t3.micro, m6i.large or c6i.large" : "an arm64 (Graviton) type such as t4g.micro, m7g.large or c7g.large";
  return `is an ${architecture} instance type, but the image (${imageDescription}) is built for ${imageArchitecture}; EC2 refuses the launch: use ${alternative}`;
}
