import { describeRule, res } from "../rule-cases";
import type { TfJson } from "../../../helpers/synth";
import { ApigwAccessLogs } from "../../../../modules/policy/rules/apigw-access-logs";
import { ApigwThrottling } from "../../../../modules/policy/rules/apigw-throttling";
import { AlbDropInvalidHeaders } from "../../../../modules/policy/rules/alb-drop-invalid-headers";
import { AlbHttpsRedirect } from "../../../../modules/policy/rules/alb-https-redirect";
import { AlbAccessLogs } from "../../../../modules/policy/rules/alb-access-logs";
import { AsgNoPublicIp } from "../../../../modules/policy/rules/asg-no-public-ip";
import { AsgElbHealthCheck } from "../../../../modules/policy/rules/asg-elb-health-check";
import { CloudfrontHttps } from "../../../../modules/policy/rules/cloudfront-https";
import { CloudfrontTls12 } from "../../../../modules/policy/rules/cloudfront-tls12";

const stage = (config: Record<string, unknown> = {}, more: TfJson = {}) =>
  res("aws_api_gateway_stage", "s", { stage_name: "prod", rest_api_id: "${aws_api_gateway_rest_api.a.id}", deployment_id: "d", ...config }, more);
const logs = { access_log_settings: { destination_arn: "${aws_cloudwatch_log_group.access.arn}", format: '{"requestId":"$context.requestId"}' } };
const methodSettings = (settings: Record<string, unknown>, path = "*/*") =>
  res("aws_api_gateway_method_settings", "m", { rest_api_id: "${aws_api_gateway_rest_api.a.id}", stage_name: "${aws_api_gateway_stage.s.stage_name}", method_path: path, settings });

describeRule(ApigwAccessLogs, {
  compliant: [
    { name: "REST stage with access logs", tf: stage(logs) },
    { name: "HTTP API stage with access logs", tf: res("aws_apigatewayv2_stage", "s", { api_id: "a", name: "$default", ...logs }) },
  ],
  noncompliant: [
    { name: "stage without access logs", tf: stage(), message: /destination_arn/ },
    { name: "access logs without format", tf: stage({ access_log_settings: { destination_arn: "arn" } }), message: /no format/ },
  ],
});

describeRule(ApigwThrottling, {
  compliant: [
    { name: "*/* method settings with rate and burst", tf: stage(logs, methodSettings({ throttling_rate_limit: 50, throttling_burst_limit: 100 })) },
    { name: "HTTP API default route throttling", tf: res("aws_apigatewayv2_stage", "s", { default_route_settings: { throttling_rate_limit: 10, throttling_burst_limit: 20 } }) },
  ],
  noncompliant: [
    { name: "stage without method settings", tf: stage(logs), message: /no aws_api_gateway_method_settings/ },
    { name: "method settings without limits", tf: stage(logs, methodSettings({ metrics_enabled: true })), message: /no throttling_rate_limit/ },
    { name: "limits only on one method", tf: stage(logs, methodSettings({ throttling_rate_limit: 5, throttling_burst_limit: 5 }, "haiku/GET")), message: /\*\/\*/ },
  ],
});

const alb = (config: Record<string, unknown> = {}, more: TfJson = {}) =>
  res("aws_lb", "lb", { load_balancer_type: "application", internal: false, drop_invalid_header_fields: true, ...config }, more);
const listener = (name: string, config: Record<string, unknown>, more: TfJson = {}) =>
  res("aws_lb_listener", name, { load_balancer_arn: "${aws_lb.lb.arn}", ...config }, more);
const https = listener("https", { port: 443, protocol: "HTTPS", certificate_arn: "arn:aws:acm:x", default_action: [{ type: "forward", target_group_arn: "tg" }] }, alb());

describeRule(AlbDropInvalidHeaders, {
  compliant: [
    { name: "ALB dropping invalid headers", tf: alb() },
    { name: "network load balancer (not applicable)", tf: res("aws_lb", "nlb", { load_balancer_type: "network" }) },
  ],
  noncompliant: [{ name: "ALB with the default (false)", tf: res("aws_lb", "lb", { internal: false }), message: /drop_invalid_header_fields/ }],
});

