import { WebLoadBalancer } from "../../../modules/fleet/web-load-balancer";
import { DEFAULT_SSL_POLICY } from "../../../modules/loadbalancing/application-load-balancer";
import { WebTargetGroup } from "../../../modules/fleet/target-group";
import { onlyResource, resourcesOf, synthJson } from "../../helpers/synth";
import { testNetwork } from "./fixtures";
import { Construct } from "constructs";
import type { WebLoadBalancerProps } from "../../../modules/fleet/web-load-balancer";

function build(s: Construct, props: Partial<WebLoadBalancerProps> = {}, zones = 2): WebLoadBalancer {
  const network = testNetwork(s, zones);
  const targetGroup = new WebTargetGroup(s, "Tg", { network });
  return new WebLoadBalancer(s, "Alb", { network, targetGroup, name: "fleet", ...props });
}

describe("WebLoadBalancer", () => {
  test("internet-facing ALB that drops invalid header fields, no deletion protection by default", () => {
    const json = synthJson((s) => build(s));
    expect(onlyResource(json, "aws_lb")).toMatchObject({
      name: "fleet",
      internal: false,
      load_balancer_type: "application",
      drop_invalid_header_fields: true,
      enable_deletion_protection: false,
    });
  });

  test("without a certificate: one HTTP listener forwarding to the target group, only port 80 open", () => {
    const json = synthJson((s) => build(s));
    const listener = onlyResource(json, "aws_lb_listener");
    expect(listener).toMatchObject({ port: 80, protocol: "HTTP" });
    expect(listener.default_action[0]).toMatchObject({ type: "forward", target_group_arn: expect.stringContaining("aws_lb_target_group.") });
    const ingress = Object.values(resourcesOf(json, "aws_vpc_security_group_ingress_rule"));
    expect(ingress.map((r: any) => [r.cidr_ipv4, r.from_port])).toEqual([["0.0.0.0/0", 80]]);
  });

  test("with a certificate: HTTPS on 443 with the TLS 1.3/1.2 policy, port 80 redirects to HTTPS", () => {
    const arn = "arn:aws:acm:ap-northeast-1:123456789012:certificate/abc-123";
    const json = synthJson((s) => build(s, { certificateArn: arn }));
    const listeners = Object.values(resourcesOf(json, "aws_lb_listener")) as any[];
    const https = listeners.find((l) => l.port === 443);
    const http = listeners.find((l) => l.port === 80);
    expect(https).toMatchObject({ protocol: "HTTPS", ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06", certificate_arn: arn });
    expect(DEFAULT_SSL_POLICY).toBe("ELBSecurityPolicy-TLS13-1-2-2021-06");
    expect(http.default_action).toEqual([{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", status_code: "HTTP_301" } }]);
    const ports = Object.values(resourcesOf(json, "aws_vpc_security_group_ingress_rule")).map((r: any) => r.from_port).sort();
    expect(ports).toEqual([443, 80]);
  });

  test("deletion protection is a prop", () => {
    const json = synthJson((s) => build(s, { deletionProtection: true }));
    expect(onlyResource(json, "aws_lb").enable_deletion_protection).toBe(true);
  });

  test("its security group sends traffic nowhere but where it is connected", () => {
    const json = synthJson((s) => build(s));
    expect(resourcesOf(json, "aws_vpc_security_group_egress_rule")).toEqual({});
  });

  test.each([
    [{ name: "-bad" }, /name \("-bad"\)/],
    [{ name: "a".repeat(33) }, /name \("a{33}"\)/],
    [{ idleTimeoutSeconds: 0 }, /idleTimeoutSeconds \(0\)/],
    [{ certificateArn: "my-cert" }, /certificateArn \("my-cert"\)/],
  ])("refuses %j", (props, message) => {
    expect(() => synthJson((s) => build(s, props))).toThrow(message);
  });

  test("refuses a single zone: an ALB needs two", () => {
    expect(() => synthJson((s) => build(s, {}, 1))).toThrow(/subnets \(1 subnet\) must span at least two availability zones/);
  });
});
