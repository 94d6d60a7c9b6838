import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import type { InfraConfig } from "../config";
import { CourseStack, stateKey } from "./course-stack";
import { StateBucket } from "../modules/state/state-bucket";

/**
 * `state`: bootstrap. Creates the S3 bucket that every other stack keeps
 * its state in; its own state stays in a local file
 * (`terraform.state.tfstate` at the project root).
 */
export class StateStack extends CourseStack {
  constructor(scope: Construct, id: string, config: InfraConfig) {
    super(scope, id, config, { backend: "local" });
    const settings = config.stacks.state;
    const bucket = new StateBucket(this, "StateBucket", {
      bucketName: config.state.bucket,
      retain: !settings.allowDestroy,
      noncurrentVersionDays: settings.noncurrentVersionDays,
    });

    new TerraformOutput(this, "StateBucketName", { value: bucket.bucket.bucket, description: "S3 bucket holding Terraform state" });
    new TerraformOutput(this, "BackendSettings", {
      description: "What the other stacks' S3 backend uses (from infra.config.json)",
      value: {
        bucket: bucket.bucket.bucket,
        region: config.state.region ?? config.region,
        key: stateKey(config, "<stack>"),
        encrypt: true,
        use_lockfile: true,
      },
    });
  }
}
