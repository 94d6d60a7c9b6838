import { didYouMean } from "./did-you-mean";

/**
 * AWS region ids, as of 2026-11: the commercial partition, AWS GovCloud
 * (US) and China. A region newer than this list is refused by
 * {@link regionProblem} until it is added here, or the configuration sets
 * `allowUnknownRegion: true` (well-formed ids only).
 */
export const AWS_REGIONS: readonly string[] = [
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
  "af-south-1",
  "ap-east-1",
  "ap-east-2",
  "ap-south-1",
  "ap-south-2",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-southeast-3",
  "ap-southeast-4",
  "ap-southeast-5",
  "ap-southeast-6",
  "ap-southeast-7",
  "ca-central-1",
  "ca-west-1",
  "eu-central-1",
  "eu-central-2",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "eu-south-1",
  "eu-south-2",
  "eu-north-1",
  "il-central-1",
  "me-south-1",
  "me-central-1",
  "mx-central-1",
  "sa-east-1",
  "us-gov-east-1",
  "us-gov-west-1",
  "cn-north-1",
  "cn-northwest-1",
];

/** The shape of a region id (`ap-northeast-1`, `us-gov-west-1`, `us-iso-east-1`). */
export const REGION_ID = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;

export interface RegionCheckOptions {
  /** Accept a well-formed id that is not in {@link AWS_REGIONS} (a region newer than the list). @default false */
  readonly allowUnknown?: boolean;
  /** How to get past the list for a newer region, in the message. @default "add it to AWS_REGIONS in modules/core/regions.ts" */
  readonly escapeHint?: string;
}

/** Why `region` is not an AWS region id, or `undefined` when it is one. */
export function regionProblem(region: string, options: RegionCheckOptions = {}): string | undefined {
  if (AWS_REGIONS.includes(region)) return undefined;
  const hint = didYouMean(region, AWS_REGIONS);
  if (!REGION_ID.test(region)) return `is not an AWS region id like ap-northeast-1${hint}`;
  if (options.allowUnknown) return undefined;
  return `is not a known AWS region id${hint}; for a region newer than the project's list, ${options.escapeHint ?? "add it to AWS_REGIONS in modules/core/regions.ts"}`;
}

/** Throws naming `field` unless `region` is a known region id. */
export function assertRegion(region: string, field = "region", options: RegionCheckOptions = {}): void {
  const problem = regionProblem(region, options);
  if (problem) throw new Error(`${field} ("${region}") ${problem}`);
}
