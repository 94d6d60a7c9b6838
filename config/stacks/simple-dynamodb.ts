import { z } from "zod";
import { BILLING_MODES, DEFAULT_BILLING_MODE, DEFAULT_POINT_IN_TIME_RECOVERY, COURSE_TABLE_DELETION_PROTECTION } from "../../modules/storage/table";

/** `stacks.simpleDynamodb`: the course's DynamoDB table (SPEC section 4). Defaults are the course's choices. */
export const SimpleDynamodbSettings = z
  .object({
    /** On-demand (the course; nothing billed while idle) or provisioned capacity. */
    billingMode: z.enum(BILLING_MODES).default(DEFAULT_BILLING_MODE),
    /** PROVISIONED only: read / write capacity units. */
    readCapacity: z.number().int().min(1).optional(),
    writeCapacity: z.number().int().min(1).optional(),
    /** Point-in-time recovery (35 days of restores; ~0.23 USD per GB-month). */
    pointInTimeRecovery: z.boolean().default(DEFAULT_POINT_IN_TIME_RECOVERY),
    /** Refuse deletion (and `cdktf destroy`) until turned off. Off: the course removes the table with the stack. */
    deletionProtection: z.boolean().default(COURSE_TABLE_DELETION_PROTECTION),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.billingMode === "PAY_PER_REQUEST" && (s.readCapacity !== undefined || s.writeCapacity !== undefined)) {
      ctx.addIssue({ code: "custom", path: ["readCapacity"], message: 'applies only to billingMode "PROVISIONED"' });
    }
  });

export type SimpleDynamodbSettings = z.infer<typeof SimpleDynamodbSettings>;
