import { Construct } from "constructs";
import { Testing } from "cdktf";
import { FleetGroup, FleetGroupProps } from "../../../modules/fleet/fleet-group";
import { WebTargetGroup } from "../../../modules/fleet/target-group";
import { PoolState } from "../../../modules/fleet/warm-pool";
import { SubnetType } from "../../../modules/network/network";
import { resourcesOf, synthJson } from "../../helpers/synth";
import { only, testNetwork, testTemplate } from "./fixtures";

function group(s: Construct, props: Partial<FleetGroupProps> & { zones?: number; spotTemplate?: boolean } = {}): FleetGroup {
  const network = testNetwork(s, props.zones ?? 2);
  const { zones: _z, spotTemplate, ...rest } = props;
  return new FleetGroup(s, "Group", {
    network,
    groupName: "fleet-base",
    launchTemplate: testTemplate(s, { spot: spotTemplate, instanceType: rest.mixedInstances ? undefined : "t3.micro" }),
    ...rest,
  });
}

function asg(json: any): any {
  return only(resourcesOf(json, "aws_autoscaling_group"));
}

describe("FleetGroup", () => {
  test("defaults: min 1 / desired 1 / max 5, ELB health checks with grace, warmup, rolling refresh, force delete", () => {
    const json = synthJson((s) => group(s));
    expect(asg(json)).toMatchObject({
      name: "fleet-base",
      min_size: 1,
      desired_capacity: 1,
      max_size: 5,
      health_check_type: "ELB",
      health_check_grace_period: 120,
      default_instance_warmup: 120,
      force_delete: true,
      force_delete_warm_pool: true,
      instance_refresh: { strategy: "Rolling", preferences: { min_healthy_percentage: 50 } },
      launch_template: { id: expect.stringContaining("aws_launch_template."), version: expect.stringContaining(".latest_version") },
      lifecycle: { ignore_changes: ["desired_capacity"] },
    });
    expect(asg(json).vpc_zone_identifier).toHaveLength(2);
  });

  test("registers instances with the target groups and places them in the chosen subnets", () => {
    const json = synthJson((s) => {
      const network = testNetwork(s);
      const tg = new WebTargetGroup(s, "Tg", { network });
      new FleetGroup(s, "Group", {
        network,
        groupName: "g",
        launchTemplate: testTemplate(s),
        targetGroups: [tg],
        subnets: { subnetType: SubnetType.PRIVATE_WITH_EGRESS },
      });
    });
    expect(asg(json).target_group_arns).toEqual([expect.stringMatching(/^\$\{aws_lb_target_group\..*\.arn\}$/)]);
    expect(asg(json).vpc_zone_identifier.every((id: string) => id.includes("private"))).toBe(true);
  });

  test("addWarmPool renders the warm_pool block of aws_autoscaling_group (no separate resource)", () => {
    const json = synthJson((s) => group(s).addWarmPool({ minSize: 1, maxGroupPreparedCapacity: 3 }));
    expect(asg(json).warm_pool).toEqual({ min_size: 1, max_group_prepared_capacity: 3, pool_state: "Stopped", instance_reuse_policy: { reuse_on_scale_in: true } });
  });

  test("addWarmPool refuses a group with a mixed-instances policy, citing the PutWarmPool restriction", () => {
    expect(() => synthJson((s) => group(s, { mixedInstances: {} }).addWarmPool())).toThrow(
      /addWarmPool: AWS refuses a warm pool on an Auto Scaling group that has a mixed instances policy.*PutWarmPool/,
    );
  });

  test("addWarmPool refuses a group whose launch template requests Spot", () => {
    expect(() => synthJson((s) => group(s, { spotTemplate: true }).addWarmPool({ poolState: PoolState.STOPPED }))).toThrow(/PutWarmPool/);
  });

  test("addWarmPool refuses a mixed-instances group even when it is all on-demand", () => {
    expect(() => synthJson((s) => group(s, { mixedInstances: { onDemandPercentageAboveBaseCapacity: 100 } }).addWarmPool())).toThrow(/mixed instances policy/);
  });

  test("addWarmPool twice is refused", () => {
    expect(() => synthJson((s) => group(s).addWarmPool().addWarmPool())).toThrow(/already has a warm pool/);
  });

  test("addLaunchLifecycleHook adds an initial launch hook and lets the instances complete it on this group only", () => {
    const json = synthJson((s) => group(s).addLaunchLifecycleHook({ timeoutSeconds: 900 }));
    expect(asg(json).initial_lifecycle_hook).toEqual([
      { name: "launch", lifecycle_transition: "autoscaling:EC2_INSTANCE_LAUNCHING", heartbeat_timeout: 900, default_result: "ABANDON" },
    ]);
    const policyDocs = Object.values(json.data!.aws_iam_policy_document) as any[];
    const statement = policyDocs.flatMap((d) => d.statement ?? []).find((st: any) => st.sid === "CompleteOwnLaunchHook");
    expect(statement.actions).toEqual(["autoscaling:CompleteLifecycleAction", "autoscaling:RecordLifecycleActionHeartbeat"]);
    expect(statement.resources).toEqual([
      "arn:${data.aws_partition.AwsPartition.partition}:autoscaling:ap-northeast-1:*:autoScalingGroup:*:autoScalingGroupName/fleet-base",
    ]);
    // built from the name: no reference to the group itself (no cycle), and the group waits for the policy
    expect(JSON.stringify(statement)).not.toContain("aws_autoscaling_group");
    expect(asg(json).depends_on).toEqual([expect.stringMatching(/^aws_iam_role_policy\./)]);
  });

  test("the group ARN uses an aws_region data source outside a stack that records its region", () => {
    const network = { vpcId: "vpc-1", cidr: "10.0.0.0/16", availabilityZoneIds: ["a", "b"], selectSubnetIds: () => ["subnet-1", "subnet-2"] };
    const out = Testing.synthScope((s) => {
      new FleetGroup(s, "Group", { network, groupName: "g", launchTemplate: testTemplate(s) }).addLaunchLifecycleHook();
    });
    expect(out).toContain("data.aws_region.Group_Region");
  });

  test.each([
    [{ timeoutSeconds: 29 }, /lifecycleHook.timeoutSeconds \(29\)/],
    [{ name: "bad name" }, /lifecycleHook.name \("bad name"\)/],
    [{ defaultResult: "MAYBE" as never }, /lifecycleHook.defaultResult \("MAYBE"\)/],
  ])("addLaunchLifecycleHook refuses %j", (options, message) => {
    expect(() => synthJson((s) => group(s).addLaunchLifecycleHook(options))).toThrow(message);
  });

  test("addLaunchLifecycleHook needs an instance role", () => {
    expect(() =>
      synthJson((s) => {
        const network = testNetwork(s);
        const { SecureLaunchTemplate } = require("../../../modules/compute/launch-template");
        const { MachineImage } = require("../../../modules/compute/machine-image");
        const lt = new SecureLaunchTemplate(s, "NoRole", { machineImage: MachineImage.latestAmazonLinux2023(), instanceType: "t3.micro" });
        new FleetGroup(s, "Group", { network, groupName: "g", launchTemplate: lt }).addLaunchLifecycleHook();
      }),
    ).toThrow(/no instance role/);
  });

  test("mixed instances: launch template moves into the policy, capacity rebalance on", () => {
    const json = synthJson((s) => group(s, { groupName: "fleet-spot", minSize: 0, desiredCapacity: 1, mixedInstances: {} }));
    const g = asg(json);
    expect(g.launch_template).toBeUndefined();
    expect(g.capacity_rebalance).toBe(true);
    expect(g.mixed_instances_policy.instances_distribution).toMatchObject({ spot_allocation_strategy: "price-capacity-optimized", on_demand_base_capacity: 0 });
    expect(g.mixed_instances_policy.launch_template.override).toHaveLength(9);
  });

  test("scaleOnRequestCount: target tracking on ALBRequestCountPerTarget with the ALB and TG arn suffixes", () => {
    const json = synthJson((s) => {
      const network = testNetwork(s);
      const tg = new WebTargetGroup(s, "Tg", { network });
      const g = new FleetGroup(s, "Group", { network, groupName: "g", launchTemplate: testTemplate(s), targetGroups: [tg] });
      g.scaleOnRequestCount({ loadBalancerArnSuffix: "app/fleet/0123", targetGroup: tg, targetRequestsPerInstance: 500 });
    });
    const policy = only(resourcesOf(json, "aws_autoscaling_policy"));
    expect(policy).toMatchObject({
      policy_type: "TargetTrackingScaling",
      autoscaling_group_name: expect.stringContaining("aws_autoscaling_group."),
      target_tracking_configuration: {
        target_value: 500,
        predefined_metric_specification: {
          predefined_metric_type: "ALBRequestCountPerTarget",
          resource_label: expect.stringMatching(/^app\/fleet\/0123\/\$\{aws_lb_target_group\..*\.arn_suffix\}$/),
        },
      },
    });
  });

  test("scaleOnRequestCount refuses a target below 1 and a second policy", () => {
    const tg = { targetGroupArn: "arn:tg", arnSuffix: "targetgroup/x/1" };
    expect(() =>
      synthJson((s) => group(s).scaleOnRequestCount({ loadBalancerArnSuffix: "app/x/1", targetGroup: tg, targetRequestsPerInstance: 0 })),
    ).toThrow(/targetRequestsPerInstance \(0\)/);
    expect(() =>
      synthJson((s) => {
        const g = group(s);
        g.scaleOnRequestCount({ loadBalancerArnSuffix: "app/x/1", targetGroup: tg });
        g.scaleOnRequestCount({ loadBalancerArnSuffix: "app/x/1", targetGroup: tg });
      }),
    ).toThrow(/already scales on request count/);
  });

  test("warns when a Spot group spans fewer than two zones", () => {
    let warnings: string[] = [];
    synthJson((s) => {
      const g = group(s, { zones: 1, mixedInstances: {}, minSize: 0 });
      warnings = g.node.metadata.filter((m) => /warn/i.test(m.type)).map((m) => String(m.data));
    });
    expect(warnings.join("\n")).toMatch(/Spot group spans 1 availability zone; use at least 2/);
  });

  test("no zone warning for a two-zone Spot group", () => {
    let warnings: string[] = ["unset"];
    synthJson((s) => {
      const g = group(s, { mixedInstances: {}, minSize: 0 });
      warnings = g.node.metadata.filter((m) => /warn/i.test(m.type)).map((m) => String(m.data));
    });
    expect(warnings).toEqual([]);
  });

  test.each([
    [{ minSize: 3, maxSize: 2 }, /minSize \(3\) must be <= maxSize \(2\)/],
    [{ minSize: 2, desiredCapacity: 1 }, /desiredCapacity \(1\) must be >= minSize \(2\)/],
    [{ desiredCapacity: 6 }, /desiredCapacity \(6\) must be <= maxSize \(5\)/],
    [{ minSize: -1 }, /minSize \(-1\)/],
    [{ maxSize: 1.5 }, /maxSize \(1.5\)/],
    [{ healthCheckGracePeriodSeconds: -5 }, /healthCheckGracePeriodSeconds \(-5\)/],
    [{ defaultInstanceWarmupSeconds: 3601 }, /defaultInstanceWarmupSeconds \(3601\)/],
    [{ groupName: "bad name!" }, /groupName \("bad name!"\)/],
    [{ capacityRebalance: true }, /capacityRebalance \(true\) needs mixedInstances/],
    [{ mixedInstances: { instanceTypes: [] } }, /mixedInstances.instanceTypes \(\[\]\) must list at least one instance type/],
  ])("refuses %j", (props, message) => {
    expect(() => synthJson((s) => group(s, props))).toThrow(message);
  });

  test("refuses a launch template without an instance type unless mixedInstances lists types", () => {
    expect(() =>
      synthJson((s) => new FleetGroup(s, "Group", { network: testNetwork(s), groupName: "g", launchTemplate: testTemplate(s, { instanceType: undefined }) })),
    ).toThrow(/launchTemplate .* sets no instance type/);
  });
});