describeRule(AlbHttpsRedirect, {
  compliant: [
    { name: "HTTP-only load balancer (no certificate)", tf: listener("http", { port: 80, protocol: "HTTP", default_action: [{ type: "forward", target_group_arn: "tg" }] }, alb()) },
    { name: "HTTP listener redirecting to HTTPS", tf: listener("http", { port: 80, protocol: "HTTP", default_action: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", status_code: "HTTP_301" } }] }, https) },
  ],
  noncompliant: [
    { name: "HTTP listener forwarding next to an HTTPS one", tf: listener("http", { port: 80, protocol: "HTTP", default_action: [{ type: "forward", target_group_arn: "tg" }] }, https), message: /does not redirect/ },
  ],
});

describeRule(AlbAccessLogs, {
  compliant: [
    { name: "internal load balancer", tf: alb({ internal: true }) },
    { name: "internet-facing with access logs", tf: alb({ access_logs: { bucket: "logs", enabled: true } }) },
  ],
  noncompliant: [{ name: "internet-facing without logs", tf: alb(), message: /internet-facing/ }],
});

const asg = (config: Record<string, unknown>, lt: Record<string, unknown>) =>
  res("aws_autoscaling_group", "asg", { min_size: 1, max_size: 2, launch_template: { id: "${aws_launch_template.lt.id}", version: "$Latest" }, ...config }, res("aws_launch_template", "lt", lt));
const publicNic = { network_interfaces: [{ device_index: 0, associate_public_ip_address: "true" }] };

describeRule(AsgNoPublicIp, {
  compliant: [
    { name: "load-balanced fleet without public IPs", tf: asg({ target_group_arns: ["tg"] }, { vpc_security_group_ids: ["sg"] }) },
  ],
  noncompliant: [
    { name: "load-balanced fleet with public IPs", tf: asg({ target_group_arns: ["tg"] }, publicNic), message: /0\.005 USD\/h/ },
    // Issue 15: groups without target groups (the ECS capacity group) are checked too; a NAT-less VPC suppresses with its reason.
    { name: "fleet without load balancer with public IPs", tf: asg({}, publicNic), message: /0\.005 USD\/h each\)$/ },
  ],
});

describeRule(AsgElbHealthCheck, {
  compliant: [
    { name: "ELB health checks", tf: asg({ target_group_arns: ["tg"], health_check_type: "ELB" }, {}) },
    { name: "group without load balancer", tf: asg({}, {}) },
  ],
  noncompliant: [{ name: "attached with EC2 checks", tf: asg({ target_group_arns: ["tg"] }, {}), message: /EC2 \(default\)/ }],
});

const distribution = (behavior: Record<string, unknown>, certificate: Record<string, unknown>, ordered: Record<string, unknown>[] = []) =>
  res("aws_cloudfront_distribution", "cdn", { enabled: true, default_cache_behavior: behavior, ordered_cache_behavior: ordered, viewer_certificate: certificate });
const acm = { acm_certificate_arn: "arn:aws:acm:us-east-1:1:certificate/x", ssl_support_method: "sni-only", minimum_protocol_version: "TLSv1.2_2021" };

describeRule(CloudfrontHttps, {
  compliant: [
    { name: "redirect-to-https", tf: distribution({ viewer_protocol_policy: "redirect-to-https" }, acm) },
    { name: "https-only", tf: distribution({ viewer_protocol_policy: "https-only" }, acm) },
  ],
  noncompliant: [
    { name: "allow-all", tf: distribution({ viewer_protocol_policy: "allow-all" }, acm), message: /default_cache_behavior/ },
    { name: "ordered behavior allowing HTTP", tf: distribution({ viewer_protocol_policy: "https-only" }, acm, [{ path_pattern: "/api/*", viewer_protocol_policy: "allow-all" }]), message: /\/api\/\*/ },
  ],
});

describeRule(CloudfrontTls12, {
  compliant: [
    { name: "ACM certificate with TLSv1.2_2021", tf: distribution({ viewer_protocol_policy: "https-only" }, acm) },
    { name: "ACM certificate with TLSv1.2_2025", tf: distribution({ viewer_protocol_policy: "https-only" }, { ...acm, minimum_protocol_version: "TLSv1.2_2025" }) },
    { name: "ACM certificate with TLSv1.3_2025", tf: distribution({ viewer_protocol_policy: "https-only" }, { ...acm, minimum_protocol_version: "TLSv1.3_2025" }) },
  ],
  noncompliant: [
    { name: "TLSv1.2_2019 (older than 2021)", tf: distribution({ viewer_protocol_policy: "https-only" }, { ...acm, minimum_protocol_version: "TLSv1.2_2019" }), message: /TLSv1\.2_2019; use TLSv1\.2_2021 or newer/ },
    {
      name: "default certificate with a minimum version AWS ignores",
      tf: distribution({ viewer_protocol_policy: "https-only" }, { cloudfront_default_certificate: true, minimum_protocol_version: "TLSv1.2_2021" }),
      message: /ignored by AWS and shows as a change on every plan/,
    },
    { name: "default certificate", tf: distribution({ viewer_protocol_policy: "https-only" }, { cloudfront_default_certificate: true }), message: /default \*\.cloudfront\.net/ },
    { name: "TLSv1_2016", tf: distribution({ viewer_protocol_policy: "https-only" }, { ...acm, minimum_protocol_version: "TLSv1_2016" }), message: /TLSv1_2016/ },
  ],
});
