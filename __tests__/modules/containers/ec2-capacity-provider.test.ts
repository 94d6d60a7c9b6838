import { Construct } from "constructs";
import { EcsCapacityProvider } from "@cdktf/provider-aws/lib/ecs-capacity-provider";
import { Network } from "../../../modules/network/network";
import { Cluster } from "../../../modules/containers/cluster";
import { Ec2CapacityProvider, Ec2CapacityProviderProps } from "../../../modules/containers/ec2-capacity-provider";
import { onlyResource, resourcesOf, synthJson, synthScope } from "../../helpers/synth";

const build = (props: Partial<Ec2CapacityProviderProps> = {}) => (s: Construct) =>
  new Ec2CapacityProvider(s, "Capacity", { cluster: new Cluster(s, "Cluster", { clusterName: "demo" }), network: new Network(s, "Net", { availabilityZones: 2 }), ...props });

describe("Ec2CapacityProvider", () => {
  const json = synthJson(build());

  test("an Auto Scaling group of 2 to 4 instances in the public subnets", () => {
    const asg = onlyResource(json, "aws_autoscaling_group");
    expect(asg).toMatchObject({ min_size: 2, max_size: 4, protect_from_scale_in: false, force_delete: true });
    expect(asg.vpc_zone_identifier).toHaveLength(2);
    expect(asg.lifecycle.ignore_changes).toEqual(["desired_capacity"]);
    expect(asg.tag).toEqual(expect.arrayContaining([{ key: "AmazonECSManaged", value: "true", propagate_at_launch: true }]));
  });

  test("launches the ECS-optimized AL2023 AMI from SSM with IMDSv2 and an encrypted root volume", () => {
    const lt = onlyResource(json, "aws_launch_template");
    expect(lt.image_id).toBe("resolve:ssm:/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id");
    expect(lt.metadata_options).toMatchObject({ http_tokens: "required", http_put_response_hop_limit: 1 });
    expect(lt.block_device_mappings[0].ebs).toMatchObject({ encrypted: "true", volume_size: 30, volume_type: "gp3" });
    expect(lt.instance_type).toBe("t3.small");
    expect(lt.network_interfaces[0].associate_public_ip_address).toBe("true");
  });

  test("joins the cluster through ECS_CLUSTER in /etc/ecs/ecs.config", () => {
    const userData: string = onlyResource(json, "aws_launch_template").user_data;
    const decoded = [...userData.matchAll(/base64decode\("([^"]+)"\)/g)].map((m) => Buffer.from(m[1], "base64").toString()).join("|");
    expect(decoded).toContain("export ECS_CLUSTER=");
    expect(decoded).toContain('echo "ECS_CLUSTER=${ECS_CLUSTER}" >> /etc/ecs/ecs.config');
    expect(userData).toContain("aws_ecs_cluster.Cluster");
  });

  test("the instance role has the ECS container instance policy only (no Session Manager unless asked for)", () => {
    const arns = Object.values(resourcesOf(json, "aws_iam_role_policy_attachment")).map((a: any) => a.policy_arn);
    expect(arns).toEqual([expect.stringMatching(/policy\/service-role\/AmazonEC2ContainerServiceforEC2Role$/)]);
    const withSsm = synthJson(build({ sessionManager: true }));
    expect(Object.values(resourcesOf(withSsm, "aws_iam_role_policy_attachment")).map((a: any) => a.policy_arn).sort()).toEqual([
      expect.stringMatching(/AmazonSSMManagedInstanceCore$/),
      expect.stringMatching(/policy\/service-role\/AmazonEC2ContainerServiceforEC2Role$/),
    ]);
  });

  test("managed scaling at 100% target, managed termination protection disabled", () => {
    expect(synthScope(build())).toHaveResourceWithProperties(EcsCapacityProvider, {
      auto_scaling_group_provider: expect.objectContaining({
        managed_termination_protection: "DISABLED",
        managed_scaling: expect.objectContaining({ status: "ENABLED", target_capacity: 100 }),
      }),
    });
  });

  test("is the cluster's default capacity provider strategy", () => {
    const assoc = onlyResource(json, "aws_ecs_cluster_capacity_providers");
    expect(assoc.default_capacity_provider_strategy).toEqual([{ capacity_provider: expect.stringMatching(/aws_ecs_capacity_provider/), weight: 1, base: 0 }]);
  });

  describe("validation", () => {
    test.each([
      [{ minSize: 5, maxSize: 4 }, /minSize \(5\) must be <= maxSize \(4\)/],
      [{ targetCapacityPercent: 0 }, /targetCapacityPercent \(0\)/],
      [{ name: "ecs-reserved" }, /name \("ecs-reserved"\)/],
      [{ instanceType: "big" }, /instanceType \("big"\)/],
    ])("rejects %j", (props, message) => {
      expect(() => synthScope(build(props))).toThrow(message);
    });
  });
});
