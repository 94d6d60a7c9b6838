import * as crypto from "crypto";
import { Construct } from "constructs";

/**
 * Context key under which a stack records the prefix of every physical name
 * made inside it: `<project>-<environment>` (stacks/course-stack.ts). Two
 * environments deployed into one account and region then never ask AWS for
 * the same function, log group, queue, table, role... name.
 */
export const NAME_PREFIX_CONTEXT_KEY = "aws-course:name-prefix";

/** The name prefix recorded by the enclosing stack (`aws-course-dev`), if any. */
export function namePrefixOf(scope: Construct): string | undefined {
  const prefix = scope.node.tryGetContext(NAME_PREFIX_CONTEXT_KEY);
  return typeof prefix === "string" && prefix.length > 0 ? prefix : undefined;
}

export interface PhysicalNameOptions {
  /** AWS's limit for this kind of name (for a `name_prefix`: the prefix's limit). */
  readonly maxLength: number;
  /** Characters to drop from each part. @default /[^A-Za-z0-9_-]/g */
  readonly disallowed?: RegExp;
  /** Lower-case the result (ECR repositories, S3 buckets). @default false */
  readonly lowercase?: boolean;
}

/**
 * The physical name of a construct: the stack's name prefix
 * (`<project>-<environment>`, when the stack set one), the stack id and the
 * construct ids below it, joined by `-`, e.g.
 * `aws-course-dev-bashoutter-FunctionCreate`. Characters outside the
 * allowed set are dropped from each part. A name longer than `maxLength`
 * keeps its start and ends with `-` and 8 hex characters of a hash of the
 * whole name ({@link limitName}), so two long names still differ (a plain cut would make
 * `...-prod-a` and `...-prod-b` collide).
 */
export function physicalName(c: Construct, options: PhysicalNameOptions): string {
  const disallowed = options.disallowed ?? /[^A-Za-z0-9_-]/g;
  const parts = [namePrefixOf(c), ...c.node.scopes.slice(1).map((s) => s.node.id)]
    .filter((p): p is string => p !== undefined)
    .map((p) => p.replace(disallowed, ""))
    .filter((p) => p.length > 0);
  const full = parts.join("-");
  return limitName(options.lowercase ? full.toLowerCase() : full, options.maxLength);
}

/**
 * `name` if it fits in `maxLength`, else its start, `-` and 8 hex characters
 * of its SHA-256 (trailing `-`/`_`/`.` of the cut start dropped): unique and
 * stable, within AWS's limit.
 */
export function limitName(name: string, maxLength: number): string {
  if (name.length <= maxLength) return name;
  if (maxLength < 10) throw new Error(`limitName: maxLength (${maxLength}) must be at least 10 to fit a hash`);
  const hash = crypto.createHash("sha256").update(name).digest("hex").slice(0, 8);
  return `${name.slice(0, maxLength - 9).replace(/[-_.]+$/, "")}-${hash}`;
}
