import { z } from "zod";
import { ipv4CidrProblem } from "../modules/network/cidr";
import { instanceTypeProblem } from "../modules/compute/instance-type";
import { REGION_ID, regionProblem } from "../modules/core/regions";
import { retentionProblem } from "../modules/core/log-retention";
import { imageReferenceProblem } from "../modules/containers/container-image";
import { spotMaxPriceProblem } from "../modules/compute/launch-template";
import { deepLearningParameterProblem, pytorchVersionProblem } from "../modules/compute/machine-image";
import { tagKeyProblem, tagValueProblem } from "../modules/core/tags";

/** Field types shared by the config schema and the per-stack settings. */

/** The shape of a region id; whether the region exists is checked with `allowUnknownRegion` in mind (config/cross-checks.ts). */
export const AWS_REGION = REGION_ID;

/** A string field checked by one of the modules' `...Problem` functions (the rule stays in the module). */
function checkedString(problem: (value: string) => string | undefined) {
  return z.string().superRefine((value, ctx) => {
    const message = problem(value);
    if (message) ctx.addIssue({ code: "custom", message });
  });
}

/** A region id's shape, with "did you mean"; the known-region list is checked across the whole config (allowUnknownRegion). */
export const region = checkedString((value) => (REGION_ID.test(value) ? undefined : regionProblem(value)));

export const ipv4Cidr = checkedString(ipv4CidrProblem);

export const instanceType = checkedString(instanceTypeProblem);

/** Days of CloudWatch Logs retention: one of the values CloudWatch accepts. */
export const logRetentionDays = z
  .number()
  .int()
  .superRefine((days, ctx) => {
    const message = retentionProblem(days);
    if (message) ctx.addIssue({ code: "custom", message });
  });

/** A container image reference registries accept (lower-case repository names). */
export const containerImage = checkedString(imageReferenceProblem);

/** A Spot maximum price in USD per hour, above 0. */
export const spotMaxPrice = checkedString(spotMaxPriceProblem);

/** A PyTorch version with a published DLAMI SSM parameter. */
export const pytorchVersion = checkedString(pytorchVersionProblem);

/** A full DLAMI SSM parameter path (the escape hatch for images newer than the known versions). */
export const dlamiParameter = checkedString(deepLearningParameterProblem);

/**
 * Extra tags: AWS's key and value rules, each problem reported at
 * `tags.<key>`. The count limit and the project's own keys are checked
 * across the whole config (config/cross-checks.ts).
 */
export const extraTags = z.record(z.string(), z.string()).superRefine((tags, ctx) => {
  for (const [key, value] of Object.entries(tags)) {
    const message = tagKeyProblem(key) ?? tagValueProblem(value);
    if (message) ctx.addIssue({ code: "custom", path: [key], message: message.replace(/^is a tag key/, `has a tag key ("${key}")`) });
  }
});

/** S3 bucket naming rules (general purpose buckets). */
export const bucketName = z
  .string()
  .min(3, { message: "must be 3 to 63 characters" })
  .max(63, { message: "must be 3 to 63 characters" })
  .regex(/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/, {
    message: "may hold only lowercase letters, digits, dots and hyphens, and must start and end with a letter or digit",
  })
  .refine((v) => !/\.\.|^\d+\.\d+\.\d+\.\d+$|^xn--|-s3alias$|--ol-s3$/.test(v), {
    message: "breaks an S3 naming rule (no '..', no IP-address form, no reserved prefix or suffix)",
  });

/** A value that becomes part of resource names and the state key. */
export const environmentName = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,15}$/, { message: "must be 1-16 lowercase letters, digits or hyphens, starting with a letter" });
