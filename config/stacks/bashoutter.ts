import { z } from "zod";
import { DEFAULT_LOG_RETENTION_DAYS } from "../../modules/core/log-retention";
import { logRetentionDays } from "../fields";
import { DEFAULT_PRICE_CLASS, DEFAULT_STATIC_SITE_MODE, PRICE_CLASSES, StaticSiteMode } from "../../modules/cdn/static-site";
import { DEFAULT_MANAGE_ACCOUNT_LOGGING_ROLE, DEFAULT_THROTTLE } from "../../modules/api/rest-api";
import { DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_SECONDS } from "../../modules/serverless/function";
import { DEFAULT_TABLE_DELETION_PROTECTION } from "../../modules/storage/table";
import { DEFAULT_WRITE_THROTTLE } from "./bashoutter-defaults";

/** `stacks.bashoutter`: the haiku SNS (SPEC section 5, issue #4). */
export const BashoutterSettings = z
  .object({
    /**
     * `cloudfront`: private bucket behind CloudFront, HTTPS (default).
     * `public-website`: the course's public S3 website endpoint (HTTP only).
     */
    siteMode: z.enum(StaticSiteMode).default(DEFAULT_STATIC_SITE_MODE),
    /**
     * Serve the site on your own domain with an ACM certificate (in us-east-1), so CloudFront
     * enforces TLS 1.2+. Without it the *.cloudfront.net certificate is used (its TLS floor is
     * fixed by CloudFront; the CLOUDFRONT-TLS12 finding is suppressed with that reason).
     * You point the domain's DNS (CNAME/alias) at the distribution yourself.
     */
    customDomain: z
      .object({
        domainName: z.string().regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, { message: "is not a lower-case host name like haiku.example.com" }),
        certificateArn: z.string().regex(/^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[A-Za-z0-9-]+$/, {
          message: "must be an ACM certificate ARN in us-east-1 (CloudFront reads certificates only there)",
        }),
      })
      .strict()
      .optional(),
    /** CloudFront edge locations; PriceClass_200 includes Japan. */
    priceClass: z.enum(PRICE_CLASSES).default(DEFAULT_PRICE_CLASS),
    /** API stage throttling for every method (clients get 429 beyond it). */
    throttle: z
      .object({
        /** Steady requests per second. */
        rateLimit: z.number().positive().max(10000).default(DEFAULT_THROTTLE.rateLimit),
        /** Burst bucket size. */
        burstLimit: z.number().int().min(1).max(5000).default(DEFAULT_THROTTLE.burstLimit),
      })
      .strict()
      .prefault({}),
    /**
     * Throttling of each write anyone can repeat - `POST /haiku` and `PATCH /haiku/{item_id}` -
     * as method settings of the stage (429 with a JSON description beyond it). API Gateway
     * counts every client together per method (per-client limits need API keys or WAF); the
     * dev server applies the same numbers per client address. Ignored with `openWrites`.
     */
    writeThrottle: z
      .object({
        /** Steady requests per second, per method. */
        rateLimit: z.number().positive().max(10000).default(DEFAULT_WRITE_THROTTLE.rateLimit), // the stack's choice, per write method
        /** Burst bucket size, per method. */
        burstLimit: z.number().int().min(1).max(5000).default(DEFAULT_WRITE_THROTTLE.burstLimit), // the stack's choice, per write method
      })
      .strict()
      .prefault({}),
    /**
     * The course's behaviour: anyone deletes any haiku without its delete token, and no
     * write throttle beyond `throttle`. POST still returns a token. Default false: DELETE
     * needs the token POST returned (or the IAM-signed admin route), writes are throttled.
     */
    openWrites: z.boolean().default(false),
    /** Lambda memory (MB) of each route's function; the course used the default 128. */
    functionMemorySize: z.number().int().min(128).max(10240).default(DEFAULT_MEMORY_MB),
    /** Lambda timeout (s) of each route's function. */
    functionTimeout: z.number().int().min(1).max(29).default(DEFAULT_TIMEOUT_SECONDS),
    /** Retention of the functions' and the API's access logs. */
    logRetentionDays: logRetentionDays.default(DEFAULT_LOG_RETENTION_DAYS),
    /**
     * Set the account/region-wide API Gateway CloudWatch role (needed for access logs).
     * Set false when another stack in the same account and region manages it.
     */
    manageApiGatewayAccount: z.boolean().default(DEFAULT_MANAGE_ACCOUNT_LOGGING_ROLE),
    /**
     * Refuse deleting the haiku table (free). On: people's haiku should not vanish with one
     * command. To tear the stack down, set false, apply, then destroy.
     */
    deletionProtection: z.boolean().default(DEFAULT_TABLE_DELETION_PROTECTION),
  })
  .strict()
  .superRefine((s, ctx) => {
    // A method's settings replace the stage's for that method: a write limit above the stage's would loosen it.
    for (const key of ["rateLimit", "burstLimit"] as const) {
      if (!s.openWrites && s.writeThrottle[key] > s.throttle[key]) {
        ctx.addIssue({ code: "custom", path: ["writeThrottle", key], message: `writeThrottle.${key} (${s.writeThrottle[key]}) must be <= throttle.${key} (${s.throttle[key]})` });
      }
    }
  });

export type BashoutterSettings = z.infer<typeof BashoutterSettings>;
