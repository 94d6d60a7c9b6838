import type { PolicyRule } from "../rule";
import { address, asList, isTrue, statementsOf } from "../helpers";

/** Principals that deliver ALB access logs: a regional ELB account (`arn:aws:iam::<id>:root`) or the log-delivery service. */
const DELIVERY = /^(arn:aws[a-z-]*:iam::\d{12}:root|\d{12}|logdelivery\.elasticloadbalancing\.amazonaws\.com|delivery\.logs\.amazonaws\.com)$/;

/**
 * Cross-resource (load balancer <-> log bucket <-> its policy, encryption,
 * lifecycle): the bucket an ALB logs to is in the stack, encrypted with
 * SSE-S3 (ALB log delivery cannot use KMS keys), lets the ELB log-delivery
 * principal put objects, and expires them so the logs do not pile up.
 */
export const AlbLogBucket: PolicyRule = {
  id: "ALB-LOG-BUCKET",
  description: "An ALB's access_logs bucket is a stack bucket with SSE-S3, a policy letting the ELB log-delivery principal s3:PutObject, and a lifecycle expiration",
  level: "error",
  equivalents: { checkov: "(none)", trivy: "(none)", cdkNag: "(none; ELB2 needs it to work)" },
  moduleDefault: "ApplicationLoadBalancer builds exactly that bucket (force_destroy, objects expire after 7 days)",
  resourceTypes: ["aws_lb", "aws_alb"],
  check(lb, stack) {
    const logs = asList(lb.config.access_logs)[0] as any;
    if (!logs || !isTrue(logs.enabled ?? true) || !logs.bucket) return undefined;
    const bucket = stack.resolveReference(logs.bucket) ?? stack.byType("aws_s3_bucket").find((b) => b.config.bucket === logs.bucket);
    if (!bucket || bucket.type !== "aws_s3_bucket") return `logs to ${logs.bucket}, not a bucket of this stack: its policy and encryption cannot be checked`;
    const problems: string[] = [];
    const sse = stack.referencing("aws_s3_bucket_server_side_encryption_configuration", bucket, "bucket");
    const algorithms = sse.flatMap((s) => asList(s.config.rule).flatMap((r: any) => asList(r.apply_server_side_encryption_by_default).map((d: any) => d.sse_algorithm)));
    if (algorithms.some((a) => a !== "AES256")) problems.push(`encrypts with ${algorithms.join(", ")} (ALB logs need SSE-S3, AES256)`);
    const policies = stack.referencing("aws_s3_bucket_policy", bucket, "bucket");
    const delivers = policies.some((p) =>
      statementsOf(p.config.policy, stack).some(
        (s) => s.effect === "Allow" && s.actions.includes("s3:PutObject") && s.principals.some((pr) => pr.identifiers.some((id) => DELIVERY.test(id) || /elb|logdelivery/.test(id))),
      ),
    );
    if (!delivers) problems.push("has no bucket policy letting the ELB log-delivery principal s3:PutObject");
    const expires = stack
      .referencing("aws_s3_bucket_lifecycle_configuration", bucket, "bucket")
      .some((lc) => asList(lc.config.rule).some((r: any) => r.status === "Enabled" && asList(r.expiration).some((e: any) => Number(e.days) > 0)));
    if (!expires) problems.push("has no lifecycle rule expiring the logs");
    return problems.length ? `logs to ${address(bucket)}, which ${problems.join("; ")}` : undefined;
  },
};
