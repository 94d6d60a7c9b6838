import { Construct } from "constructs";
import { suppress } from "../policy/suppress";
import { Lazy } from "cdktf";
import { EcsCluster } from "@cdktf/provider-aws/lib/ecs-cluster";
import { EcsClusterCapacityProviders } from "@cdktf/provider-aws/lib/ecs-cluster-capacity-providers";
import { physicalName } from "../core/names";
import { assertIntInRange } from "../core/validate";

/** The narrow view of a cluster that services, tasks and capacity providers take. */
export interface ICluster {
  readonly clusterName: string;
  readonly clusterArn: string;
}

/** Container Insights off: its metrics are billed. */
export const DEFAULT_CONTAINER_INSIGHTS = false;

export interface ClusterProps {
  /** Cluster name (letters, digits, hyphens, underscores; up to 255). @default derived from the construct path */
  readonly clusterName?: string;
  /**
   * CloudWatch Container Insights (per-task CPU/memory/network metrics).
   * Cost: metrics and performance log events are billed by CloudWatch (a few
   * USD per month for a small cluster); nothing is billed when off.
   * @default false
   */
  readonly containerInsights?: boolean;
}

/** How a cluster spreads tasks over one capacity provider by default. */
export interface CapacityProviderStrategyItem {
  /** Capacity provider name (`FARGATE`, `FARGATE_SPOT` or an EC2 capacity provider). */
  readonly capacityProvider: string;
  /** Relative share of tasks. @default 1 */
  readonly weight?: number;
  /** Tasks placed on this provider before weights apply. @default 0 */
  readonly base?: number;
}

/**
 * An ECS cluster. Capacity providers and the default strategy are added with
 * {@link addCapacityProvider}; in Terraform they are one separate
 * `aws_ecs_cluster_capacity_providers` resource per cluster (CloudFormation
 * keeps them on the cluster).
 */
export class Cluster extends Construct implements ICluster {
  readonly resource: EcsCluster;
  private readonly providers: string[] = [];
  private readonly strategy: CapacityProviderStrategyItem[] = [];
  private association?: EcsClusterCapacityProviders;

  constructor(scope: Construct, id: string, props: ClusterProps = {}) {
    super(scope, id);
    const clusterName = props.clusterName ?? physicalName(this, { maxLength: 255 });
    if (!/^[A-Za-z0-9_-]{1,255}$/.test(clusterName)) {
      throw new Error(`clusterName ("${clusterName}") must be 1-255 letters, digits, hyphens or underscores`);
    }
    this.resource = new EcsCluster(this, "Resource", {
      name: clusterName,
      setting: [{ name: "containerInsights", value: (props.containerInsights ?? DEFAULT_CONTAINER_INSIGHTS) ? "enabled" : "disabled" }],
    });
    if (!(props.containerInsights ?? DEFAULT_CONTAINER_INSIGHTS)) {
      suppress(
        this.resource,
        "ECS-CONTAINER-INSIGHTS",
        "containerInsights off (the default): its metrics are billed as custom metrics (~0.30 USD per metric-month, a few USD a month per cluster); set stacks.<stack>.containerInsights to turn it on",
      );
    }
  }

  get clusterName(): string {
    return this.resource.name;
  }

  get clusterArn(): string {
    return this.resource.arn;
  }

  /**
   * Registers a capacity provider with the cluster; with `defaultStrategy`
   * it joins the cluster's default capacity provider strategy (used by
   * RunTask/CreateService calls that name no launch type or strategy).
   * Returns the association resource, for `dependsOn`.
   */
  addCapacityProvider(name: string, defaultStrategy?: Omit<CapacityProviderStrategyItem, "capacityProvider">): EcsClusterCapacityProviders {
    if (this.providers.includes(name)) throw new Error(`${this.node.path}: capacity provider "${name}" is already added`);
    this.providers.push(name);
    if (defaultStrategy) {
      const weight = defaultStrategy.weight ?? 1;
      const base = defaultStrategy.base ?? 0;
      assertIntInRange(weight, 0, 1000, "weight");
      assertIntInRange(base, 0, 100000, "base");
      this.strategy.push({ capacityProvider: name, weight, base });
    }
    if (!this.association) {
      this.association = new EcsClusterCapacityProviders(this, "CapacityProviders", {
        clusterName: this.resource.name,
        capacityProviders: Lazy.listValue({ produce: () => [...this.providers] }),
        defaultCapacityProviderStrategy: Lazy.anyValue({
          produce: () => this.strategy.map((s) => ({ capacity_provider: s.capacityProvider, weight: s.weight, base: s.base })),
        }) as never,
      });
    }
    return this.association;
  }
}
