/**
 * Errors of the small AWS client (lambdas/lib/aws/): what AWS answered, as
 * an Error whose `name` is AWS's error code (`ConditionalCheckFailedException`,
 * `ValidationError`, `Throttling`, ...), as the AWS SDK v3 names its
 * exceptions, so `err.name === "..."` checks read the same with either.
 * `$metadata.httpStatusCode` is where the SDK keeps the status too.
 */

export interface AwsErrorMetadata {
  /** HTTP status of the last attempt; undefined when no response came back (timeout). */
  readonly httpStatusCode?: number;
  /** `x-amzn-requestid` / `x-amz-request-id` / the XML `RequestId`. */
  readonly requestId?: string;
  /** Attempts made, retries included. */
  readonly attempts: number;
}

export class AwsError extends Error {
  /** `client` for 4xx (the request is wrong), `server` for 5xx and timeouts. */
  readonly $fault: "client" | "server";
  readonly $metadata: AwsErrorMetadata;

  constructor(code: string, message: string, metadata: AwsErrorMetadata) {
    super(message);
    this.name = code;
    this.$metadata = metadata;
    this.$fault = metadata.httpStatusCode !== undefined && metadata.httpStatusCode < 500 ? "client" : "server";
  }

  /** The HTTP status (shorthand for `$metadata.httpStatusCode`). */
  get statusCode(): number | undefined {
    return this.$metadata.httpStatusCode;
  }
}

/** True when `err` is an error AWS answered with `code` (ours, or an AWS SDK v3 exception of that name). */
export function isAwsError(err: unknown, code: string): err is AwsError {
  return err instanceof Error && err.name === code;
}
