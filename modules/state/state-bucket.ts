import { Construct } from "constructs";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { SecureBucket } from "../storage/secure-bucket";
import { suppress } from "../policy/suppress";

/** The bucket survives `destroy` (prevent_destroy) unless told otherwise. */
export const DEFAULT_RETAIN_STATE = true;
/** Days superseded state versions are kept. */
export const DEFAULT_NONCURRENT_VERSION_DAYS = 90;

export interface StateBucketProps {
  /** Globally unique bucket name. */
  readonly bucketName: string;
  /**
   * Keep the bucket when someone runs `destroy` (Terraform `prevent_destroy`).
   * Turn off only to tear everything down; the bucket is then emptied too
   * (`force_destroy`). @default true
   */
  readonly retain?: boolean;
  /** Days to keep old state versions (recovery window). @default 90 */
  readonly noncurrentVersionDays?: number;
}

/**
 * The S3 bucket that holds Terraform state: versioned, encrypted (SSE-S3,
 * no KMS key to pay for), public access blocked, bucket owner enforced,
 * TLS-only bucket policy, old versions expired after a recovery window.
 * Locking uses S3's native lock files (`use_lockfile`), so no DynamoDB table.
 */
export class StateBucket extends Construct {
  readonly bucket: S3Bucket;

  constructor(scope: Construct, id: string, props: StateBucketProps) {
    super(scope, id);
    const retain = props.retain ?? DEFAULT_RETAIN_STATE;
    const noncurrentDays = props.noncurrentVersionDays ?? DEFAULT_NONCURRENT_VERSION_DAYS;
    if (!Number.isInteger(noncurrentDays) || noncurrentDays < 1) {
      throw new Error(`noncurrentVersionDays (${noncurrentDays}) must be a whole number >= 1`);
    }

    // Id "Default": the parts keep the addresses of this construct's own children (StateBucket_Ownership_...).
    this.bucket = new SecureBucket(this, "Default", {
      bucketName: props.bucketName,
      forceDestroy: !retain,
      preventDestroy: retain,
      // The marker the policy pack's S3-STATE-VERSIONING rule recognizes state buckets by.
      tags: { Purpose: "terraform-state" },
      versioned: true,
      lifecycleRules: [
        {
          id: "expire-old-state-versions",
          status: "Enabled",
          filter: [{ prefix: "" }],
          noncurrentVersionExpiration: [{ noncurrentDays }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    }).bucket;
    suppress(
      this.bucket,
      "S3-ACCESS-LOGGING",
      "the bootstrap stays one bucket: server access logs would need a second bucket that outlives the state; the state is versioned (every write recoverable for the recovery window), TLS-only and private",
    );
  }
}
