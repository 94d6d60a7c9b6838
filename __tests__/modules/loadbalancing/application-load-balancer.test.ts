import { Lb } from "@cdktf/provider-aws/lib/lb";
import { Construct } from "constructs";
import { Network, SubnetType } from "../../../modules/network/network";
import { ApplicationLoadBalancer, elbLogDeliveryPrincipal } from "../../../modules/loadbalancing/application-load-balancer";
import { onlyResource, resourcesOf, synthJson, synthScope } from "../../helpers/synth";

const twoZones = (s: Construct) => new Network(s, "Net", { availabilityZones: 2 });

describe("ApplicationLoadBalancer", () => {
  test("is internet-facing, drops invalid headers, and only takes HTTP from the internet", () => {
    const out = synthScope((s) => new ApplicationLoadBalancer(s, "Alb", { network: twoZones(s), name: "web" }));
    expect(out).toHaveResourceWithProperties(Lb, { name: "web", internal: false, load_balancer_type: "application", drop_invalid_header_fields: true });
    const json = JSON.parse(out);
    const ingress = onlyResource(json, "aws_vpc_security_group_ingress_rule");
    expect(ingress).toMatchObject({ cidr_ipv4: "0.0.0.0/0", from_port: 80, to_port: 80, ip_protocol: "tcp" });
    // no outbound rule until something is connected
    expect(resourcesOf(json, "aws_vpc_security_group_egress_rule")).toEqual({});
  });

  test("answers 404 when no default target group is set, forwards once one is", () => {
    const fixed = onlyResource(synthJson((s) => new ApplicationLoadBalancer(s, "Alb", { network: twoZones(s) })), "aws_lb_listener");
    expect(fixed.default_action[0]).toMatchObject({ type: "fixed-response" });
    const json = synthJson((s) => {
      const alb = new ApplicationLoadBalancer(s, "Alb", { network: twoZones(s) });
      const tg = alb.addTargetGroup(s, "Web", { port: 8080, targetType: "instance", healthCheck: { path: "/health" } });
      alb.setDefaultTargetGroup(tg);
      alb.addRoute(s, "CatsRoute", alb.addTargetGroup(s, "Cats", { port: 8080, targetType: "ip" }), { pathPatterns: ["/cats*"], priority: 10 });
    });
    expect(onlyResource(json, "aws_lb_listener").default_action[0]).toMatchObject({ type: "forward" });
    expect(resourcesOf(json, "aws_lb_target_group").Web).toMatchObject({
      target_type: "instance",
      health_check: { path: "/health", matcher: "200-399", port: "traffic-port" },
      deregistration_delay: "30",
    });
    expect(onlyResource(json, "aws_lb_listener_rule")).toMatchObject({ priority: 10, condition: [{ path_pattern: { values: ["/cats*"] } }] });
  });

  test("with a certificate: HTTPS on 443 (TLS 1.2+), port 80 only redirects", () => {
    const json = synthJson((s) => new ApplicationLoadBalancer(s, "Alb", { network: twoZones(s), certificateArn: "arn:aws:acm:ap-northeast-1:123456789012:certificate/abc" }));
    const listeners = Object.values(resourcesOf(json, "aws_lb_listener")) as any[];
    const https = listeners.find((l) => l.port === 443);
    const http = listeners.find((l) => l.port === 80);
    expect(https).toMatchObject({ protocol: "HTTPS", ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06" });
    expect(http.default_action).toEqual([{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", status_code: "HTTP_301" } }]);
    const ports = (Object.values(resourcesOf(json, "aws_vpc_security_group_ingress_rule")) as any[]).map((r) => r.from_port).sort();
    expect(ports).toEqual([443, 80]);
  });

  describe("validation", () => {
    test("an ALB needs two zones", () => {
      expect(() => synthScope((s) => new ApplicationLoadBalancer(s, "Alb", { network: new Network(s, "Net") }))).toThrow(/subnets \(1 subnet\)/);
    });
    test("names, priorities and paths", () => {
      expect(() => synthScope((s) => new ApplicationLoadBalancer(s, "Alb", { network: twoZones(s), name: "x".repeat(33) }))).toThrow(/name \("x{33}"\)/);
      expect(() =>
        synthScope((s) => {
          const alb = new ApplicationLoadBalancer(s, "Alb", { network: twoZones(s) });
          const tg = alb.addTargetGroup(s, "T", { port: 80, targetType: "ip" });
          alb.addRoute(s, "A", tg, { pathPatterns: ["/a"], priority: 5 });
          alb.addRoute(s, "B", tg, { pathPatterns: ["/b"], priority: 5 });
        }),
      ).toThrow(/priority \(5\) is already used/);
      expect(() =>
        synthScope((s) => {
          const alb = new ApplicationLoadBalancer(s, "Alb", { network: twoZones(s) });
          alb.addTargetGroup(s, "T", { port: 80, targetType: "ip", healthCheck: { path: "health" } });
        }),
      ).toThrow(/healthCheck.path \("health"\)/);
    });
    test("refuses private-only networks by default (no public subnets)", () => {
      expect(() =>
        synthScope(
          (s) =>
            new ApplicationLoadBalancer(s, "Alb", {
              network: new Network(s, "Net", { availabilityZones: 2, subnets: [{ name: "iso", type: SubnetType.PRIVATE_ISOLATED }] }),
            }),
        ),
      ).toThrow(/no subnets match/);
    });
  });

  test("forwards to a default target group given as a prop, and can refuse destroy", () => {
    const json = synthJson((s) => {
      const alb = new ApplicationLoadBalancer(s, "Alb", { network: twoZones(s), defaultTargetGroupArn: "arn:aws:elasticloadbalancing:ap-northeast-1:111111111111:targetgroup/web/1", deletionProtection: true });
      expect(alb.url).toMatch(/^http:\/\//);
      expect(() => alb.setDefaultTargetGroup({ targetGroupArn: "arn:x" })).toThrow(/default target group is already set/);
    });
    expect(onlyResource(json, "aws_lb_listener").default_action).toEqual([
      { type: "forward", target_group_arn: "arn:aws:elasticloadbalancing:ap-northeast-1:111111111111:targetgroup/web/1" },
    ]);
    expect(onlyResource(json, "aws_lb").enable_deletion_protection).toBe(true);
  });

  test("a certificate that is not an ACM or IAM ARN is refused, naming it", () => {
    expect(() => synthScope((s) => new ApplicationLoadBalancer(s, "Alb", { network: twoZones(s), certificateArn: "my-cert" }))).toThrow(
      /certificateArn \("my-cert"\) must be an ACM or IAM certificate ARN/,
    );
  });
});

describe("ApplicationLoadBalancer access logs (issue 15)", () => {
  test("logs to its own bucket: SSE-S3, private, TLS-only, the region's ELB account may put objects, expired after 7 days, force_destroy", () => {
    // GIVEN the default load balancer (ap-northeast-1 test context) WHEN synthesized
    const json = synthJson((s) => new ApplicationLoadBalancer(s, "Alb", { network: twoZones(s) }));
    // THEN access logs point at a bucket of the construct
    const lb = onlyResource(json, "aws_lb");
    expect(lb.access_logs).toEqual({ enabled: true, bucket: expect.stringMatching(/^\$\{aws_s3_bucket\..*\.bucket\}$/), prefix: "alb" });
    expect(lb.depends_on).toEqual([expect.stringMatching(/^aws_s3_bucket_policy\./)]);
    const bucket = onlyResource(json, "aws_s3_bucket");
    expect(bucket.force_destroy).toBe(true);
    expect(bucket.bucket_prefix.length).toBeLessThanOrEqual(37);
    expect(bucket.bucket_prefix).toBe(bucket.bucket_prefix.toLowerCase());
    expect(onlyResource(json, "aws_s3_bucket_lifecycle_configuration").rule[0].expiration).toEqual([{ days: 7 }]);
    expect(onlyResource(json, "aws_s3_bucket_server_side_encryption_configuration").rule[0].apply_server_side_encryption_by_default.sse_algorithm).toBe("AES256");
    const doc = Object.entries(json.data!.aws_iam_policy_document).find(([k]) => k.includes("AccessLogs"))![1] as any;
    const principals = doc.statement.flatMap((st: any) => st.principals ?? []);
    expect(principals).toEqual(expect.arrayContaining([{ type: "AWS", identifiers: [elbLogDeliveryPrincipal("ap-northeast-1").identifier] }]));
    expect(doc.statement.map((st: any) => st.sid)).toEqual(["ElbLogDelivery", "DenyInsecureTransport"]);
  });

  test("uses the log-delivery service principal in regions without an ELB account, and can be turned off", () => {
    expect(elbLogDeliveryPrincipal("ap-northeast-1")).toEqual({ type: "AWS", identifier: "arn:aws:iam::582318560864:root" });
    expect(elbLogDeliveryPrincipal("ap-southeast-5")).toEqual({ type: "Service", identifier: "logdelivery.elasticloadbalancing.amazonaws.com" });
    const off = synthJson((s) => new ApplicationLoadBalancer(s, "Alb", { network: twoZones(s), accessLogs: false }));
    expect(resourcesOf(off, "aws_s3_bucket")).toEqual({});
    expect(onlyResource(off, "aws_lb").access_logs).toBeUndefined();
    expect(() => synthJson((s) => new ApplicationLoadBalancer(s, "Alb", { network: twoZones(s), accessLogRetentionDays: 0 }))).toThrow(/accessLogRetentionDays/);
  });
});
