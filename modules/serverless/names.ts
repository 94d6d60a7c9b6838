import * as crypto from "crypto";
import { Construct } from "constructs";

/**
 * A stable physical name from the construct path (stack id and construct
 * ids, App excluded): `simple-lambda-Function`. Characters outside
 * `allowed` are dropped; names longer than `maxLength` keep their start and
 * end with 8 hex chars of a hash of the full path, so they stay unique.
 */
export function nameFromPath(c: Construct, maxLength: number, allowed: RegExp = /[^A-Za-z0-9_-]/g): string {
  const parts = c.node.scopes
    .slice(1)
    .map((s) => s.node.id.replace(allowed, ""))
    .filter((p) => p.length > 0);
  const full = parts.join("-");
  if (full.length <= maxLength) return full;
  const hash = crypto.createHash("sha256").update(c.node.path).digest("hex").slice(0, 8);
  return `${full.slice(0, maxLength - 9)}-${hash}`;
}
