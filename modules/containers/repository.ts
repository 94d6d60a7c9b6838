import { Construct } from "constructs";
import { Fn } from "cdktf";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { Grant, IGrantable } from "../iam/grant";
import { assertIntInRange } from "../core/validate";
import { physicalName } from "../core/names";

/** ECR actions an ECS execution role needs to pull an image from one repository. */
export const ECR_PULL_ACTIONS = ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"] as const;

/** The ECR login action; it has no resource-level permission (the token is for the whole registry). */
export const ECR_AUTH_ACTIONS = ["ecr:GetAuthorizationToken"] as const;

/** Default number of images the lifecycle rule keeps. */
export const DEFAULT_KEEP_IMAGES = 10;

export interface RepositoryProps {
  /** Repository name (lowercase, `a-z0-9._/-`). @default derived from the construct path, lowercased */
  readonly repositoryName?: string;
  /**
   * Keep only the newest N images; older ones expire (ECR storage is billed
   * at about 0.10 USD per GB-month).
   * @default 10
   */
  readonly keepLastImages?: number;
  /**
   * Delete the repository even when it still holds images, so
   * `cdktf destroy` leaves nothing billable behind.
   * @default true
   */
  readonly forceDelete?: boolean;
  /** `IMMUTABLE` refuses to overwrite a tag. @default "MUTABLE" (the push commands reuse `latest`) */
  readonly imageTagMutability?: "MUTABLE" | "IMMUTABLE";
}

/**
 * A private ECR repository: images scanned on push, AES-256 encryption at
 * rest, a lifecycle rule that keeps the last N images, and force delete on.
 */
export class Repository extends Construct {
  readonly resource: EcrRepository;
  readonly lifecyclePolicy: EcrLifecyclePolicy;

  constructor(scope: Construct, id: string, props: RepositoryProps = {}) {
    super(scope, id);
    const repositoryName = props.repositoryName ?? physicalName(this, { maxLength: 200, lowercase: true });
    const keepLastImages = props.keepLastImages ?? DEFAULT_KEEP_IMAGES;

    if (!/^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/.test(repositoryName) || repositoryName.length > 256) {
      throw new Error(`repositoryName ("${repositoryName}") must be lowercase letters, digits and . _ - / separators (ECR naming rules)`);
    }
    assertIntInRange(keepLastImages, 1, 10000, "keepLastImages");

    this.resource = new EcrRepository(this, "Resource", {
      name: repositoryName,
      imageTagMutability: props.imageTagMutability ?? "MUTABLE",
      forceDelete: props.forceDelete ?? true,
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [{ encryptionType: "AES256" }],
    });
    this.lifecyclePolicy = new EcrLifecyclePolicy(this, "Lifecycle", {
      repository: this.resource.name,
      policy: JSON.stringify({
        rules: [
          {
            rulePriority: 1,
            description: `Keep the last ${keepLastImages} images`,
            selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: keepLastImages },
            action: { type: "expire" },
          },
        ],
      }),
    });
  }

  get repositoryName(): string {
    return this.resource.name;
  }

  get repositoryArn(): string {
    return this.resource.arn;
  }

  /** `<account>.dkr.ecr.<region>.amazonaws.com/<name>` */
  get repositoryUrl(): string {
    return this.resource.repositoryUrl;
  }

  /** The registry host (`<account>.dkr.ecr.<region>.amazonaws.com`), for `docker login`. */
  get registryHost(): string {
    return Fn.element(Fn.split("/", this.resource.repositoryUrl), 0);
  }

  /** Lets `grantee` pull images from this repository (and get the registry login token). */
  grantPull(grantee: IGrantable): void {
    Grant.addToPrincipal({ grantee, sid: "PullImages", actions: ECR_PULL_ACTIONS, resourceArns: [this.repositoryArn] });
    // GetAuthorizationToken has no resource-level permission: AWS requires Resource "*".
    Grant.addToPrincipal({ grantee, sid: "EcrLogin", actions: ECR_AUTH_ACTIONS, resourceArns: ["*"] });
  }

  /**
   * Shell commands that build the image in `contextDir` and push it here:
   * `aws ecr get-login-password | docker login`, `docker build`, `docker push`.
   */
  pushCommands(region: string, contextDir: string, tag = "latest"): string[] {
    const image = `${this.repositoryUrl}:${tag}`;
    return [
      `aws ecr get-login-password --region ${region} | docker login --username AWS --password-stdin ${this.registryHost}`,
      `docker build --platform linux/amd64 -t ${image} ${contextDir}`,
      `docker push ${image}`,
    ];
  }
}
