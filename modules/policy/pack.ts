import type { PolicyRule } from "./rule";
import { Ec2Imdsv2 } from "./rules/ec2-imdsv2";
import { Ec2ImdsHopLimit } from "./rules/ec2-imds-hop-limit";
import { EbsEncrypted } from "./rules/ebs-encrypted";
import { EbsGp3 } from "./rules/ebs-gp3";
import { SgNoWorldIngress } from "./rules/sg-no-world-ingress";
import { SgRuleDescription } from "./rules/sg-rule-description";
import { VpcDefaultSgClosed } from "./rules/vpc-default-sg-closed";
import { S3PublicAccessBlock } from "./rules/s3-public-access-block";
import { S3Encryption } from "./rules/s3-encryption";
import { S3StateVersioning } from "./rules/s3-state-versioning";
import { S3TlsOnly } from "./rules/s3-tls-only";
import { DynamodbPitr } from "./rules/dynamodb-pitr";
import { LambdaAsyncDlq } from "./rules/lambda-async-dlq";
import { LambdaLogGroup } from "./rules/lambda-log-group";
import { LambdaArm64 } from "./rules/lambda-arm64";
import { LambdaRuntimeSupported } from "./rules/lambda-runtime-supported";
import { LogRetention } from "./rules/log-retention";
import { IamNoWildcardAction } from "./rules/iam-no-wildcard-action";
import { IamNoWildcardResourceWrite } from "./rules/iam-no-wildcard-resource-write";
import { IamNoAdminPolicy } from "./rules/iam-no-admin-policy";
import { ApigwAccessLogs } from "./rules/apigw-access-logs";
import { ApigwThrottling } from "./rules/apigw-throttling";
import { AlbDropInvalidHeaders } from "./rules/alb-drop-invalid-headers";
import { AlbHttpsRedirect } from "./rules/alb-https-redirect";
import { AlbAccessLogs } from "./rules/alb-access-logs";
import { AsgNoPublicIp } from "./rules/asg-no-public-ip";
import { AsgElbHealthCheck } from "./rules/asg-elb-health-check";
import { CloudfrontHttps } from "./rules/cloudfront-https";
import { CloudfrontTls12 } from "./rules/cloudfront-tls12";
import { EcsReadonlyRoot } from "./rules/ecs-readonly-root";
import { EcsAwslogs } from "./rules/ecs-awslogs";
import { EcsSeparateRoles } from "./rules/ecs-separate-roles";
import { EcsNoPrivileged } from "./rules/ecs-no-privileged";
import { EcrScanOnPush } from "./rules/ecr-scan-on-push";
import { EcrImmutableTags } from "./rules/ecr-immutable-tags";
import { SqsEncryption } from "./rules/sqs-encryption";
import { RequiredTags } from "./rules/required-tags";

/**
 * The project's rules, one file each under `rules/`. Every stack is checked
 * against all of them at synth (PolicyAspect) and by `npm run policy`.
 * Errors are security findings and fail synth; warnings are cost and
 * hygiene; info is a hint. docs/policy.md lists them with their checkov / cdk-nag ids.
 */
export const COURSE_PACK: readonly PolicyRule[] = [
  Ec2Imdsv2,
  Ec2ImdsHopLimit,
  EbsEncrypted,
  EbsGp3,
  SgNoWorldIngress,
  SgRuleDescription,
  VpcDefaultSgClosed,
  S3PublicAccessBlock,
  S3Encryption,
  S3StateVersioning,
  S3TlsOnly,
  DynamodbPitr,
  LambdaAsyncDlq,
  LambdaLogGroup,
  LambdaRuntimeSupported,
  LambdaArm64,
  LogRetention,
  IamNoWildcardAction,
  IamNoWildcardResourceWrite,
  IamNoAdminPolicy,
  ApigwAccessLogs,
  ApigwThrottling,
  AlbDropInvalidHeaders,
  AlbHttpsRedirect,
  AlbAccessLogs,
  AsgNoPublicIp,
  AsgElbHealthCheck,
  CloudfrontHttps,
  CloudfrontTls12,
  EcsReadonlyRoot,
  EcsAwslogs,
  EcsSeparateRoles,
  EcsNoPrivileged,
  EcrScanOnPush,
  EcrImmutableTags,
  SqsEncryption,
  RequiredTags,
];

/** The rule with this id, if the pack has one. */
export function ruleById(id: string, pack: readonly PolicyRule[] = COURSE_PACK): PolicyRule | undefined {
  return pack.find((r) => r.id === id);
}
