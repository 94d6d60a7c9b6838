import * as fs from "fs";
import * as path from "path";
import { describeRule, merge, policyJson, res } from "../rule-cases";
import { synthJson, tempDir } from "../../../helpers/synth";
import { AlbTlsPolicy } from "../../../../modules/policy/rules/alb-tls-policy";
import { AlbHttpOnly } from "../../../../modules/policy/rules/alb-http-only";
import { AlbDeletionProtection } from "../../../../modules/policy/rules/alb-deletion-protection";
import { AlbLogBucket } from "../../../../modules/policy/rules/alb-log-bucket";
import { AlbAccessLogs } from "../../../../modules/policy/rules/alb-access-logs";
import { CloudfrontAccessLogs } from "../../../../modules/policy/rules/cloudfront-access-logs";
import { CloudfrontSecurityHeaders } from "../../../../modules/policy/rules/cloudfront-security-headers";
import { CloudfrontOacBucketPolicy } from "../../../../modules/policy/rules/cloudfront-oac-bucket-policy";
import { Network } from "../../../../modules/network/network";
import { ApplicationLoadBalancer, ApplicationLoadBalancerProps } from "../../../../modules/loadbalancing/application-load-balancer";
import { StaticSite } from "../../../../modules/cdn/static-site";

const CERT = "arn:aws:acm:ap-northeast-1:123456789012:certificate/abc";
const alb = (props: Partial<ApplicationLoadBalancerProps> = {}) => () =>
  synthJson((s) => void new ApplicationLoadBalancer(s, "Alb", { network: new Network(s, "Net", { availabilityZones: 2 }), ...props }));
const lb = (config: Record<string, unknown> = {}) => res("aws_lb", "lb", { load_balancer_type: "application", internal: false, ...config });
const listener = (config: Record<string, unknown>) => res("aws_lb_listener", "l", { load_balancer_arn: "${aws_lb.lb.arn}", ...config });

