/**
 * Credentials of the small AWS client: the Lambda runtime's environment
 * variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN),
 * which the runtime sets from the function's role before the handler runs
 * and renews with each new execution environment. No profile, SSO, IMDS or
 * container endpoint: Lambda never needs them, and each would cost load
 * time. The dev server and the tests set the same variables.
 */

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Set for temporary credentials (always, in Lambda). */
  readonly sessionToken?: string;
}

/** The credentials in `env`; throws naming the missing variables. */
export function credentialsFromEnv(env: NodeJS.ProcessEnv = process.env): Credentials {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) {
    const missing = [!accessKeyId && "AWS_ACCESS_KEY_ID", !secretAccessKey && "AWS_SECRET_ACCESS_KEY"].filter(Boolean).join(" and ");
    throw new Error(
      `${missing} not set: lambdas/lib/aws reads credentials from the environment only (the Lambda runtime sets them from the function's role; locally, npm run dev sets dummy ones)`,
    );
  }
  return { accessKeyId, secretAccessKey, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) };
}
