import { AWS_REGIONS, regionProblem } from "../core/regions";

/**
 * Availability Zone ids (`apne1-az1`) name the same physical zone in every
 * account, unlike zone names (`ap-northeast-1a`), which AWS maps per account.
 * Subnets take ids directly, so a plan needs no `aws_availability_zones`
 * lookup and runs offline. The lists hold the zones open to new accounts,
 * in order of preference (constrained zones such as `apne1-az3` and
 * `use1-az3` are left out).
 */
export const KNOWN_AZ_IDS: Readonly<Record<string, readonly string[]>> = {
  "ap-northeast-1": ["apne1-az1", "apne1-az4", "apne1-az2"],
  "ap-northeast-3": ["apne3-az1", "apne3-az2", "apne3-az3"],
  "ap-southeast-1": ["apse1-az1", "apse1-az2", "apse1-az3"],
  "eu-central-1": ["euc1-az1", "euc1-az2", "euc1-az3"],
  "eu-west-1": ["euw1-az1", "euw1-az2", "euw1-az3"],
  "us-east-1": ["use1-az1", "use1-az2", "use1-az4", "use1-az6", "use1-az5"],
  "us-east-2": ["use2-az1", "use2-az2", "use2-az3"],
  "us-west-2": ["usw2-az1", "usw2-az2", "usw2-az3", "usw2-az4"],
};

const AZ_ID = /^[a-z]{2,6}[0-9]-az[0-9]+$/;

/**
 * The first `count` zone ids of `region`, or a clear error saying how to
 * pass them explicitly.
 */
export function defaultAzIds(region: string | undefined, count: number, field = "availabilityZones"): string[] {
  if (!Number.isInteger(count) || count < 1) {
    throw new Error(`${field} (${count}) must be a whole number >= 1`);
  }
  const known = region ? KNOWN_AZ_IDS[region] : undefined;
  // A typo in the region is the region's fault, not the zone count's.
  if (region && !AWS_REGIONS.includes(region)) throw new Error(`region ("${region}") ${regionProblem(region)}`);
  if (!known) {
    throw new Error(
      `${field}: no built-in zone list for region "${region ?? "(unset)"}"; pass availabilityZoneIds ` +
        "(aws ec2 describe-availability-zones --query 'AvailabilityZones[].ZoneId')",
    );
  }
  if (count > known.length) {
    throw new Error(`${field} (${count}) exceeds the ${known.length} zones known for ${region}: ${known.join(", ")}`);
  }
  return known.slice(0, count);
}

/** Throws when an id is not of the `apne1-az1` form, or when ids repeat. */
export function assertAzIds(ids: readonly string[], field = "availabilityZoneIds"): void {
  if (ids.length === 0) throw new Error(`${field} must name at least one zone id`);
  for (const id of ids) {
    if (!AZ_ID.test(id)) throw new Error(`${field} ("${id}") is not a zone id like apne1-az1 (zone names like ap-northeast-1a differ per account)`);
  }
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup) throw new Error(`${field} lists "${dup}" twice`);
}
