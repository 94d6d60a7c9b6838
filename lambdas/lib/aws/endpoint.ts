/**
 * Where a request goes, as the AWS SDK v3 resolves it from the environment:
 * `AWS_ENDPOINT_URL_<SERVICE_ID>` (e.g. `AWS_ENDPOINT_URL_DYNAMODB`,
 * `AWS_ENDPOINT_URL_AUTO_SCALING`), else `AWS_ENDPOINT_URL`, unless
 * `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`; else the service's regional
 * endpoint `https://<endpointPrefix>.<region>.amazonaws.com` (`.com.cn` in
 * the China regions). The region is `AWS_REGION`, which Lambda always sets.
 * http:// endpoints are allowed (dynalite, a stub server on 127.0.0.1).
 */

/** Region from the options or `AWS_REGION`; throws when neither is set. */
export function resolveRegion(region: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const r = region ?? env.AWS_REGION;
  if (!r) throw new Error("AWS_REGION is not set (the Lambda runtime sets it; locally, npm run dev does)");
  return r;
}

/**
 * The endpoint URL: `explicit`, else the configured one for `serviceId`
 * (upper case, `_` for spaces: `DYNAMODB`, `AUTO_SCALING`), else
 * `https://<endpointPrefix>.<region>.amazonaws.com`.
 */
export function resolveEndpoint(serviceId: string, endpointPrefix: string, region: string, explicit?: string, env: NodeJS.ProcessEnv = process.env): URL {
  const configured = env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS === "true" ? undefined : env[`AWS_ENDPOINT_URL_${serviceId}`] || env.AWS_ENDPOINT_URL;
  const raw = explicit ?? configured ?? `https://${endpointPrefix}.${region}.amazonaws.com${region.startsWith("cn-") ? ".cn" : ""}`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`endpoint (${raw}) is not a URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error(`endpoint (${raw}) must be an http:// or https:// URL`);
  return url;
}
