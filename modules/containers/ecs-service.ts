import { Construct } from "constructs";
import { ITerraformDependable, Token } from "cdktf";
import { EcsService as EcsServiceResource } from "@cdktf/provider-aws/lib/ecs-service";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { AppautoscalingPolicy } from "@cdktf/provider-aws/lib/appautoscaling-policy";
import { INetwork, SubnetSelection, SubnetType } from "../network/network";
import { SecurityGroup } from "../network/security-group";
import { Port } from "../network/peer";
import { ICluster } from "./cluster";
import { TaskDefinition } from "./task-definition";
import { ApplicationLoadBalancer, HealthCheckOptions } from "../loadbalancing/application-load-balancer";
import { assertIntInRange, capacityProblems, targetValueProblem } from "../core/validate";
import { physicalName } from "../core/names";

/** The ECS workshop's service auto scaling (SPEC section 8). */
export const DEFAULT_MIN_TASKS = 2;
export const DEFAULT_MAX_TASKS = 8;
export const DEFAULT_REQUESTS_PER_TARGET = 4000;
export const DEFAULT_SCALE_OUT_COOLDOWN_SECONDS = 10;
export const DEFAULT_SCALE_IN_COOLDOWN_SECONDS = 60;

export interface ServiceLoadBalancing {
  readonly loadBalancer: ApplicationLoadBalancer;
  /** Path patterns routed to this service; omit to make it the load balancer's default target. @default default target */
  readonly pathPatterns?: readonly string[];
  /** Listener rule priority, required with `pathPatterns`. */
  readonly priority?: number;
  /** Target group health check. @default GET / expecting 200-399 every 15 s */
  readonly healthCheck?: HealthCheckOptions;
}

export interface EcsServiceProps {
  readonly cluster: ICluster;
  readonly taskDefinition: TaskDefinition;
  /** Service name. @default derived from the construct path */
  readonly serviceName?: string;
  /** Tasks to run (auto scaling takes over once added). @default 2 */
  readonly desiredCount?: number;
  /**
   * Place tasks on this EC2 capacity provider (and wait for the cluster
   * association `dependsOn`). @default Fargate for Fargate task definitions
   */
  readonly capacityProvider?: { readonly name: string; readonly dependsOn?: ITerraformDependable };
  /** Network of awsvpc tasks (their own security group is created). Required for awsvpc task definitions. */
  readonly network?: INetwork;
  /** Subnets of awsvpc tasks. @default the PUBLIC subnets */
  readonly subnets?: SubnetSelection;
  /** Public IP for awsvpc tasks (public subnets without NAT). @default true in public subnets */
  readonly assignPublicIp?: boolean;
  /** Put the service behind a load balancer with its own target group. @default none */
  readonly loadBalancing?: ServiceLoadBalancing;
  /** Seconds ECS ignores failing load balancer health checks after a task starts. @default 60 with a load balancer */
  readonly healthCheckGracePeriodSeconds?: number;
}

export interface RequestCountScalingOptions {
  /** @default 2 */
  readonly minCapacity?: number;
  /** @default 8 */
  readonly maxCapacity?: number;
  /** Target of `ALBRequestCountPerTarget` (requests per task per minute), > 0. @default 4000 */
  readonly requestsPerTarget?: number;
  /** @default 10 */
  readonly scaleOutCooldownSeconds?: number;
  /** @default 60 */
  readonly scaleInCooldownSeconds?: number;
}

/**
 * A long-running ECS service: deployment circuit breaker with rollback, on
 * Fargate or an EC2 capacity provider, optionally behind an ALB target
 * group (its own health check), with request-count auto scaling added by
 * {@link addRequestCountScaling}.
 */
export class EcsService extends Construct {
  readonly resource: EcsServiceResource;
  readonly targetGroup?: LbTargetGroup;
  /** The tasks' own security group (awsvpc only). */
  readonly securityGroup?: SecurityGroup;
  private readonly cluster: ICluster;
  private readonly loadBalancer?: ApplicationLoadBalancer;
  private scaling?: AppautoscalingTarget;

