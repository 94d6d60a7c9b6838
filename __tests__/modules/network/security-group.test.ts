import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { Network } from "../../../modules/network/network";
import { SecurityGroup } from "../../../modules/network/security-group";
import { Peer, Port } from "../../../modules/network/peer";
import { resourcesOf, synthJson, synthScope } from "../../helpers/synth";

describe("SecurityGroup", () => {
  test("allowFrom adds one described ingress rule per peer and port", () => {
    const out = synthScope((s) => {
      const network = new Network(s, "Net");
      new SecurityGroup(s, "Ssh", { network, description: "SSH" }).allowFrom(Peer.ipv4("198.51.100.7/32"), Port.tcp(22), "SSH from my desk");
    });
    expect(out).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, {
      cidr_ipv4: "198.51.100.7/32",
      from_port: 22,
      to_port: 22,
      ip_protocol: "tcp",
      description: "SSH from my desk",
    });
  });

  test("allows all outbound by default, and nothing when allowAllOutbound is false", () => {
    const open = synthScope((s) => new SecurityGroup(s, "Sg", { network: new Network(s, "Net"), description: "d" }));
    expect(open).toHaveResourceWithProperties(VpcSecurityGroupEgressRule, { cidr_ipv4: "0.0.0.0/0", ip_protocol: "-1" });
    const closed = synthJson((s) => new SecurityGroup(s, "Sg", { network: new Network(s, "Net"), description: "d", allowAllOutbound: false }));
    expect(resourcesOf(closed, "aws_vpc_security_group_egress_rule")).toEqual({});
  });

  test("a security-group peer becomes a referenced group, not a CIDR", () => {
    const json = synthJson((s) => {
      const network = new Network(s, "Net");
      const alb = new SecurityGroup(s, "Alb", { network, description: "alb" });
      new SecurityGroup(s, "App", { network, description: "app" }).allowFrom(Peer.securityGroup(alb), Port.tcp(8080), "From the ALB");
    });
    const rule = Object.values(resourcesOf(json, "aws_vpc_security_group_ingress_rule"))[0] as any;
    expect(rule.referenced_security_group_id).toMatch(/^\$\{aws_security_group\.Alb_.*\.id\}$/);
    expect(rule.cidr_ipv4).toBeUndefined();
  });

  test("load balancers may face the internet on 80 and 443 only", () => {
    const json = synthJson((s) => {
      const sg = new SecurityGroup(s, "Alb", { network: new Network(s, "Net"), description: "alb" });
      sg.allowFrom(Peer.anyIpv4(), Port.tcp(80), "HTTP").allowFrom(Peer.anyIpv4(), Port.tcp(443), "HTTPS");
    });
    expect(Object.keys(resourcesOf(json, "aws_vpc_security_group_ingress_rule"))).toHaveLength(2);
  });

  describe("validation", () => {
    const attempt = (fn: (sg: SecurityGroup) => void, props: { allowWorldOpenIngress?: boolean } = {}) => () =>
      synthJson((s) => fn(new SecurityGroup(s, "Sg", { network: new Network(s, "Net"), description: "d", ...props })));

    test("world-open SSH is refused without the opt-in, and names the port and rule", () => {
      expect(attempt((sg) => sg.allowFrom(Peer.anyIpv4(), Port.tcp(22), "SSH"))).toThrow(/ingress from 0.0.0.0\/0 on tcp\/22 \("SSH"\).*allowWorldOpenIngress/);
      expect(attempt((sg) => sg.allowFrom(Peer.anyIpv6(), Port.tcp(22), "SSH"))).toThrow(/::\/0/);
      expect(attempt((sg) => sg.allowFrom(Peer.anyIpv4(), Port.tcp(22), "SSH"), { allowWorldOpenIngress: true })).not.toThrow();
    });
    test.each(["0.0.0.0/1", "128.0.0.0/1", "1.0.0.0/8"])("SSH from the public range %s is world-open too", (cidr) => {
      expect(attempt((sg) => sg.allowFrom(Peer.ipv4(cidr), Port.tcp(22), "SSH"))).toThrow(new RegExp(`ingress from ${cidr.replace(/[./]/g, "\\$&")} on tcp/22 .*public IPv4 range wider than /16`));
      expect(attempt((sg) => sg.allowFrom(Peer.ipv4(cidr), Port.tcp(443), "HTTPS"))).not.toThrow();
    });
    test.each(["::/0", "2000::/3"])("SSH from the IPv6 range %s is world-open", (cidr) => {
      expect(attempt((sg) => sg.allowFrom(Peer.ipv6(cidr), Port.tcp(22), "SSH"))).toThrow(/allowWorldOpenIngress/);
    });
    test.each(["203.0.113.10/32", "198.51.100.0/24", "10.0.0.0/8"])("SSH from %s is accepted without the opt-in", (cidr) => {
      expect(attempt((sg) => sg.allowFrom(Peer.ipv4(cidr), Port.tcp(22), "SSH"))).not.toThrow();
    });
    test.each([
      ["empty description", (sg: SecurityGroup) => sg.allowFrom(Peer.ipv4("10.0.0.0/8"), Port.tcp(22), " "), /description must not be empty/],
      ["odd characters", (sg: SecurityGroup) => sg.allowFrom(Peer.ipv4("10.0.0.0/8"), Port.tcp(22), "ssh <3"), /characters AWS refuses/],
      ["duplicate rule", (sg: SecurityGroup) => sg.allowFrom(Peer.ipv4("10.0.0.0/8"), Port.tcp(22), "a").allowFrom(Peer.ipv4("10.0.0.0/8"), Port.tcp(22), "b"), /already defined/],
      ["bad peer CIDR", (sg: SecurityGroup) => sg.allowFrom(Peer.ipv4("10.0.0.0/40"), Port.tcp(22), "a"), /peer \("10.0.0.0\/40"\)/],
      ["port out of range", (sg: SecurityGroup) => sg.allowFrom(Peer.ipv4("10.0.0.0/8"), Port.tcp(70000), "a"), /port \(70000\)/],
      ["reversed range", (sg: SecurityGroup) => sg.allowFrom(Peer.ipv4("10.0.0.0/8"), Port.tcpRange(90, 80), "a"), /reversed/],
    ])("%s fails", (_name, fn, message) => {
      expect(attempt(fn)).toThrow(message);
    });
    test("a group needs a description", () => {
      expect(() => synthJson((s) => new SecurityGroup(s, "Sg", { network: new Network(s, "Net"), description: "" }))).toThrow(/description must not be empty/);
    });
  });

  test("rule ids name the direction, port and IP family, not the CIDR; a second CIDR on one port needs a name", () => {
    const json = JSON.parse(
      synthScope((s) => {
        const sg = new SecurityGroup(s, "Sg", { network: new Network(s, "Net"), description: "d" });
        sg.allowFrom(Peer.ipv4("203.0.113.0/24"), Port.tcp(22), "office").allowFrom(Peer.ipv4("198.51.100.0/24"), Port.tcp(22), "home", { name: "home" });
      }),
    );
    const ids = Object.keys(json.resource.aws_vpc_security_group_ingress_rule).sort();
    expect(ids).toEqual([expect.stringMatching(/^Sg_Ingress_tcp-22_home_/), expect.stringMatching(/^Sg_Ingress_tcp-22_ipv4_/)]);
    expect(json.moved.map((m: { from: string }) => m.from)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^aws_vpc_security_group_ingress_rule\.Sg_In-203_0_113_0_24-tcp_22_/)]),
    );
    expect(() =>
      synthScope((s) => new SecurityGroup(s, "Sg", { network: new Network(s, "Net"), description: "d" }).allowFrom(Peer.ipv4("10.0.0.0/8"), Port.tcp(22), "a").allowFrom(Peer.ipv4("10.1.0.0/16"), Port.tcp(22), "b")),
    ).toThrow(/needs options.name/);
  });
});
