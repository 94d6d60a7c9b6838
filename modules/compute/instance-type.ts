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
