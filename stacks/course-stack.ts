import { Construct } from "constructs";
import { Aspects, LocalBackend, S3Backend, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { InfraConfig } from "../config";
import { checkBinaryVersionsOncePerProcess, skipTokenStackTraces } from "../modules/core/cdktf-internals";
import { REGION_CONTEXT_KEY } from "../modules/core/context";
import { NAME_PREFIX_CONTEXT_KEY } from "../modules/core/names";
import { projectTags } from "../modules/core/tags";
import { PolicyAspect } from "../modules/policy/aspect";

export interface CourseStackOptions {
  /**
   * Where state lives. Every stack uses the S3 bucket made by the `state`
   * stack, except `state` itself, which bootstraps with a local file.
   * @default "s3"
   */
  readonly backend?: "s3" | "local";
}

/**
 * Base of every deployable system: the AWS provider in the configured
 * region with the project's default tags, the S3 backend (encrypted,
 * S3-native locking, key `<prefix><env>/<stack>.tfstate`), and the policy
 * pack as an aspect. Stacks are self-contained: no cross-stack references.
 */
export class CourseStack extends TerraformStack {
  readonly config: InfraConfig;

  constructor(scope: Construct, id: string, config: InfraConfig, options: CourseStackOptions = {}) {
    super(scope, id);
    this.config = config;
    // cdktf's `terraform version` check of each stack with moved blocks: one run per process, not one per stack and synth.
    checkBinaryVersionsOncePerProcess();
    // cdktf's stack trace of every token it creates: off, unless DEBUG=1.
    skipTokenStackTraces();
    this.node.setContext(REGION_CONTEXT_KEY, config.region);
    // Every physical name the modules make inside this stack starts with <project>-<env> (modules/core/names.ts).
    this.node.setContext(NAME_PREFIX_CONTEXT_KEY, `${config.project}-${config.environment}`);

    new AwsProvider(this, "aws", {
      region: config.region,
      // The project's own tags (PROJECT_TAG_KEYS) win over the configured ones; the config refuses a clash.
      defaultTags: [{ tags: projectTags({ project: config.project, environment: config.environment, stack: id, extra: config.tags }) }],
    });

    if ((options.backend ?? "s3") === "s3") {
      const backend = new S3Backend(this, {
        bucket: config.state.bucket,
        key: stateKey(config, id),
        region: config.state.region ?? config.region,
        encrypt: true,
      });
      // Terraform >= 1.10: lock with a .tflock object next to the state (no DynamoDB table).
      backend.addOverride("use_lockfile", true);
    } else {
      // Relative to the stack's folder (cdktf.out/stacks/<id>): the project root.
      new LocalBackend(this, { path: `../../../terraform.${id}.tfstate` });
    }

    Aspects.of(this).add(new PolicyAspect());
  }

  /** `<project>-<env>-<suffix>`: a name prefix unique per environment. */
  resourceName(suffix: string): string {
    return `${this.config.project}-${this.config.environment}-${suffix}`;
  }
}

/** The S3 key of a stack's state. */
export function stateKey(config: InfraConfig, stackId: string): string {
  return `${config.state.keyPrefix}${config.environment}/${stackId}.tfstate`;
}