  constructor(scope: Construct, id: string, props: EcsServiceProps) {
    super(scope, id);
    const td = props.taskDefinition;
    const serviceName = props.serviceName ?? physicalName(this, { maxLength: 255 });
    const desiredCount = props.desiredCount ?? 2;
    const lb = props.loadBalancing;

    if (!/^[A-Za-z0-9_-]{1,255}$/.test(serviceName)) throw new Error(`serviceName ("${serviceName}") must be letters, digits, hyphens or underscores`);
    assertIntInRange(desiredCount, 0, 5000, "desiredCount");
    if (td.networkMode === "awsvpc" && !props.network) throw new Error(`network is required for awsvpc task definitions (${td.node.path})`);
    if (td.compatibility === "EC2" && !props.capacityProvider) throw new Error(`capacityProvider is required for EC2 task definitions (${td.node.path})`);
    if (lb) {
      if (td.containerPort === undefined) throw new Error(`loadBalancing needs the task definition's containerPort (${td.node.path})`);
      if (lb.pathPatterns && lb.priority === undefined) throw new Error("loadBalancing.priority is required with pathPatterns");
    }
    const grace = props.healthCheckGracePeriodSeconds ?? (lb ? 60 : undefined);
    if (grace !== undefined) assertIntInRange(grace, 0, 2147483647, "healthCheckGracePeriodSeconds");

    this.cluster = props.cluster;
    this.loadBalancer = lb?.loadBalancer;
    const port = td.containerPort ?? 0;

    let networkConfiguration;
    if (td.networkMode === "awsvpc") {
      const selection = props.subnets ?? { subnetType: SubnetType.PUBLIC };
      this.securityGroup = new SecurityGroup(this, "SecurityGroup", {
        network: props.network!,
        description: `Tasks of ${serviceName}`,
      });
      networkConfiguration = {
        subnets: props.network!.selectSubnetIds(selection),
        securityGroups: [this.securityGroup.securityGroupId],
        assignPublicIp: props.assignPublicIp ?? selection.subnetType === SubnetType.PUBLIC,
      };
      if (lb) lb.loadBalancer.connectTo(this.securityGroup, Port.tcp(port), `HTTP to ${serviceName} tasks`);
    }

    if (lb) {
      this.targetGroup = lb.loadBalancer.addTargetGroup(this, "TargetGroup", {
        port,
        targetType: td.networkMode === "awsvpc" ? "ip" : "instance",
        healthCheck: lb.healthCheck,
      });
      if (lb.pathPatterns) {
        lb.loadBalancer.addRoute(this, "Route", this.targetGroup, { pathPatterns: lb.pathPatterns, priority: lb.priority! });
      } else {
        lb.loadBalancer.setDefaultTargetGroup(this.targetGroup);
      }
    }

    this.resource = new EcsServiceResource(this, "Resource", {
      name: serviceName,
      cluster: props.cluster.clusterArn,
      taskDefinition: td.taskDefinitionArn,
      desiredCount,
      launchType: props.capacityProvider ? undefined : "FARGATE",
      capacityProviderStrategy: props.capacityProvider ? [{ capacityProvider: props.capacityProvider.name, weight: 1, base: 0 }] : undefined,
      networkConfiguration,
      deploymentCircuitBreaker: { enable: true, rollback: true },
      deploymentMinimumHealthyPercent: 50,
      deploymentMaximumPercent: 200,
      healthCheckGracePeriodSeconds: grace,
      loadBalancer: this.targetGroup ? [{ targetGroupArn: this.targetGroup.arn, containerName: td.containerName, containerPort: port }] : undefined,
      propagateTags: "SERVICE",
      enableEcsManagedTags: true,
      // ECS waits for the listener before registering targets; the capacity provider must be on the cluster.
      dependsOn: [...(props.capacityProvider?.dependsOn ? [props.capacityProvider.dependsOn] : []), lb?.loadBalancer.listener].filter(
        (d): d is ITerraformDependable => d !== undefined,
      ),
    });
  }

  get serviceName(): string {
    return this.resource.name;
  }

  /**
   * Service auto scaling on the ALB's request count per task: an
   * `aws_appautoscaling_target` on the desired count and a target tracking
   * policy on `ALBRequestCountPerTarget`. The service's `desired_count` is
   * then ignored by Terraform (auto scaling owns it).
   */
  addRequestCountScaling(options: RequestCountScalingOptions = {}): AppautoscalingPolicy {
    const min = options.minCapacity ?? DEFAULT_MIN_TASKS;
    const max = options.maxCapacity ?? DEFAULT_MAX_TASKS;
    const target = options.requestsPerTarget ?? DEFAULT_REQUESTS_PER_TARGET;
    const scaleOut = options.scaleOutCooldownSeconds ?? DEFAULT_SCALE_OUT_COOLDOWN_SECONDS;
    const scaleIn = options.scaleInCooldownSeconds ?? DEFAULT_SCALE_IN_COOLDOWN_SECONDS;

    if (!this.targetGroup || !this.loadBalancer) throw new Error(`${this.node.path}: request count scaling needs loadBalancing`);
    if (this.scaling) throw new Error(`${this.node.path}: request count scaling is already added`);
    assertIntInRange(min, 0, 5000, "minCapacity");
    assertIntInRange(max, 1, 5000, "maxCapacity");
    const [bounds] = capacityProblems(min, undefined, max, { min: "minCapacity", desired: "desiredCount", max: "maxCapacity" });
    if (bounds) throw new Error(`minCapacity (${min}) ${bounds.message}`);
    const targetProblem = Token.isUnresolved(target) ? undefined : targetValueProblem(target);
    if (targetProblem) throw new Error(`requestsPerTarget (${target}) ${targetProblem}`);
    assertIntInRange(scaleOut, 0, 86400, "scaleOutCooldownSeconds");
    assertIntInRange(scaleIn, 0, 86400, "scaleInCooldownSeconds");

    this.resource.addOverride("lifecycle.ignore_changes", ["desired_count"]);
    this.scaling = new AppautoscalingTarget(this, "ScalingTarget", {
      serviceNamespace: "ecs",
      scalableDimension: "ecs:service:DesiredCount",
      resourceId: `service/${this.cluster.clusterName}/${this.resource.name}`,
      minCapacity: min,
      maxCapacity: max,
    });
    return new AppautoscalingPolicy(this, "RequestCountScaling", {
      name: `${this.node.id}-requests-per-target`,
      policyType: "TargetTrackingScaling",
      serviceNamespace: this.scaling.serviceNamespace,
      scalableDimension: this.scaling.scalableDimension,
      resourceId: this.scaling.resourceId,
      targetTrackingScalingPolicyConfiguration: {
        targetValue: target,
        scaleOutCooldown: scaleOut,
        scaleInCooldown: scaleIn,
        predefinedMetricSpecification: {
          predefinedMetricType: "ALBRequestCountPerTarget",
          resourceLabel: `${this.loadBalancer.arnSuffix}/${this.targetGroup.arnSuffix}`,
        },
      },
    });
  }
}
