import { Construct } from "constructs";
import { FleetSetup, WebFleet, WebFleetProps } from "../../../modules/fleet/web-fleet";
import { PoolState } from "../../../modules/fleet/warm-pool";
import { SpotAllocationStrategy } from "../../../modules/fleet/mixed-instances";
import { SubnetType } from "../../../modules/network/network";
import { resourcesOf, synthJson } from "../../helpers/synth";
import { testNetwork } from "./fixtures";

function build(props: Partial<WebFleetProps> = {}, zones = 2) {
  return synthJson((s: Construct) => new WebFleet(s, "Fleet", { network: testNetwork(s, zones), name: "fleet", ...props }));
}

function groups(json: any): Record<string, any> {
  const out: Record<string, any> = {};
  for (const g of Object.values(resourcesOf(json, "aws_autoscaling_group")) as any[]) out[g.name] = g;
  return out;
}

function userData(json: any, role: "base" | "spot"): string {
  const lt = (Object.values(resourcesOf(json, "aws_launch_template")) as any[]).find((l) =>
    Buffer.from(l.user_data, "base64").toString().includes(`GROUP_ROLE='${role}'`),
  );
  return Buffer.from(lt.user_data, "base64").toString();
}

describe("WebFleet", () => {
  const json = build();
  const g = groups(json);

  test("two groups behind one target group: base (on-demand, warm pool) and spot (mixed instances)", () => {
    expect(Object.keys(g).sort()).toEqual(["fleet-base", "fleet-spot"]);
    const tg = Object.keys(resourcesOf(json, "aws_lb_target_group"));
    expect(tg).toHaveLength(1);
    for (const group of Object.values(g)) expect(group.target_group_arns).toEqual([expect.stringContaining(`aws_lb_target_group.${tg[0]}.arn`)]);
    expect(g["fleet-base"]).toMatchObject({ min_size: 1, desired_capacity: 1, max_size: 5, warm_pool: { min_size: 1, pool_state: "Stopped" } });
    expect(g["fleet-base"].mixed_instances_policy).toBeUndefined();
    expect(g["fleet-spot"]).toMatchObject({ min_size: 0, desired_capacity: 1, max_size: 5, capacity_rebalance: true });
    expect(g["fleet-spot"].warm_pool).toBeUndefined();
  });

  test("both groups: ELB health checks, warmup, instance refresh, target tracking on request count", () => {
    for (const group of Object.values(g)) {
      expect(group).toMatchObject({ health_check_type: "ELB", health_check_grace_period: 120, default_instance_warmup: 120 });
      expect(group.instance_refresh.strategy).toBe("Rolling");
    }
    const policies = Object.values(resourcesOf(json, "aws_autoscaling_policy")) as any[];
    expect(policies).toHaveLength(2);
    for (const p of policies) {
      const spec = p.target_tracking_configuration.predefined_metric_specification;
      expect(spec.predefined_metric_type).toBe("ALBRequestCountPerTarget");
      expect(spec.resource_label).toMatch(/^\$\{aws_lb\..*\.arn_suffix\}\/\$\{aws_lb_target_group\..*\.arn_suffix\}$/);
      expect(p.target_tracking_configuration.target_value).toBe(1000);
    }
  });

  test("instances: reachable only from the load balancer's security group on the app port, no SSH, no key pair", () => {
    const ingress = Object.values(resourcesOf(json, "aws_vpc_security_group_ingress_rule")) as any[];
    const toInstances = ingress.filter((r) => r.security_group_id.includes("InstanceSecurityGroup"));
    expect(toInstances).toHaveLength(1);
    expect(toInstances[0]).toMatchObject({ from_port: 8080, to_port: 8080, ip_protocol: "tcp", referenced_security_group_id: expect.stringContaining("LoadBalancer_SecurityGroup") });
    expect(ingress.filter((r) => r.cidr_ipv4 === "0.0.0.0/0").map((r) => r.from_port)).toEqual([80]);
    expect(ingress.some((r) => r.from_port === 22)).toBe(false);
    for (const lt of Object.values(resourcesOf(json, "aws_launch_template")) as any[]) {
      expect(lt.key_name).toBeUndefined();
      expect(lt.iam_instance_profile.arn).toMatch(/aws_iam_instance_profile/);
      expect(lt.metadata_options).toMatchObject({ http_tokens: "required", http_put_response_hop_limit: 1 });
      expect(lt.block_device_mappings[0].ebs).toMatchObject({ encrypted: "true", volume_type: "gp3" });
      expect(lt.image_id).toBe("resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64");
    }
  });

  test("user data: base instances know their group and hook, spot instances have no hook to complete", () => {
    const base = userData(json, "base");
    expect(base).toContain("export ASG_NAME='fleet-base'");
    expect(base).toContain("export LIFECYCLE_HOOK_NAME='launch'");
    expect(base).toContain("export APP_PORT='8080'");
    // heartbeats every third of the 600 s hook timeout while the setup runs
    expect(base).toContain("export HEARTBEAT_SECONDS='200'");
    const spot = userData(json, "spot");
    expect(spot).toContain("export LIFECYCLE_HOOK_NAME=''");
    expect(g["fleet-base"].initial_lifecycle_hook[0].name).toBe("launch");
    expect(g["fleet-spot"].initial_lifecycle_hook).toBeUndefined();
  });

  test("the spot interruption handler acts on the Spot group only: the on-demand base group gets no interruptions", () => {
    const fn = Object.values(resourcesOf(json, "aws_lambda_function"))[0] as any;
    expect(fn.environment.variables.FLEET_GROUP_NAMES).toBe("fleet-spot");
    const writes = (Object.values(json.data?.aws_iam_policy_document ?? {}) as any[])
      .flatMap((d) => (Array.isArray(d.statement) ? d.statement : []))
      .filter((st: any) => st.actions.some((a: string) => ["autoscaling:DetachInstances", "autoscaling:TerminateInstanceInAutoScalingGroup"].includes(a)));
    expect(writes.length).toBeGreaterThan(0);
    for (const st of writes) {
      expect(st.resources).toEqual([expect.stringMatching(/:autoScalingGroup:\*:autoScalingGroupName\/fleet-spot$/)]);
    }
  });

  test("Session Manager (the documented way in) on both groups by default; off: only the base role, for its hook", () => {
    const attachments = (j: any) => Object.values(resourcesOf(j, "aws_iam_role_policy_attachment")).map((a: any) => a.policy_arn);
    expect(attachments(json)).toEqual([expect.stringMatching(/AmazonSSMManagedInstanceCore$/), expect.stringMatching(/AmazonSSMManagedInstanceCore$/)]);
    const off = build({ sessionManager: false });
    expect(attachments(off)).toEqual([]);
    expect(Object.keys(resourcesOf(off, "aws_iam_role")).filter((k) => k.includes("LaunchTemplate"))).toEqual([expect.stringContaining("BaseLaunchTemplate")]);
    const spotLt = (Object.values(resourcesOf(off, "aws_launch_template")) as any[]).find((l) => Buffer.from(l.user_data, "base64").toString().includes("GROUP_ROLE='spot'"));
    expect(spotLt.iam_instance_profile).toBeUndefined();
  });

  test("the heartbeat interval follows the hook timeout (a third of it)", () => {
    const j = build({ base: { lifecycleHook: { timeoutSeconds: 1800 } } });
    expect(userData(j, "base")).toContain("export HEARTBEAT_SECONDS='600'");
    expect(groups(j)["fleet-base"].initial_lifecycle_hook[0].heartbeat_timeout).toBe(1800);
  });

  test("a 'spot' group that is all on-demand gets no interruption handler", () => {
    const j = build({ spot: { onDemandPercentageAboveBaseCapacity: 100 } });
    expect(resourcesOf(j, "aws_lambda_function")).toEqual({});
  });

  test("public instance subnets by default, each instance with a public IP (no NAT gateway)", () => {
    for (const lt of Object.values(resourcesOf(json, "aws_launch_template")) as any[]) {
      expect(lt.network_interfaces[0].associate_public_ip_address).toBe("true");
    }
    expect(g["fleet-base"].vpc_zone_identifier.every((id: string) => id.includes("public"))).toBe(true);
  });

  test("private subnets: no public IP", () => {
    const j = build({ instanceSubnets: { subnetType: SubnetType.PRIVATE_WITH_EGRESS } });
    for (const lt of Object.values(resourcesOf(j, "aws_launch_template")) as any[]) expect(lt.network_interfaces).toBeUndefined();
    expect(Object.values(groups(j))[0].vpc_zone_identifier.every((id: string) => id.includes("private"))).toBe(true);
  });

  test("PyTorch setup: 16 GiB root volume and SETUP=pytorch-cpu in the user data", () => {
    const j = build({ setup: FleetSetup.PYTORCH_CPU, spot: false });
    expect(userData(j, "base")).toContain("export SETUP='pytorch-cpu'");
    expect((Object.values(resourcesOf(j, "aws_launch_template"))[0] as any).block_device_mappings[0].ebs.volume_size).toBe(16);
  });

  test("spot: false leaves one group and no handler", () => {
    const j = build({ spot: false });
    expect(Object.keys(groups(j))).toEqual(["fleet-base"]);
    expect(resourcesOf(j, "aws_lambda_function")).toEqual({});
  });

  test("base warm pool can be turned off; group options pass through", () => {
    const j = build({
      base: { warmPool: false, minSize: 2, desiredCapacity: 3, maxSize: 4, instanceType: "t3.small" },
      spot: { spotAllocationStrategy: SpotAllocationStrategy.CAPACITY_OPTIMIZED, instanceTypes: ["c5.large", "c6i.large"] },
    });
    const gs = groups(j);
    expect(gs["fleet-base"].warm_pool).toBeUndefined();
    expect(gs["fleet-base"]).toMatchObject({ min_size: 2, desired_capacity: 3, max_size: 4 });
    expect(gs["fleet-spot"].mixed_instances_policy.instances_distribution.spot_allocation_strategy).toBe("capacity-optimized");
    expect(gs["fleet-spot"].mixed_instances_policy.launch_template.override).toHaveLength(2);
  });

  test("a warm pool on the Spot group is a synth error that cites the AWS restriction", () => {
    expect(() => build({ spot: { warmPool: { minSize: 1, poolState: PoolState.STOPPED } } })).toThrow(
      /spot.warmPool: AWS refuses a warm pool on an Auto Scaling group that has a mixed instances policy or requests Spot Instances \(PutWarmPool API reference\)/,
    );
  });

  test.each([
    [{ name: "bad_name" }, /name \("bad_name"\)/],
    [{ appPort: 70000 }, /appPort \(70000\)/],
    [{ setup: "conda" as FleetSetup }, /setup \("conda"\)/],
    [{ base: { instanceType: "big" } }, /base.instanceType \("big"\)/],
    [{ base: { minSize: 3, maxSize: 2 } }, /minSize \(3\) must be <= maxSize \(2\)/],
    [{ base: { warmPool: { minSize: 2, maxGroupPreparedCapacity: 1 } } }, /warmPool.minSize \(2\) must be <= warmPool.maxGroupPreparedCapacity \(1\)/],
    [{ spot: { instanceTypes: [] } }, /at least one instance type/],
    [{ deregistrationDelaySeconds: 4000 }, /deregistrationDelaySeconds \(4000\)/],
  ])("refuses %j", (props, message) => {
    expect(() => build(props as Partial<WebFleetProps>)).toThrow(message);
  });
});
