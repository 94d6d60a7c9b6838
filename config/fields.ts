import { z } from "zod";
import { ipv4CidrProblem } from "../modules/network/cidr";
import { instanceTypeProblem } from "../modules/compute/instance-type";

/** Field types shared by the config schema and the per-stack settings. */

export const AWS_REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;

export const region = z.string().regex(AWS_REGION, { message: "is not an AWS region like ap-northeast-1" });

export const ipv4Cidr = z.string().superRefine((value, ctx) => {
  const problem = ipv4CidrProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

export const instanceType = z.string().superRefine((value, ctx) => {
  const problem = instanceTypeProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
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
