import { Construct } from "constructs";
import { physicalName } from "../core/names";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { S3BucketLifecycleConfiguration, S3BucketLifecycleConfigurationRule } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { DataAwsIamPolicyDocument, DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";

/** S3 allows 37 characters before the 26 it appends to a `bucket_prefix`: 36 and a `-`. */
const MAX_PREFIX = { maxLength: 36, lowercase: true, disallowed: /[^A-Za-z0-9-]/g };

export interface SecureBucketProps {
  /** Globally unique bucket name. @default none: AWS names it from `bucketPrefix` */
  readonly bucketName?: string;
  /**
   * Name prefix (AWS appends a unique suffix); used when `bucketName` is not given.
   * @default the stack's name prefix and the construct path, lower case, at most 36 characters, and `-`
   */
  readonly bucketPrefix?: string;
  /** `destroy` empties the bucket first (`force_destroy`). @default false */
  readonly forceDestroy?: boolean;
  /** Terraform refuses to destroy the bucket (`prevent_destroy`). @default false */
  readonly preventDestroy?: boolean;
  /** Tags of the bucket (beside the provider's default tags). @default none */
  readonly tags?: Record<string, string>;
  /** Keep every object version (`Versioning`). Cost: old versions are billed as storage until a lifecycle rule expires them. @default false */
  readonly versioned?: boolean;
  /** S3 Bucket Keys for SSE-S3 (fewer KMS calls where KMS is used; harmless with AES256). @default true */
  readonly bucketKey?: boolean;
  /** Lifecycle rules (`Lifecycle`). @default none */
  readonly lifecycleRules?: S3BucketLifecycleConfigurationRule[];
  /**
   * The course's public-read website bucket: public bucket policies allowed
   * (`block_public_policy`/`restrict_public_buckets` off) and no TLS-only
   * statement (S3 website endpoints serve plain HTTP only). Record the
   * policy findings with `suppress` and a reason.
   * @default false - private, TLS only
   */
  readonly publicWebsite?: boolean;
  /** Apply the bucket policy only after the public access block (always so with `publicWebsite`). @default false */
  readonly policyAfterPublicAccessBlock?: boolean;
}

/**
 * An S3 bucket with the project's safe defaults: bucket owner enforced (no
 * ACLs), SSE-S3 encryption (no KMS key to pay for), public access blocked,
 * and one bucket policy that denies plain-HTTP requests plus whatever
 * {@link addToResourcePolicy} adds. Optional versioning and lifecycle rules.
 *
 * Its parts are children with fixed ids (`Bucket`, `Ownership`,
 * `PublicAccessBlock`, `Encryption`, `Versioning`, `Lifecycle`,
 * `PolicyDocument`, `Policy`): Terraform addresses. Give it the id
 * `Default` to keep the parts' addresses those of the caller's own
 * children (cdktf leaves `Default` out of addresses), as StaticSite and
 * StateBucket do.
 *
 * Cost: S3 storage and requests only.
 */
export class SecureBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly publicAccessBlock: S3BucketPublicAccessBlock;
  readonly policy: S3BucketPolicy;
  private readonly document: DataAwsIamPolicyDocument;
  private readonly statements: DataAwsIamPolicyDocumentStatement[] = [];

  constructor(scope: Construct, id: string, props: SecureBucketProps = {}) {
    super(scope, id);
    const isPublic = props.publicWebsite ?? false;
    const bucketKey = props.bucketKey ?? true;
    const bucketPrefix = props.bucketPrefix ?? `${physicalName(this, MAX_PREFIX).replace(/^-+|-+$/g, "")}-`;

    this.bucket = new S3Bucket(this, "Bucket", {
      bucket: props.bucketName,
      bucketPrefix: props.bucketName ? undefined : bucketPrefix,
      forceDestroy: props.forceDestroy ?? false,
      lifecycle: props.preventDestroy !== undefined ? { preventDestroy: props.preventDestroy } : undefined,
      tags: props.tags,
    });
    new S3BucketOwnershipControls(this, "Ownership", { bucket: this.bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } });
    this.publicAccessBlock = new S3BucketPublicAccessBlock(this, "PublicAccessBlock", {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: !isPublic,
      ignorePublicAcls: true,
      restrictPublicBuckets: !isPublic,
    });
    if (props.versioned) {
      new S3BucketVersioningA(this, "Versioning", { bucket: this.bucket.id, versioningConfiguration: { status: "Enabled" } });
    }
    new S3BucketServerSideEncryptionConfigurationA(this, "Encryption", {
      bucket: this.bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: bucketKey ? true : undefined }],
    });
    if (props.lifecycleRules?.length) {
      new S3BucketLifecycleConfiguration(this, "Lifecycle", { bucket: this.bucket.id, rule: props.lifecycleRules });
    }
    this.document = new DataAwsIamPolicyDocument(this, "PolicyDocument", {});
    if (!isPublic) {
      this.addToResourcePolicy({
        sid: "DenyInsecureTransport",
        effect: "Deny",
        actions: ["s3:*"],
        principals: [{ type: "*", identifiers: ["*"] }],
        resources: [this.bucket.arn, `${this.bucket.arn}/*`],
        condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
      });
    }
    this.policy = new S3BucketPolicy(this, "Policy", {
      bucket: this.bucket.id,
      policy: this.document.json,
      // After the public access block: a public policy is refused while BlockPublicPolicy is on.
      dependsOn: isPublic || props.policyAfterPublicAccessBlock ? [this.publicAccessBlock] : undefined,
    });
  }

  /** Adds a statement to the bucket policy (placed before the TLS-only Deny). */
  addToResourcePolicy(statement: DataAwsIamPolicyDocumentStatement): void {
    const tls = this.statements.findIndex((s) => s.sid === "DenyInsecureTransport");
    if (tls >= 0 && statement.sid !== "DenyInsecureTransport") this.statements.splice(tls, 0, statement);
    else this.statements.push(statement);
    this.document.putStatement([...this.statements]);
  }

  get bucketName(): string {
    return this.bucket.bucket;
  }

  get bucketArn(): string {
    return this.bucket.arn;
  }
}
