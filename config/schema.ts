import { z } from "zod";
import { bucketName, environmentName, extraTags, ipv4Cidr, region } from "./fields";
import { checkAcrossSections } from "./cross-checks";
import { WORLD_OPEN_PREFIX, worldOpenProblem } from "../modules/network/cidr";
import { FirstEc2Settings } from "./stacks/first-ec2";
import { StateSettings } from "./stacks/state";
import { BashoutterSettings } from "./stacks/bashoutter";
import { QaBotSettings } from "./stacks/qa-bot";
import { EcsAutoscalingSettings } from "./stacks/ecs-autoscaling";
import { WebFleetSettings } from "./stacks/web-fleet";
import { GpuJupyterSettings } from "./stacks/gpu-jupyter";
import { SimpleLambdaSettings } from "./stacks/simple-lambda";
import { SimpleDynamodbSettings } from "./stacks/simple-dynamodb";

/** The course's region (Tokyo). */
export const DEFAULT_REGION = "ap-northeast-1";

/**
 * Defaults that let every stack synthesize and plan offline but must be
 * replaced before a real deploy: synth warns while they are in use
 * (config/load.ts `placeholderWarnings`).
 */
export const PLACEHOLDER_STATE_BUCKET = "aws-course-tfstate-change-me";
/** A documentation address (RFC 5737): SSH will not reach you from it. */
export const PLACEHOLDER_SSH_CIDR = "203.0.113.10/32";
/** The key pair name the course's guides create. */
export const DEFAULT_KEY_NAME = "aws-course";

/** Per-stack settings: one optional section per deployable system. */
export const StackSettings = z
  .object({
    state: StateSettings.prefault({}),
    firstEc2: FirstEc2Settings.prefault({}),
    bashoutter: BashoutterSettings.prefault({}),
    qaBot: QaBotSettings.prefault({}),
    ecsAutoscaling: EcsAutoscalingSettings.prefault({}),
    webFleet: WebFleetSettings.prefault({}),
    gpuJupyter: GpuJupyterSettings.prefault({}),
    simpleLambda: SimpleLambdaSettings.prefault({}),
    simpleDynamodb: SimpleDynamodbSettings.prefault({}),
  })
  .strict();

/**
 * The whole project configuration. Every key is documented in the README's
 * "Configuration" section; unknown keys are rejected so typos fail loudly.
 */
export const InfraConfigSchema = z
  .object({
    /** Editor hint for the JSON schema; ignored. */
    $schema: z.string().optional(),
    /** AWS region every stack deploys to: a known region id (modules/core/regions.ts), see `allowUnknownRegion`. */
    region: region.default(DEFAULT_REGION),
    /**
     * Escape hatch for a region newer than the project's list (modules/core/regions.ts): true accepts any
     * well-formed id in `region` and `state.region`. Stacks with a network also need the region's zone ids
     * in modules/network/availability-zones.ts.
     */
    allowUnknownRegion: z.boolean().default(false),
    /** Environment name: part of resource names, tags and the state key (`<env>/<stack>.tfstate`). */
    environment: environmentName.default("dev"),
    /** Project name: the `Project` tag and a prefix of resource names. */
    project: environmentName.default("aws-course"),
    state: z
      .object({
        /** The S3 bucket that holds Terraform state (created by the `state` stack); the default is a placeholder to replace before a deploy. */
        bucket: bucketName.default(PLACEHOLDER_STATE_BUCKET),
        /** Prefix before `<env>/<stack>.tfstate`, e.g. `team-a/`. */
        keyPrefix: z
          .string()
          .regex(/^([A-Za-z0-9_.-]+\/)*$/, { message: "must be empty or end with '/', like team-a/" })
          .default(""),
        /** Region of the state bucket; defaults to `region`. */
        region: region.optional(),
      })
      .strict()
      .prefault({}),
    ssh: z
      .object({
        /** Name of an existing EC2 key pair (`aws ec2 create-key-pair --key-name ...`). */
        keyName: z.string().trim().min(1, { message: "is empty" }).max(255).default(DEFAULT_KEY_NAME),
        /** The only address range allowed to reach port 22, e.g. your own `203.0.113.7/32`. */
        ingressCidr: ipv4Cidr.default(PLACEHOLDER_SSH_CIDR),
        /** Must be true to allow SSH from 0.0.0.0/0 or any other public range wider than a /16. */
        allowWorldOpen: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    /**
     * Extra tags added to every resource (provider default_tags). Unlike the
     * other objects, a later layer's `tags` replaces the earlier layer's whole
     * map (so a local file can drop a team tag); repeat the tags you keep.
     */
    tags: extraTags.default({}),
    stacks: StackSettings.prefault({}),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (worldOpenProblem(config.ssh.ingressCidr) && !config.ssh.allowWorldOpen) {
      ctx.addIssue({
        code: "custom",
        path: ["ssh", "ingressCidr"],
        message:
          `opens SSH to the internet (a public range wider than /${WORLD_OPEN_PREFIX.ipv4} is not one person's or one office's address); ` +
          "use your own address (curl https://checkip.amazonaws.com)/32, " +
          "or set ssh.allowWorldOpen to true if you really mean it",
      });
    }
  })
  // Region list, certificate region, tag limits: reported with every other problem, not only once the rest is valid.
  .superRefine(checkAcrossSections, { when: () => true });

export type InfraConfig = z.infer<typeof InfraConfigSchema>;
