import type { IGrantable } from "../iam/grant";
import type { Repository } from "./repository";

/** Where a task's image comes from. */
export interface ContainerImage {
  /** The image reference written into the container definition. */
  readonly imageName: string;
  /** Gives an execution role what it needs to pull the image (nothing for public images). */
  grantPull(grantee: IGrantable): void;
}

/** The tag {@link ContainerImage.fromEcrRepository} runs when none is given. */
export const DEFAULT_IMAGE_TAG = "latest";

export const ContainerImage = {
  /** A public image (`public.ecr.aws/...`, Docker Hub): pulled without credentials. */
  fromRegistry(imageName: string): ContainerImage {
    if (!/^[a-z0-9][a-z0-9.\-_/:@]*$/i.test(imageName) || /\s/.test(imageName)) {
      throw new Error(`image ("${imageName}") must be an image reference like public.ecr.aws/nginx/nginx-unprivileged:stable-alpine`);
    }
    return { imageName, grantPull: () => undefined };
  },

  /** An image in a private ECR repository of this stack; the execution role gets pull rights on it. */
  fromEcrRepository(repository: Repository, tag = DEFAULT_IMAGE_TAG): ContainerImage {
    if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag)) throw new Error(`tag ("${tag}") must be a valid image tag`);
    return {
      imageName: `${repository.repositoryUrl}:${tag}`,
      grantPull: (grantee) => repository.grantPull(grantee),
    };
  },
};
