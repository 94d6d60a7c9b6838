import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import { Role } from "../iam/role";
import { IGrantable, IPrincipal } from "../iam/grant";
import { assertRetention, DEFAULT_LOG_RETENTION_DAYS } from "../core/log-retention";
import { regionOf } from "../core/context";
import { ContainerImage } from "./container-image";
import { assertIntInRange } from "../core/validate";
import { physicalName } from "../core/names";

/** Default log retention of task log groups (days). */
export const DEFAULT_TASK_LOG_RETENTION_DAYS = DEFAULT_LOG_RETENTION_DAYS;
/** Default non-root user (uid 1000: `node` in node images). */
export const DEFAULT_CONTAINER_USER = "1000";
/** Where the writable scratch volume is mounted (the root filesystem is read-only). */
export const DEFAULT_SCRATCH_PATH = "/tmp";
/** Name of the single container. */
export const DEFAULT_CONTAINER_NAME = "app";

/** What every task definition here takes (one container). */
export interface TaskDefinitionProps {
  /** The container image. */
  readonly image: ContainerImage;
  /** Task family. @default derived from the construct path */
  readonly family?: string;
  /** @default "app" */
  readonly containerName?: string;
  /** Plain environment variables (no secrets: use SSM parameters read by the task role). @default none */
  readonly environment?: Readonly<Record<string, string>>;
  /** Port the container listens on. @default none */
  readonly containerPort?: number;
  /** Overrides the image's command. @default the image's CMD */
  readonly command?: readonly string[];
  /**
   * User (uid or uid:gid) the container runs as; root (`0`, `root`) is refused.
   * @default "1000"
   */
  readonly user?: string;
  /** Path of the writable scratch volume; the root filesystem is always read-only. @default "/tmp" */
  readonly scratchPath?: string;
  /** Days to keep the container's logs (own log group `/ecs/<family>`). @default 14 */
  readonly logRetentionDays?: number;
}

/** Resolved settings a subclass hands to the base. */
export interface TaskDefinitionPlacement {
  readonly compatibility: "FARGATE" | "EC2";
  readonly networkMode: "awsvpc" | "bridge";
  /** Task-level CPU units / memory MiB (Fargate), or container-level hard limits (EC2). */
  readonly cpu: number;
  readonly memory: number;
  readonly cpuLevel: "task" | "container";
  readonly runtimePlatform?: { readonly operatingSystemFamily: string; readonly cpuArchitecture: string };
}

/**
 * One container with the project's defaults: awslogs to its own log group
 * with retention, non-root user, read-only root filesystem with one
 * writable scratch volume, and two roles: the execution role (ECS agent:
 * image pull and this log group only) separate from the task role (the
 * application's permissions, given through `grantX` methods of other
 * constructs: the task definition is {@link IGrantable}).
 */
export abstract class TaskDefinition extends Construct implements IGrantable {
  readonly resource: EcsTaskDefinition;
  readonly logGroup: CloudwatchLogGroup;
  readonly executionRole: Role;
  readonly taskRole: Role;
  readonly grantPrincipal: IPrincipal;
  readonly containerName: string;
  readonly containerPort?: number;
  readonly networkMode: "awsvpc" | "bridge";
  readonly compatibility: "FARGATE" | "EC2";

