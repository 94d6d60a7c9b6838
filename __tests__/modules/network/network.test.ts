import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { Network, SubnetType } from "../../../modules/network/network";
import { onlyResource, resourcesOf, synthJson, synthScope } from "../../helpers/synth";

describe("Network", () => {
  test("builds the course network: one public /24 in one zone, no NAT gateway", () => {
    // GIVEN the course's VPC settings / WHEN synthesized
    const out = synthScope((s) => new Network(s, "Net", { cidr: "10.10.0.0/23" }));
    const json = JSON.parse(out);

    // THEN
    expect(out).toHaveResourceWithProperties(Vpc, { cidr_block: "10.10.0.0/23", enable_dns_hostnames: true });
    expect(onlyResource(json, "aws_subnet")).toMatchObject({
      cidr_block: "10.10.0.0/24",
      availability_zone_id: "apne1-az1",
      map_public_ip_on_launch: false,
    });
    expect(resourcesOf(json, "aws_nat_gateway")).toEqual({});
    expect(Object.keys(resourcesOf(json, "aws_internet_gateway"))).toHaveLength(1);
  });

  test("locks down the default security group (no rules at all)", () => {
    const json = synthJson((s) => new Network(s, "Net"));
    const sg = onlyResource(json, "aws_default_security_group");
    expect(sg.ingress).toBeUndefined();
    expect(sg.egress).toBeUndefined();
    expect(synthScope((s) => new Network(s, "Net"))).toHaveResource(DefaultSecurityGroup);
  });

  test("spreads tiers over zones with aligned, non-overlapping blocks", () => {
    const json = synthJson(
      (s) =>
        new Network(s, "Net", {
          cidr: "10.0.0.0/16",
          availabilityZones: 2,
          natGateways: 1,
          subnets: [
            { name: "public", type: SubnetType.PUBLIC, cidrMask: 24 },
            { name: "app", type: SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
          ],
        }),
    );
    const cidrs = Object.values(resourcesOf(json, "aws_subnet")).map((s: any) => `${s.tags.Tier}:${s.cidr_block}:${s.availability_zone_id}`);
    expect(cidrs.sort()).toEqual(
      ["public:10.0.0.0/24:apne1-az1", "public:10.0.1.0/24:apne1-az4", "app:10.0.16.0/20:apne1-az1", "app:10.0.32.0/20:apne1-az4"].sort(),
    );
    // one NAT gateway shared by both private route tables
    expect(Object.keys(resourcesOf(json, "aws_nat_gateway"))).toHaveLength(1);
    const natRoutes = Object.values(resourcesOf(json, "aws_route")).filter((r: any) => r.nat_gateway_id);
    expect(natRoutes).toHaveLength(2);
  });

  test("uses explicit zone ids so plans need no zone lookup", () => {
    const json = synthJson((s) => new Network(s, "Net", { availabilityZoneIds: ["use1-az4", "use1-az6"] }));
    expect(Object.values(resourcesOf(json, "aws_subnet")).map((s: any) => s.availability_zone_id)).toEqual(["use1-az4", "use1-az6"]);
    expect(json.data?.aws_availability_zones).toBeUndefined();
  });

  test("writes REJECT flow logs to a log group with retention when asked", () => {
    const out = synthScope((s) => new Network(s, "Net", { flowLogs: { retentionDays: 30 } }));
    expect(out).toHaveResourceWithProperties(FlowLog, { traffic_type: "REJECT", log_destination_type: "cloud-watch-logs" });
    expect(out).toHaveResourceWithProperties(CloudwatchLogGroup, { retention_in_days: 30 });
  });

  test("selectSubnetIds returns one subnet per zone of the tier, and names the tiers when none match", () => {
    synthJson((s) => {
      const net = new Network(s, "Net", { availabilityZones: 3 });
      expect(net.selectSubnetIds({ subnetType: SubnetType.PUBLIC })).toHaveLength(3);
      expect(() => net.selectSubnetIds({ subnetType: SubnetType.PRIVATE_ISOLATED })).toThrow(/tiers are public \(public\)/);
    });
  });

  describe("validation", () => {
    const build = (props: ConstructorParameters<typeof Network>[2]) => () => synthJson((s) => new Network(s, "Net", props));
    test.each([
      [{ cidr: "10.10.0.0/33" }, /cidr \("10.10.0.0\/33"\)/],
      [{ cidr: "10.10.1.0/23" }, /host bits set/],
      [{ cidr: "not-a-cidr" }, /cidr \("not-a-cidr"\) is not an IPv4 CIDR/],
      [{ cidr: "10.0.0.0/8" }, /between \/16 and \/28/],
      [{ availabilityZones: 0 }, /availabilityZones \(0\) must be a whole number >= 1/],
      [{ availabilityZones: 4 }, /exceeds the 3 zones known for ap-northeast-1/],
      [{ availabilityZones: 1, natGateways: 2 }, /natGateways \(2\) must be <= the number of availability zones \(1\)/],
      [{ natGateways: -1 }, /natGateways \(-1\)/],
      [{ availabilityZoneIds: ["ap-northeast-1a"] }, /is not a zone id like apne1-az1/],
      [{ subnets: [{ name: "app", type: SubnetType.PRIVATE_WITH_EGRESS }] }, /needs natGateways >= 1/],
      [{ subnets: [{ name: "a", type: SubnetType.PUBLIC, cidrMask: 30 }] }, /cidrMask \(30\) must be between 16 and 28/],
      [{ cidr: "10.0.0.0/24", availabilityZones: 2 }, /do not fit in 10.0.0.0\/24/],
      [{ flowLogs: { retentionDays: 10 } }, /flowLogs.retentionDays \(10\)/],
    ])("%j fails with %s", (props, message) => {
      expect(build(props as never)).toThrow(message);
    });
  });
});

