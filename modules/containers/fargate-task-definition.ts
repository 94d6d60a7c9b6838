import { Construct } from "constructs";
import { TaskDefinition, TaskDefinitionProps } from "./task-definition";

/** Default Fargate size: the course's 1 vCPU / 4 GB. */
export const DEFAULT_FARGATE_CPU = 1024;
export const DEFAULT_FARGATE_MEMORY = 4096;

function range(from: number, to: number, step: number): number[] {
  return Array.from({ length: (to - from) / step + 1 }, (_, i) => from + i * step);
}

/**
 * Fargate's allowed task sizes (Linux): CPU units -> memory MiB.
 * Source: ECS developer guide, "Task CPU and memory" (8 and 16 vCPU need
 * platform version 1.4.0, the default).
 */
export const FARGATE_CPU_MEMORY: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: range(1024, 4096, 1024),
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
  8192: range(16384, 61440, 4096),
  16384: range(32768, 122880, 8192),
};

/** Which of the two values breaks Fargate's table, and why (without the field's name and value). */
export function fargateSizeIssue(cpu: number, memory: number): { readonly field: "cpu" | "memory"; readonly message: string } | undefined {
  const allowed = FARGATE_CPU_MEMORY[cpu];
  if (!allowed) return { field: "cpu", message: `must be one of Fargate's sizes: ${Object.keys(FARGATE_CPU_MEMORY).join(", ")} CPU units` };
  if (!allowed.includes(memory)) {
    return { field: "memory", message: `is not allowed with cpu (${cpu}) on Fargate; allowed memory for cpu ${cpu}: ${allowed.join(", ")} MiB` };
  }
  return undefined;
}

/** Why `cpu`/`memory` is not a Fargate task size, or nothing when it is. */
export function fargateSizeProblem(cpu: number, memory: number): string | undefined {
  const issue = fargateSizeIssue(cpu, memory);
  return issue && `${issue.field} (${issue.field === "cpu" ? cpu : memory}) ${issue.message}`;
}

export interface FargateTaskDefinitionProps extends TaskDefinitionProps {
  /** CPU units (1024 = 1 vCPU). Cost: Fargate bills vCPU-hours and GB-hours while a task runs. @default 1024 */
  readonly cpu?: number;
  /** Memory MiB; must pair with `cpu` (see {@link FARGATE_CPU_MEMORY}). @default 4096 */
  readonly memory?: number;
  /** @default "X86_64" (ARM64 is ~20% cheaper but needs an arm64 image) */
  readonly cpuArchitecture?: "X86_64" | "ARM64";
}

/** A Fargate task definition (awsvpc networking) with a validated CPU/memory pair. */
export class FargateTaskDefinition extends TaskDefinition {
  readonly cpu: number;
  readonly memory: number;

  constructor(scope: Construct, id: string, props: FargateTaskDefinitionProps) {
    const cpu = props.cpu ?? DEFAULT_FARGATE_CPU;
    const memory = props.memory ?? DEFAULT_FARGATE_MEMORY;
    const problem = fargateSizeProblem(cpu, memory);
    if (problem) throw new Error(problem);
    super(scope, id, props, {
      compatibility: "FARGATE",
      networkMode: "awsvpc",
      cpu,
      memory,
      cpuLevel: "task",
      runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: props.cpuArchitecture ?? "X86_64" },
    });
    this.cpu = cpu;
    this.memory = memory;
  }
}
