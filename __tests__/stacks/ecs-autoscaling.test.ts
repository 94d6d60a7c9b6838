import { EcsAutoscalingStack } from "../../stacks/ecs-autoscaling";
import { onlyResource, resourcesOf, synthStack } from "../helpers/synth";
import { testConfig } from "../helpers/config";

describe("ecs-autoscaling stack", () => {
  const { json } = synthStack((app) => new EcsAutoscalingStack(app, "ecs-autoscaling", testConfig()));
  const services = Object.values(resourcesOf(json, "aws_ecs_service")) as any[];
  const byName = (n: string) => services.find((s) => s.name === n);

  test("two public subnets for the ALB and no NAT gateway", () => {
    expect(Object.keys(resourcesOf(json, "aws_subnet"))).toHaveLength(2);
    expect(resourcesOf(json, "aws_nat_gateway")).toEqual({});
  });

  test("the cluster's default strategy is the EC2 capacity provider: ASG 2..4, target 100%, termination protection off", () => {
    expect(onlyResource(json, "aws_autoscaling_group")).toMatchObject({ min_size: 2, max_size: 4 });
    const cp = onlyResource(json, "aws_ecs_capacity_provider");
    expect(cp.name).toBe("capacity-aws-course-test-ecs-autoscaling");
    expect(cp.auto_scaling_group_provider).toMatchObject({ managed_termination_protection: "DISABLED", managed_scaling: { target_capacity: 100 } });
    expect(onlyResource(json, "aws_ecs_cluster_capacity_providers").default_capacity_provider_strategy).toHaveLength(1);
  });

  test("web on /, cats on /cats*, dogs on /dogs*: each its own target group and health check, circuit breaker on", () => {
    expect(services.map((s) => s.name).sort()).toEqual(["cats", "dogs", "web"]);
    expect(Object.keys(resourcesOf(json, "aws_lb_target_group"))).toHaveLength(3);
    for (const tg of Object.values(resourcesOf(json, "aws_lb_target_group")) as any[]) {
      expect(tg).toMatchObject({ target_type: "instance", health_check: expect.objectContaining({ path: "/", enabled: true }) });
    }
    for (const s of services) expect(s.deployment_circuit_breaker).toEqual({ enable: true, rollback: true });
    const rules = Object.values(resourcesOf(json, "aws_lb_listener_rule")) as any[];
    expect(rules.map((r) => r.condition[0].path_pattern.values[0]).sort()).toEqual(["/cats*", "/dogs*"]);
    expect(onlyResource(json, "aws_lb_listener").default_action[0].target_group_arn).toBe(byName("web").load_balancer[0].target_group_arn);
  });

  test("tasks run the public sample image as non-root in bridge mode with a read-only root", () => {
    for (const td of Object.values(resourcesOf(json, "aws_ecs_task_definition")) as any[]) {
      const c = JSON.parse(td.container_definitions)[0];
      expect(td.network_mode).toBe("bridge");
      expect(c).toMatchObject({ image: "public.ecr.aws/nginx/nginx-unprivileged:stable-alpine", user: "101", readonlyRootFilesystem: true });
    }
  });

  test("the ALB reaches instances only on the ephemeral host ports", () => {
    const ingress = (Object.values(resourcesOf(json, "aws_vpc_security_group_ingress_rule")) as any[]).filter((r) => r.referenced_security_group_id);
    expect(ingress).toEqual([expect.objectContaining({ from_port: 32768, to_port: 65535, ip_protocol: "tcp" })]);
  });

  test("web scales 2..8 on 4000 requests per target with a 10 s scale-out cooldown", () => {
    expect(onlyResource(json, "aws_appautoscaling_target")).toMatchObject({ min_capacity: 2, max_capacity: 8 });
    expect(onlyResource(json, "aws_appautoscaling_target").resource_id).toMatch(/\/\$\{aws_ecs_service\.WebService.*\.name\}$/);
    expect(onlyResource(json, "aws_appautoscaling_policy").target_tracking_scaling_policy_configuration).toMatchObject({
      target_value: 4000,
      scale_out_cooldown: 10,
    });
  });

  test("images and scaling come from stacks.ecsAutoscaling", () => {
    const config = testConfig({
      stacks: { ecsAutoscaling: { images: { cats: "public.ecr.aws/example/cats:1" }, webScaling: { maxTasks: 4, requestsPerTarget: 100 } } },
    });
    const { json: j } = synthStack((app) => new EcsAutoscalingStack(app, "ecs-autoscaling", config));
    const cats = (Object.values(resourcesOf(j, "aws_ecs_task_definition")) as any[]).find((t) => t.family.endsWith("-cats"));
    expect(JSON.parse(cats.container_definitions)[0].image).toBe("public.ecr.aws/example/cats:1");
    expect(onlyResource(j, "aws_appautoscaling_target").max_capacity).toBe(4);
  });

  test("bad scaling settings are refused by the config naming both keys", () => {
    expect(() => testConfig({ stacks: { ecsAutoscaling: { webScaling: { minTasks: 9 } } } })).toThrow(/"minTasks"[\s\S]*must be <= stacks.ecsAutoscaling.webScaling.maxTasks \(8\)/);
    expect(() => testConfig({ stacks: { ecsAutoscaling: { minInstances: 5 } } })).toThrow(/"minInstances"[\s\S]*must be <= stacks.ecsAutoscaling.maxInstances \(4\)/);
  });

  test("the config refuses a request target <= 0 and unknown keys", () => {
    expect(() => testConfig({ stacks: { ecsAutoscaling: { webScaling: { requestsPerTarget: 0 } } } })).toThrow(/requestsPerTarget/);
    expect(() => testConfig({ stacks: { ecsAutoscaling: { webScalling: {} } } })).toThrow(/webScalling/);
  });

  test("outputs the URL and a load test command", () => {
    expect(json.output?.LoadBalancerUrl.value).toMatch(/^http:\/\/\$\{aws_lb\..*\.dns_name\}$/);
    expect(json.output?.LoadTestCommand.value).toMatch(/^hey -z 5m -c 100 http:\/\//);
  });
});
