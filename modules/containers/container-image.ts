import type { IGrantable } from "../iam/grant";
import type { Repository } from "./repository";

/**
 * The image reference grammar of the OCI distribution spec (Docker's
 * `reference` package): an optional registry host (with a port), path
 * components in lower case, an optional tag, an optional digest.
 */
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::\d+)?$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;

/** Why registries refuse `reference` (`[host[:port]/]path[:tag][@digest]`), or `undefined`. */
export function imageReferenceProblem(reference: string): string | undefined {
  const example = "like public.ecr.aws/nginx/nginx-unprivileged:stable-alpine";
  if (!reference.trim()) return `is empty; an image reference looks ${example}`;
  const [nameAndTag, digest, ...rest] = reference.split("@");
  if (rest.length > 0 || (digest !== undefined && !DIGEST.test(digest))) return `has a malformed digest; an image reference looks ${example} or name@sha256:<64 hex digits>`;
  const slash = nameAndTag.lastIndexOf("/");
  const colon = nameAndTag.lastIndexOf(":");
  const tag = colon > slash ? nameAndTag.slice(colon + 1) : undefined;
  const name = tag === undefined ? nameAndTag : nameAndTag.slice(0, colon);
  const parts = name.split("/");
  const host = parts.length > 1 && (/[.:]/.test(parts[0]) || parts[0] === "localhost") ? parts.shift() : undefined;
  if (host !== undefined && !HOST.test(host)) return `has a malformed registry host ("${host}"); an image reference looks ${example}`;
  const bad = parts.find((p) => !PATH_COMPONENT.test(p));
  if (bad !== undefined) {
    if (bad.toLowerCase() !== bad && PATH_COMPONENT.test(bad.toLowerCase())) {
      const fixed = [host, ...parts.map((p) => p.toLowerCase())].filter((p) => p !== undefined).join("/");
      return `has upper case in the repository name ("${bad}"), which registries refuse (did you mean ${fixed}${tag !== undefined ? `:${tag}` : ""}${digest !== undefined ? `@${digest}` : ""}?)`;
    }
    return `is not an image reference registries accept (repository name part "${bad}": lower-case letters, digits and . _ - separators only); it looks ${example}`;
  }
  if (tag !== undefined && !TAG.test(tag)) return `has a malformed tag ("${tag}": up to 128 letters, digits, _ . -, not starting with . or -)`;
  return undefined;
}

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
    const problem = imageReferenceProblem(imageName);
    if (problem) throw new Error(`image ("${imageName}") ${problem}`);
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
