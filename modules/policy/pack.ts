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
import { SgEgressUnrestricted } from "./rules/sg-egress-unrestricted";
import { VpcFlowLogs } from "./rules/vpc-flow-logs";
import { SubnetNoAutoPublicIp } from "./rules/subnet-no-auto-public-ip";
import { Ec2NoPublicIp } from "./rules/ec2-no-public-ip";
import { Ec2DetailedMonitoring } from "./rules/ec2-detailed-monitoring";
import { Ec2TerminationProtection } from "./rules/ec2-termination-protection";
import { S3AccessLogging } from "./rules/s3-access-logging";
import { S3Versioning } from "./rules/s3-versioning";
import { S3ConfigAttached } from "./rules/s3-config-attached";
import { SqsTlsOnly } from "./rules/sqs-tls-only";
import { SqsQueuePolicyScope } from "./rules/sqs-queue-policy-scope";
import { DynamodbDeletionProtection } from "./rules/dynamodb-deletion-protection";
import { DynamodbCmk } from "./rules/dynamodb-cmk";
import { LambdaXray } from "./rules/lambda-xray";
import { LambdaEnvSecrets } from "./rules/lambda-env-secrets";
import { LambdaPublicConcurrency } from "./rules/lambda-public-concurrency";
import { LogRetentionMinimum } from "./rules/log-retention-minimum";
import { ApigwExecutionLogging } from "./rules/apigw-execution-logging";
import { ApigwWriteAuthorization } from "./rules/apigw-write-authorization";
import { ApigwXray } from "./rules/apigw-xray";
import { ApigwRequestValidation } from "./rules/apigw-request-validation";
import { AlbTlsPolicy } from "./rules/alb-tls-policy";
import { AlbHttpOnly } from "./rules/alb-http-only";
import { AlbDeletionProtection } from "./rules/alb-deletion-protection";
import { AlbLogBucket } from "./rules/alb-log-bucket";
import { CloudfrontAccessLogs } from "./rules/cloudfront-access-logs";
import { CloudfrontSecurityHeaders } from "./rules/cloudfront-security-headers";
import { CloudfrontOacBucketPolicy } from "./rules/cloudfront-oac-bucket-policy";
import { EcsContainerInsights } from "./rules/ecs-container-insights";
import { EcsNonRoot } from "./rules/ecs-non-root";
import { EcsEnvSecrets } from "./rules/ecs-env-secrets";
import { EcsNoPublicIp } from "./rules/ecs-no-public-ip";
import { IamPrivilegeEscalation } from "./rules/iam-privilege-escalation";
import { IamAwsManagedPolicy } from "./rules/iam-aws-managed-policy";

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
  SgEgressUnrestricted,
  VpcFlowLogs,
  SubnetNoAutoPublicIp,
  Ec2NoPublicIp,
  Ec2DetailedMonitoring,
  Ec2TerminationProtection,
  S3AccessLogging,
  S3Versioning,
  S3ConfigAttached,
  SqsTlsOnly,
  SqsQueuePolicyScope,
  DynamodbDeletionProtection,
  DynamodbCmk,
  LambdaXray,
  LambdaEnvSecrets,
  LambdaPublicConcurrency,
  LogRetentionMinimum,
  ApigwExecutionLogging,
  ApigwWriteAuthorization,
  ApigwXray,
  ApigwRequestValidation,
  AlbTlsPolicy,
  AlbHttpOnly,
  AlbDeletionProtection,
  AlbLogBucket,
  CloudfrontAccessLogs,
  CloudfrontSecurityHeaders,
  CloudfrontOacBucketPolicy,
  EcsContainerInsights,
  EcsNonRoot,
  EcsEnvSecrets,
  EcsNoPublicIp,
  IamPrivilegeEscalation,
  IamAwsManagedPolicy,
];

/** The rule with this id, if the pack has one. */
export function ruleById(id: string, pack: readonly PolicyRule[] = COURSE_PACK): PolicyRule | undefined {
  return pack.find((r) => r.id === id);
}
