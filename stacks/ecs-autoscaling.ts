import { Construct } from "constructs";
import { limitName } from "../modules/core/names";
import { TerraformOutput } from "cdktf";
import type { InfraConfig } from "../config";
import { CourseStack } from "./course-stack";
import { Network, SubnetType } from "../modules/network/network";
import { Cluster } from "../modules/containers/cluster";
import { Ec2CapacityProvider, EPHEMERAL_HOST_PORTS } from "../modules/containers/ec2-capacity-provider";
import { Ec2TaskDefinition } from "../modules/containers/ec2-task-definition";
import { ContainerImage } from "../modules/containers/container-image";
import { EcsService } from "../modules/containers/ecs-service";
import { ApplicationLoadBalancer } from "../modules/loadbalancing/application-load-balancer";

/** The workshop's network: two zones (an ALB needs two), public subnets, no NAT gateway. */
export const ECS_AUTOSCALING_NETWORK = {
  cidr: "10.30.0.0/22",
  availabilityZones: 2,
  subnets: [{ name: "public", type: SubnetType.PUBLIC, cidrMask: 24 }],
  natGateways: 0,
} as const;

/** The three services of the workshop and their routes. */
export const ECS_AUTOSCALING_ROUTES = [
  { name: "web", pathPatterns: undefined, priority: undefined },
  { name: "cats", pathPatterns: ["/cats*"], priority: 10 },
  { name: "dogs", pathPatterns: ["/dogs*"], priority: 20 },
] as const;

/**
 * `ecs-autoscaling` (the ECS workshop): an ECS cluster whose default
 * capacity provider is an Auto Scaling group of ECS-optimized instances
 * (cluster auto scaling, min 2 / max 4, target capacity 100%), an ALB with
 * `web` on `/` and `cats`/`dogs` on path routes (bridge-mode tasks on
 * dynamic host ports), and service auto scaling of `web` on
 * ALBRequestCountPerTarget (min 2, max 8, target 4000, scale-out cooldown 10 s).
 */
export class EcsAutoscalingStack extends CourseStack {
  readonly cluster: Cluster;
  readonly capacity: Ec2CapacityProvider;
  readonly loadBalancer: ApplicationLoadBalancer;
  readonly services: Readonly<Record<string, EcsService>>;

  constructor(scope: Construct, id: string, config: InfraConfig) {
    super(scope, id, config);
    const s = config.stacks.ecsAutoscaling;
    const name = this.resourceName(id);

    const network = new Network(this, "Network", { ...ECS_AUTOSCALING_NETWORK, name });
    this.cluster = new Cluster(this, "Cluster", { clusterName: name, containerInsights: s.containerInsights });
    this.capacity = new Ec2CapacityProvider(this, "Capacity", {
      cluster: this.cluster,
      network,
      name: `capacity-${name}`,
      instanceType: s.instanceType,
      minSize: s.minInstances,
      maxSize: s.maxInstances,
      targetCapacityPercent: s.targetCapacityPercent,
    });
    this.loadBalancer = new ApplicationLoadBalancer(this, "LoadBalancer", { network, name: albName(name) });
    // Bridge mode: tasks listen on dynamic host ports of the instances.
    this.loadBalancer.connectTo(this.capacity.securityGroup, EPHEMERAL_HOST_PORTS, "HTTP to bridge-mode tasks on dynamic host ports");

    const services: Record<string, EcsService> = {};
    for (const route of ECS_AUTOSCALING_ROUTES) {
      const taskDefinition = new Ec2TaskDefinition(this, `${capitalize(route.name)}Task`, {
        family: `${name}-${route.name}`,
        image: ContainerImage.fromRegistry(s.images[route.name]),
        containerName: route.name,
        containerPort: s.containerPort,
        user: s.containerUser,
        networkMode: "bridge",
      });
      services[route.name] = new EcsService(this, `${capitalize(route.name)}Service`, {
        cluster: this.cluster,
        taskDefinition,
        serviceName: route.name,
        desiredCount: route.name === "web" ? s.webScaling.minTasks : 2,
        capacityProvider: { name: this.capacity.capacityProviderName, dependsOn: this.capacity.clusterAssociation },
        loadBalancing: {
          loadBalancer: this.loadBalancer,
          pathPatterns: route.pathPatterns,
          priority: route.priority,
          healthCheck: { path: "/" },
        },
      });
    }
    this.services = services;
    services.web.addRequestCountScaling({
      minCapacity: s.webScaling.minTasks,
      maxCapacity: s.webScaling.maxTasks,
      requestsPerTarget: s.webScaling.requestsPerTarget,
      scaleOutCooldownSeconds: s.webScaling.scaleOutCooldownSeconds,
      scaleInCooldownSeconds: s.webScaling.scaleInCooldownSeconds,
    });

    const url = `http://${this.loadBalancer.dnsName}`;
    new TerraformOutput(this, "LoadBalancerUrl", { value: url, description: "web on /, cats on /cats, dogs on /dogs" });
    new TerraformOutput(this, "ClusterName", { value: this.cluster.clusterName });
    new TerraformOutput(this, "AutoScalingGroupName", { value: this.capacity.autoScalingGroup.name });
    new TerraformOutput(this, "CapacityProviderName", { value: this.capacity.capacityProviderName });
    new TerraformOutput(this, "ServiceNames", { value: Object.values(services).map((v) => v.serviceName) });
    new TerraformOutput(this, "LoadTestCommand", {
      description: "Drive web past its request-count target to watch it scale out (needs `hey`)",
      value: `hey -z 5m -c 100 ${url}/`,
    });
    new TerraformOutput(this, "WatchScalingCommand", {
      description: "Desired/running task counts of web",
      value: `aws ecs describe-services --region ${config.region} --cluster ${this.cluster.clusterName} --services web --query "services[0].[desiredCount,runningCount]"`,
    });
  }
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** ALB names are at most 32 characters (hash-suffixed when cut, so environments never collide). */
function albName(name: string): string {
  return limitName(name, 32);
}