describeRule(AlbTlsPolicy, {
  compliant: [
    { name: "ApplicationLoadBalancer with a certificate", tf: alb({ certificateArn: CERT }) },
    { name: "HTTP listener (nothing to negotiate)", tf: merge(lb(), listener({ port: 80, protocol: "HTTP" })) },
  ],
  noncompliant: [
    { name: "HTTPS with the 2016 default policy", tf: merge(lb(), listener({ port: 443, protocol: "HTTPS", certificate_arn: CERT })), message: /on aws_lb\.lb uses ELBSecurityPolicy-2016-08/ },
    { name: "HTTPS without a certificate", tf: merge(lb(), listener({ port: 443, protocol: "HTTPS", ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06" })), message: /no certificate_arn/ },
  ],
});

describeRule(AlbHttpOnly, {
  compliant: [{ name: "ApplicationLoadBalancer with a certificate", tf: alb({ certificateArn: CERT }) }],
  noncompliant: [{ name: "HTTP listener only", tf: merge(lb(), listener({ port: 80, protocol: "HTTP" })), message: /only plain-HTTP listeners \(aws_lb_listener\.l\)/ }],
});

describeRule(AlbDeletionProtection, {
  compliant: [{ name: "deletionProtection true", tf: alb({ deletionProtection: true }) }],
  noncompliant: [{ name: "ApplicationLoadBalancer default", tf: alb(), message: /enable_deletion_protection false/ }],
});

describe("ALB-ACCESS-LOGS holds for the module default", () => {
  describeRule(AlbAccessLogs, {
    compliant: [{ name: "ApplicationLoadBalancer default (access logs on)", tf: alb() }],
    noncompliant: [{ name: "accessLogs false", tf: alb({ accessLogs: false }), message: /without access_logs/ }],
  });
});

const logBucket = (sse: string, withPolicy: boolean, withLifecycle: boolean) =>
  merge(
    lb({ access_logs: { enabled: true, bucket: "${aws_s3_bucket.logs.bucket}" } }),
    res("aws_s3_bucket", "logs", { bucket_prefix: "logs-" }),
    res("aws_s3_bucket_server_side_encryption_configuration", "e", { bucket: "${aws_s3_bucket.logs.id}", rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: sse } }] }),
    withPolicy
      ? res("aws_s3_bucket_policy", "p", { bucket: "${aws_s3_bucket.logs.id}", policy: policyJson({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::582318560864:root" }, Action: "s3:PutObject", Resource: "${aws_s3_bucket.logs.arn}/*" }) })
      : {},
    withLifecycle ? res("aws_s3_bucket_lifecycle_configuration", "lc", { bucket: "${aws_s3_bucket.logs.id}", rule: [{ id: "x", status: "Enabled", expiration: [{ days: 7 }] }] }) : {},
  );

describeRule(AlbLogBucket, {
  compliant: [
    { name: "ApplicationLoadBalancer default (ap-northeast-1 ELB account)", tf: alb() },
    { name: "SSE-S3 bucket with delivery policy and expiry", tf: logBucket("AES256", true, true) },
  ],
  noncompliant: [
    { name: "KMS-encrypted bucket without policy or expiry", tf: logBucket("aws:kms", false, false), message: /aws_s3_bucket\.logs, which encrypts with aws:kms .*; has no bucket policy .*; has no lifecycle rule/ },
    { name: "a bucket outside the stack", tf: lb({ access_logs: { enabled: true, bucket: "someone-elses-bucket" } }), message: /not a bucket of this stack/ },
  ],
});

function siteDir(): string {
  const dir = tempDir("policy-site");
  fs.writeFileSync(path.join(dir, "index.html"), "<html></html>");
  return dir;
}
const site = () => synthJson((s) => void new StaticSite(s, "Site", { sourceDir: siteDir() }));
const distribution = (config: Record<string, unknown>) =>
  res("aws_cloudfront_distribution", "d", { enabled: true, origin: [{ origin_id: "o", domain_name: "${aws_s3_bucket.b.bucket_regional_domain_name}", origin_access_control_id: "${aws_cloudfront_origin_access_control.oac.id}" }], ...config });

describeRule(CloudfrontAccessLogs, {
  compliant: [{ name: "logging_config with a bucket", tf: distribution({ logging_config: { bucket: "logs.s3.amazonaws.com" } }) }],
  noncompliant: [{ name: "StaticSite (off, suppressed there with its reason)", tf: site, message: /no logging_config/ }],
});

describeRule(CloudfrontSecurityHeaders, {
  compliant: [
    { name: "StaticSite (managed SecurityHeadersPolicy)", tf: site },
    {
      name: "own policy with all four headers",
      tf: merge(
        distribution({ default_cache_behavior: { target_origin_id: "o", response_headers_policy_id: "${aws_cloudfront_response_headers_policy.h.id}" } }),
        res("aws_cloudfront_response_headers_policy", "h", {
          security_headers_config: {
            strict_transport_security: { access_control_max_age_sec: 31536000, override: true },
            content_type_options: { override: true },
            frame_options: { frame_option: "DENY", override: true },
            referrer_policy: { referrer_policy: "same-origin", override: true },
          },
        }),
      ),
    },
  ],
  noncompliant: [
    { name: "behavior without a policy", tf: distribution({ default_cache_behavior: { target_origin_id: "o" } }), message: /default\) has no response_headers_policy_id/ },
    {
      name: "own policy without HSTS and frame options",
      tf: merge(
        distribution({ default_cache_behavior: { target_origin_id: "o", response_headers_policy_id: "${aws_cloudfront_response_headers_policy.h.id}" } }),
        res("aws_cloudfront_response_headers_policy", "h", { security_headers_config: { content_type_options: { override: true }, referrer_policy: { referrer_policy: "same-origin", override: true } } }),
      ),
      message: /aws_cloudfront_response_headers_policy\.h sets no strict_transport_security, frame_options/,
    },
  ],
});

describeRule(CloudfrontOacBucketPolicy, {
  compliant: [{ name: "StaticSite (policy scoped to its distribution)", tf: site }],
  noncompliant: [
    {
      name: "OAC origin whose bucket policy has no SourceArn condition",
      tf: merge(
        distribution({}),
        res("aws_s3_bucket", "b", { bucket: "b" }),
        res("aws_s3_bucket_policy", "p", { bucket: "${aws_s3_bucket.b.id}", policy: policyJson({ Effect: "Allow", Principal: { Service: "cloudfront.amazonaws.com" }, Action: "s3:GetObject", Resource: "${aws_s3_bucket.b.arn}/*" }) }),
      ),
      message: /origin aws_s3_bucket\.b uses origin access control/,
    },
  ],
});
