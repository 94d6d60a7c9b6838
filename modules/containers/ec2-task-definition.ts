import { Construct } from "constructs";
import { TaskDefinition, TaskDefinitionProps } from "./task-definition";
import { assertIntInRange } from "../core/validate";

export interface Ec2TaskDefinitionProps extends TaskDefinitionProps {
  /** Container CPU units reserved on the instance. @default 256 */
  readonly cpu?: number;
  /** Container hard memory limit, MiB. @default 256 */
  readonly memory?: number;
  /**
   * `bridge` (the ECS workshop's choice): dynamic host ports, many tasks per
   * instance, target groups of type `instance`. `awsvpc`: one ENI per task,
   * so an instance runs only as many tasks as it has spare ENIs (2 on a
   * t3.small).
   * @default "bridge"
   */
  readonly networkMode?: "bridge" | "awsvpc";
}

/** A task definition for EC2 container instances (capacity providers backed by an Auto Scaling group). */
export class Ec2TaskDefinition extends TaskDefinition {
  constructor(scope: Construct, id: string, props: Ec2TaskDefinitionProps) {
    const cpu = props.cpu ?? 256;
    const memory = props.memory ?? 256;
    assertIntInRange(cpu, 2, 10240 * 16, "cpu");
    assertIntInRange(memory, 6, 1024 * 1024, "memory");
    super(scope, id, props, { compatibility: "EC2", networkMode: props.networkMode ?? "bridge", cpu, memory, cpuLevel: "container" });
  }
}