  protected constructor(scope: Construct, id: string, props: TaskDefinitionProps, placement: TaskDefinitionPlacement) {
    super(scope, id);
    const family = props.family ?? physicalName(this, { maxLength: 255 });
    const containerName = props.containerName ?? DEFAULT_CONTAINER_NAME;
    const user = props.user ?? DEFAULT_CONTAINER_USER;
    const scratchPath = props.scratchPath ?? DEFAULT_SCRATCH_PATH;
    const retention = props.logRetentionDays ?? DEFAULT_TASK_LOG_RETENTION_DAYS;
    const region = regionOf(this);

    if (!/^[A-Za-z0-9_-]{1,255}$/.test(family)) throw new Error(`family ("${family}") must be 1-255 letters, digits, hyphens or underscores`);
    if (!/^[A-Za-z0-9_-]{1,255}$/.test(containerName)) throw new Error(`containerName ("${containerName}") must be letters, digits, hyphens or underscores`);
    if (/^(0|root)(:.*)?$/.test(user.trim()) || !user.trim()) throw new Error(`user ("${user}") must be a non-root user, like 1000 or 1000:1000`);
    if (!/^\/[A-Za-z0-9_./-]*$/.test(scratchPath) || scratchPath === "/") throw new Error(`scratchPath ("${scratchPath}") must be an absolute path other than /`);
    if (props.containerPort !== undefined) assertIntInRange(props.containerPort, 1, 65535, "containerPort");
    assertRetention(retention, "logRetentionDays");
    for (const name of Object.keys(props.environment ?? {})) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`environment name ("${name}") must be letters, digits and underscores`);
    }
    if (!region) throw new Error(`${this.node.path}: no region in context (build task definitions inside a CourseStack)`);

    this.containerName = containerName;
    this.containerPort = props.containerPort;
    this.networkMode = placement.networkMode;
    this.compatibility = placement.compatibility;

    this.logGroup = new CloudwatchLogGroup(this, "LogGroup", { name: `/ecs/${family}`, retentionInDays: retention });

    this.executionRole = new Role(this, "ExecutionRole", {
      assumedBy: "ecs-tasks.amazonaws.com",
      description: `ECS agent for ${family}: image pull and its own log group`,
    });
    this.executionRole.addToPolicy({
      sid: "WriteOwnLogs",
      actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
      resources: [`${this.logGroup.arn}:*`],
    });
    props.image.grantPull(this.executionRole);

    this.taskRole = new Role(this, "TaskRole", {
      assumedBy: "ecs-tasks.amazonaws.com",
      description: `Application permissions of ${family}`,
    });
    this.grantPrincipal = this.taskRole;

    const scratchVolume = "scratch";
    const container: Record<string, unknown> = {
      name: containerName,
      image: props.image.imageName,
      essential: true,
      user,
      readonlyRootFilesystem: true,
      command: props.command ? [...props.command] : undefined,
      environment: Object.entries(props.environment ?? {}).map(([name, value]) => ({ name, value })),
      portMappings:
        props.containerPort === undefined
          ? []
          : [
              {
                containerPort: props.containerPort,
                // bridge: 0 = a dynamic host port from the ephemeral range; awsvpc: the same port.
                hostPort: placement.networkMode === "bridge" ? 0 : props.containerPort,
                protocol: "tcp",
              },
            ],
      mountPoints: [{ sourceVolume: scratchVolume, containerPath: scratchPath, readOnly: false }],
      volumesFrom: [],
      logConfiguration: {
        logDriver: "awslogs",
        options: {
          "awslogs-group": this.logGroup.name,
          "awslogs-region": region,
          "awslogs-stream-prefix": containerName,
        },
      },
      ...(placement.cpuLevel === "container" ? { cpu: placement.cpu, memory: placement.memory } : {}),
    };

    this.resource = new EcsTaskDefinition(this, "Resource", {
      family,
      requiresCompatibilities: [placement.compatibility],
      networkMode: placement.networkMode,
      cpu: placement.cpuLevel === "task" ? String(placement.cpu) : undefined,
      memory: placement.cpuLevel === "task" ? String(placement.memory) : undefined,
      executionRoleArn: this.executionRole.roleArn,
      taskRoleArn: this.taskRole.roleArn,
      runtimePlatform: placement.runtimePlatform ? { ...placement.runtimePlatform } : undefined,
      // Fargate: task storage (20 GiB ephemeral); EC2: a Docker-managed volume removed with the task.
      volume: [{ name: scratchVolume }],
      containerDefinitions: JSON.stringify([container]),
    });
  }

  get family(): string {
    return this.resource.family;
  }

  get taskDefinitionArn(): string {
    return this.resource.arn;
  }
}
