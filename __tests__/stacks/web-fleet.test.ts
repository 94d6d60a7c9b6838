import { WebFleetStack } from "../../stacks/web-fleet";
import { WARM_POOL_BLOG_VARIANT } from "../../config/stacks/web-fleet";
import { onlyResource, resourcesOf, synthStack } from "../helpers/synth";
import { testConfig } from "../helpers/config";

function groups(json: any): Record<string, any> {
  const out: Record<string, any> = {};
  for (const g of Object.values(resourcesOf(json, "aws_autoscaling_group")) as any[]) out[g.name] = g;
  return out;
}

describe("web-fleet stack", () => {
  const { json } = synthStack((app) => new WebFleetStack(app, "web-fleet", testConfig()));

  test("keeps state in the S3 bucket under <env>/web-fleet", () => {
    expect(json.terraform?.backend?.s3).toMatchObject({ key: "test/web-fleet.tfstate", encrypt: true, use_lockfile: true });
  });

  test("defaults: two zones, public subnets, no NAT gateway, base + spot groups named after project and environment", () => {
    expect(Object.keys(resourcesOf(json, "aws_subnet"))).toHaveLength(2);
    expect(resourcesOf(json, "aws_nat_gateway")).toEqual({});
    const g = groups(json);
    expect(Object.keys(g).sort()).toEqual(["aws-course-test-web-fleet-base", "aws-course-test-web-fleet-spot"]);
    expect(g["aws-course-test-web-fleet-base"].warm_pool).toMatchObject({ min_size: 1, pool_state: "Stopped" });
    expect(onlyResource(json, "aws_lb").name).toBe("aws-course-test-web-fleet");
  });

  test("outputs the ALB URL", () => {
    expect(json.output?.Url.value).toMatch(/^http:\/\/\$\{aws_lb\..*\.dns_name\}$/);
    expect(json.output?.LoadTestCommand.value).toContain("hey ");
  });

  test("a certificate in the config adds HTTPS and the redirect", () => {
    const arn = "arn:aws:acm:ap-northeast-1:123456789012:certificate/0a1b2c3d-aaaa-bbbb-cccc-0123456789ab";
    const { json: j } = synthStack((app) => new WebFleetStack(app, "web-fleet", testConfig({ stacks: { webFleet: { certificateArn: arn } } })));
    const listeners = Object.values(resourcesOf(j, "aws_lb_listener")) as any[];
    expect(listeners.map((l) => l.protocol).sort()).toEqual(["HTTP", "HTTPS"]);
    expect(j.output?.Url.value).toMatch(/^https:/);
  });

  test("the warm-pool blog variant: private subnets behind one NAT gateway, PyTorch setup, min 1 max 5 desired 1, warm pool 1 Stopped, no Spot", () => {
    // GIVEN the documented variant under stacks.webFleet
    const config = testConfig({ stacks: { webFleet: JSON.parse(JSON.stringify(WARM_POOL_BLOG_VARIANT)) } });
    // WHEN the whole stack synthesizes (policy pack included)
    const { json: j } = synthStack((app) => new WebFleetStack(app, "web-fleet", config));
    // THEN
    expect(Object.keys(resourcesOf(j, "aws_nat_gateway"))).toHaveLength(1);
    const g = groups(j);
    expect(Object.keys(g)).toEqual(["aws-course-test-web-fleet-base"]);
    const base = g["aws-course-test-web-fleet-base"];
    expect(base).toMatchObject({ min_size: 1, max_size: 5, desired_capacity: 1, warm_pool: { min_size: 1, pool_state: "Stopped" } });
    expect(base.initial_lifecycle_hook[0].heartbeat_timeout).toBe(1800);
    expect(base.vpc_zone_identifier.every((id: string) => id.includes("private"))).toBe(true);
    const lt = onlyResource(j, "aws_launch_template");
    expect(lt.network_interfaces).toBeUndefined(); // no public IP
    expect(lt.instance_type).toBe("t3.medium");
    expect(lt.block_device_mappings[0].ebs.volume_size).toBe(16);
    expect(Buffer.from(lt.user_data, "base64").toString()).toContain("export SETUP='pytorch-cpu'");
    // Session Manager instead of SSH; the instance group is reachable from the ALB only
    expect(Object.values(resourcesOf(j, "aws_iam_role_policy_attachment")).map((a: any) => a.policy_arn).join()).toContain("AmazonSSMManagedInstanceCore");
    const ingress = Object.values(resourcesOf(j, "aws_vpc_security_group_ingress_rule")) as any[];
    expect(ingress.filter((r) => r.security_group_id.includes("InstanceSecurityGroup")).every((r) => r.referenced_security_group_id)).toBe(true);
    expect(resourcesOf(j, "aws_lambda_function")).toEqual({});
  });

  test("a warm pool on the Spot group is refused by the config with the AWS restriction", () => {
    expect(() => testConfig({ stacks: { webFleet: { spot: { warmPool: { minSize: 1 } } } } })).toThrow(/"spot",\s*"warmPool"[\s\S]*AWS refuses a warm pool.*PutWarmPool/);
  });

  test("config refuses an empty Spot type list and an unknown allocation strategy", () => {
    expect(() => testConfig({ stacks: { webFleet: { spot: { instanceTypes: [] } } } })).toThrow(/at least one instance type/);
    expect(() => testConfig({ stacks: { webFleet: { spot: { allocationStrategy: "cheapest" } } } })).toThrow(/allocationStrategy/);
    expect(() => testConfig({ stacks: { webFleet: { deregistrationDelaySeconds: 3601 } } })).toThrow(/deregistrationDelaySeconds/);
  });

  test("config refuses min > max, desired outside min..max and a warm pool minSize above maxGroupPreparedCapacity, naming the field", () => {
    expect(() => testConfig({ stacks: { webFleet: { base: { minSize: 3, maxSize: 2, desiredCapacity: 2 } } } })).toThrow(/"base",\s*"minSize"[\s\S]*must be <= stacks.webFleet.base.maxSize \(2\)/);
    expect(() => testConfig({ stacks: { webFleet: { spot: { desiredCapacity: 9 } } } })).toThrow(/"spot",\s*"desiredCapacity"[\s\S]*must be <= stacks.webFleet.spot.maxSize \(5\)/);
    expect(() => testConfig({ stacks: { webFleet: { base: { warmPool: { minSize: 3, maxGroupPreparedCapacity: 2 } } } } })).toThrow(/"warmPool",\s*"minSize"[\s\S]*\(3\) must be <= maxGroupPreparedCapacity \(2\)/);
  });
});
