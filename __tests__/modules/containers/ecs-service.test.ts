import { Construct } from "constructs";
import { AppautoscalingPolicy } from "@cdktf/provider-aws/lib/appautoscaling-policy";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { Network } from "../../../modules/network/network";
import { Cluster } from "../../../modules/containers/cluster";
import { ContainerImage } from "../../../modules/containers/container-image";
import { Ec2TaskDefinition } from "../../../modules/containers/ec2-task-definition";
import { FargateTaskDefinition } from "../../../modules/containers/fargate-task-definition";
import { EcsService, RequestCountScalingOptions } from "../../../modules/containers/ecs-service";
import { ApplicationLoadBalancer } from "../../../modules/loadbalancing/application-load-balancer";
import { onlyResource, resourcesOf, synthJson, synthScope } from "../../helpers/synth";

const image = ContainerImage.fromRegistry("public.ecr.aws/nginx/nginx-unprivileged:stable-alpine");

function fargateWeb(s: Construct, scaling?: RequestCountScalingOptions): EcsService {
  const network = new Network(s, "Net", { availabilityZones: 2 });
  const cluster = new Cluster(s, "Cluster", { clusterName: "demo" });
  const loadBalancer = new ApplicationLoadBalancer(s, "Alb", { network });
  const taskDefinition = new FargateTaskDefinition(s, "Task", { image, cpu: 256, memory: 512, containerPort: 8080, user: "101" });
  const service = new EcsService(s, "Web", { cluster, taskDefinition, network, serviceName: "web", loadBalancing: { loadBalancer } });
  if (scaling) service.addRequestCountScaling(scaling);
  return service;
}

