/**
 * Whether AWS credentials can be found, told without a network call, and
 * the one line that says what to do when they cannot: the commands that
 * need an account (`--online`, `cdktf diff|deploy|output`) print it above
 * terraform's own error.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** The offline command that answers the same question without an account. */
export function noCredentialsLine(what: string, offline: string): string {
  return `No AWS credentials found: ${what} needs an AWS account (set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY); without one, run ${offline} (offline, no account).`;
}

/**
 * Where the AWS SDK would look, checked locally: environment keys, a
 * profile, shared files, web identity, container and EC2 instance roles.
 * `false` means none of them is there.
 */
export function credentialsConfigured(env: NodeJS.ProcessEnv = process.env, home = os.homedir()): boolean {
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) return true;
  if (env.AWS_PROFILE || env.AWS_DEFAULT_PROFILE) return true;
  if (env.AWS_WEB_IDENTITY_TOKEN_FILE || env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI || env.AWS_CONTAINER_CREDENTIALS_FULL_URI) return true;
  const files = [env.AWS_SHARED_CREDENTIALS_FILE ?? path.join(home, ".aws", "credentials"), env.AWS_CONFIG_FILE ?? path.join(home, ".aws", "config")];
  if (files.some((f) => f !== "/dev/null" && isNonEmptyFile(f))) return true;
  return env.AWS_EC2_METADATA_DISABLED !== "true" && onEc2();
}

/** terraform's messages when the SDK found no usable credentials. */
export function isCredentialsError(text: string): boolean {
  return /no valid credential sources|failed to refresh cached credentials|NoCredentialProviders|no EC2 IMDS role found|InvalidClientTokenId|ExpiredToken|UnrecognizedClientException|could not load credentials|get identity: get credentials/i.test(text);
}

function isNonEmptyFile(f: string): boolean {
  try {
    return fs.statSync(f).size > 0;
  } catch {
    return false;
  }
}

/** An EC2 instance (whose instance role would provide credentials), known from local files only. */
function onEc2(): boolean {
  for (const f of ["/sys/hypervisor/uuid", "/sys/devices/virtual/dmi/id/board_asset_tag", "/sys/devices/virtual/dmi/id/sys_vendor"]) {
    try {
      const v = fs.readFileSync(f, "utf8").trim().toLowerCase();
      if (v.startsWith("ec2") || v.startsWith("i-") || v === "amazon ec2") return true;
    } catch {
      // not there
    }
  }
  return false;
}
