/** The SDK's own switch for its Node version warning (@aws-sdk/core, `emitWarningIfUnsupportedVersion`). */
export const SDK_NODE_WARNING_SWITCH = "AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED";

/** Node majors package.json's `engines` (>=20) accepts and the pinned SDK warns about (it wants >=22). */
const SUPPORTED_BELOW_SDK_WISH = [20, 21];

/**
 * AWS SDK v3 prints an 8-line `NodeVersionSupportWarning` when a process
 * creates its first client under Node < 22 (SDK releases after January 2027
 * will need Node 22; @aws-sdk/core dist-cjs/submodules/client/index.js).
 * This project runs its local tools on Node >= 20 on purpose, with the SDK
 * pinned, and its Lambdas on nodejs22.x, so on Node 20/21 the warning is
 * noise on every start of the CLI, the dev server and `npm run local:dynamodb`.
 * The SDK's own variable silences exactly that warning and nothing else;
 * a value the user set wins. Call before the first client is created.
 */
export function quietSdkNodeVersionWarning(env: NodeJS.ProcessEnv = process.env, version: string = process.version): void {
  const major = Number(/^v(\d+)\./.exec(version)?.[1]);
  if (SUPPORTED_BELOW_SDK_WISH.includes(major)) env[SDK_NODE_WARNING_SWITCH] ??= "true";
}