describe("EcsService", () => {
  test("rolls back failed deployments with the circuit breaker", () => {
    const svc = onlyResource(synthJson((s) => fargateWeb(s)), "aws_ecs_service");
    expect(svc.deployment_circuit_breaker).toEqual({ enable: true, rollback: true });
    expect(svc).toMatchObject({ name: "web", desired_count: 2, launch_type: "FARGATE", health_check_grace_period_seconds: 60 });
  });

  test("registers awsvpc tasks in an ip target group with its own health check, reachable only from the ALB", () => {
    const json = synthJson((s) => fargateWeb(s));
    const svc = onlyResource(json, "aws_ecs_service");
    expect(svc.load_balancer).toEqual([{ container_name: "app", container_port: 8080, target_group_arn: expect.stringMatching(/aws_lb_target_group\.Web_TargetGroup/) }]);
    expect(onlyResource(json, "aws_lb_target_group")).toMatchObject({ target_type: "ip", port: 8080, health_check: expect.objectContaining({ path: "/" }) });
    expect(svc.network_configuration).toMatchObject({ assign_public_ip: true });
    const ingress = Object.values(resourcesOf(json, "aws_vpc_security_group_ingress_rule")).find((r: any) => r.from_port === 8080) as any;
    expect(ingress.referenced_security_group_id).toMatch(/Alb_SecurityGroup/);
  });

  test("places EC2 tasks on the capacity provider and waits for the cluster association", () => {
    const json = synthJson((s) => {
      const cluster = new Cluster(s, "Cluster", { clusterName: "demo" });
      const assoc = cluster.addCapacityProvider("cp-demo", {});
      const taskDefinition = new Ec2TaskDefinition(s, "Task", { image, containerPort: 8080, user: "101" });
      new EcsService(s, "Svc", { cluster, taskDefinition, capacityProvider: { name: "cp-demo", dependsOn: assoc } });
    });
    const svc = onlyResource(json, "aws_ecs_service");
    expect(svc.capacity_provider_strategy).toEqual([{ capacity_provider: "cp-demo", weight: 1, base: 0 }]);
    expect(svc.launch_type).toBeUndefined();
    expect(svc.depends_on).toEqual([expect.stringMatching(/^aws_ecs_cluster_capacity_providers\./)]);
  });

  test("scales on ALBRequestCountPerTarget: min 2, max 8, target 4000, scale-out cooldown 10 s by default", () => {
    const out = synthScope((s) => fargateWeb(s, {}));
    expect(out).toHaveResourceWithProperties(AppautoscalingTarget, {
      service_namespace: "ecs",
      scalable_dimension: "ecs:service:DesiredCount",
      min_capacity: 2,
      max_capacity: 8,
      resource_id: expect.stringMatching(/^service\/\$\{aws_ecs_cluster\..*\.name\}\/\$\{aws_ecs_service\..*\.name\}$/),
    });
    expect(out).toHaveResourceWithProperties(AppautoscalingPolicy, {
      policy_type: "TargetTrackingScaling",
      target_tracking_scaling_policy_configuration: expect.objectContaining({
        target_value: 4000,
        scale_out_cooldown: 10,
        predefined_metric_specification: {
          predefined_metric_type: "ALBRequestCountPerTarget",
          resource_label: expect.stringMatching(/^\$\{aws_lb\..*\.arn_suffix\}\/\$\{aws_lb_target_group\..*\.arn_suffix\}$/),
        },
      }),
    });
    // auto scaling owns desired_count from now on
    expect(onlyResource(JSON.parse(out), "aws_ecs_service").lifecycle.ignore_changes).toEqual(["desired_count"]);
  });

  test("takes typed scaling values", () => {
    const json = synthJson((s) => fargateWeb(s, { minCapacity: 1, maxCapacity: 3, requestsPerTarget: 500, scaleOutCooldownSeconds: 30 }));
    expect(onlyResource(json, "aws_appautoscaling_target")).toMatchObject({ min_capacity: 1, max_capacity: 3 });
    expect(onlyResource(json, "aws_appautoscaling_policy").target_tracking_scaling_policy_configuration).toMatchObject({ target_value: 500, scale_out_cooldown: 30 });
  });

  describe("validation", () => {
    test.each([
      [{ minCapacity: 9, maxCapacity: 8 }, /minCapacity \(9\) must be <= maxCapacity \(8\)/],
      [{ requestsPerTarget: 0 }, /requestsPerTarget \(0\) must be > 0/],
      [{ requestsPerTarget: -5 }, /requestsPerTarget \(-5\) must be > 0/],
      [{ scaleOutCooldownSeconds: -1 }, /scaleOutCooldownSeconds \(-1\)/],
    ])("rejects scaling %j", (scaling, message) => {
      expect(() => synthScope((s) => fargateWeb(s, scaling))).toThrow(message);
    });

    test("request count scaling needs a load balancer", () => {
      expect(() =>
        synthScope((s) => {
          const network = new Network(s, "Net");
          const taskDefinition = new FargateTaskDefinition(s, "Task", { image });
          new EcsService(s, "Svc", { cluster: new Cluster(s, "C"), taskDefinition, network }).addRequestCountScaling();
        }),
      ).toThrow(/needs loadBalancing/);
    });

    test("awsvpc tasks need a network, EC2 tasks a capacity provider, routes a priority", () => {
      expect(() =>
        synthScope((s) => new EcsService(s, "Svc", { cluster: new Cluster(s, "C"), taskDefinition: new FargateTaskDefinition(s, "T", { image }) })),
      ).toThrow(/network is required/);
      expect(() =>
        synthScope((s) => new EcsService(s, "Svc", { cluster: new Cluster(s, "C"), taskDefinition: new Ec2TaskDefinition(s, "T", { image }) })),
      ).toThrow(/capacityProvider is required/);
      expect(() =>
        synthScope((s) => {
          const network = new Network(s, "Net", { availabilityZones: 2 });
          const loadBalancer = new ApplicationLoadBalancer(s, "Alb", { network });
          const taskDefinition = new FargateTaskDefinition(s, "T", { image, containerPort: 80 });
          new EcsService(s, "Svc", { cluster: new Cluster(s, "C"), taskDefinition, network, loadBalancing: { loadBalancer, pathPatterns: ["/x"] } });
        }),
      ).toThrow(/loadBalancing.priority is required/);
    });
  });
});
