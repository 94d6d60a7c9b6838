import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { Construct } from "constructs";
import { physicalName } from "../core/names";
import { AssetType, Fn, TerraformAsset } from "cdktf";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketWebsiteConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-website-configuration";
import { S3Object } from "@cdktf/provider-aws/lib/s3-object";
import { CloudfrontOriginAccessControl } from "@cdktf/provider-aws/lib/cloudfront-origin-access-control";
import { CloudfrontDistribution } from "@cdktf/provider-aws/lib/cloudfront-distribution";
import { SecureBucket } from "../storage/secure-bucket";
import { suppress } from "../policy/suppress";
import { CACHE_NO_CACHE, cacheControlOf, contentTypeOf } from "./content-types";

/** How the site is served. */
export enum StaticSiteMode {
  /** Private bucket, CloudFront with Origin Access Control, HTTPS only. */
  CLOUDFRONT = "cloudfront",
  /** The course's S3 website endpoint: public-read bucket, HTTP only, no CDN. */
  PUBLIC_WEBSITE = "public-website",
}

/** Private bucket behind CloudFront, HTTPS. */
export const DEFAULT_STATIC_SITE_MODE = StaticSiteMode.CLOUDFRONT;

/** CloudFront price classes: where the content is cached (and what it costs). */
export const PRICE_CLASSES = ["PriceClass_100", "PriceClass_200", "PriceClass_All"] as const;
export type PriceClass = (typeof PRICE_CLASSES)[number];

/** PriceClass_200 includes Japan. */
export const DEFAULT_PRICE_CLASS: PriceClass = "PriceClass_200";

/** AWS managed CloudFront policies (fixed ids, no lookup needed, so plans stay offline). */
export const MANAGED_CACHE_POLICY_CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6";
export const MANAGED_RESPONSE_HEADERS_SECURITY_HEADERS = "67f7725c-6f97-4210-82d7-5512b31e9d03";
/** The minimum viewer TLS version (applies with a custom certificate; see {@link StaticSiteProps.certificateArn}). */
export const MINIMUM_TLS_VERSION = "TLSv1.2_2021";

export interface StaticSiteProps {
  /** Folder of built files (e.g. site/dist); every file becomes an object, sub-folders included. */
  readonly sourceDir: string;
  /**
   * Serving mode.
   * @default StaticSiteMode.CLOUDFRONT - private bucket behind CloudFront (HTTPS, compression, CDN).
   * `PUBLIC_WEBSITE` reproduces the course (public-read bucket, `http://` website endpoint) and is
   * recorded as a policy suppression with the reason.
   */
  readonly mode?: StaticSiteMode;
  /**
   * Values written to `config.json` next to `index.html` (may hold tokens, e.g. the API URL).
   * @default no config.json
   */
  readonly config?: Record<string, string>;
  /**
   * Short name for the bucket prefix and the OAC name (lowercase, digits, hyphens, at most 30).
   * @default from the stack's name prefix and the construct path, e.g. `aws-course-dev-bashoutter-site`
   */
  readonly name?: string;
  /**
   * Edge locations used. Cost: PriceClass_100 (North America, Europe) has the lowest
   * per-GB price; Asia (the course is in Tokyo) needs PriceClass_200.
   * @default "PriceClass_200"
   */
  readonly priceClass?: PriceClass;
  /**
   * ACM certificate (us-east-1) for `domainNames`. Without one the distribution uses the
   * `*.cloudfront.net` certificate, for which CloudFront itself fixes the security policy
   * (TLSv1 is still negotiable there); `TLSv1.2_2021` is enforced once a certificate is given.
   * @default the CloudFront default certificate
   */
  readonly certificateArn?: string;
  /** Custom domain names (need `certificateArn`). @default none */
  readonly domainNames?: readonly string[];
  /** The default object for `/`. @default "index.html" */
  readonly indexDocument?: string;
}

/**
 * A static web site from a folder of built files.
 *
 * Default: a private S3 bucket (public access blocked, SSE-S3, bucket owner
 * enforced, TLS-only policy) read only by one CloudFront distribution through
 * Origin Access Control (the bucket's REST endpoint - an S3 *website*
 * endpoint cannot use OAC), viewers redirected to HTTPS, compression on,
 * `index.html` as the default root object, AWS managed security headers.
 *
 * Files: one `aws_s3_object` per file with its Content-Type, Cache-Control
 * (content-hashed assets immutable for a year, everything else `no-cache`)
 * and `source_hash` from the contents, so a changed file is re-uploaded and a
 * file missing from the folder is deleted on the next apply.
 *
 * Cost: S3 storage and requests (cents for a small site); CloudFront has a
 * free tier of 1 TB/month out and 10M requests; nothing billable remains after
 * destroy (`force_destroy` on the bucket).
 */
export class StaticSite extends Construct {
  readonly bucket: S3Bucket;
  readonly distribution?: CloudfrontDistribution;
  readonly mode: StaticSiteMode;
  /** The files uploaded (keys, sorted), config.json included. */
  readonly keys: readonly string[];
  private readonly urlValue: string;

  constructor(scope: Construct, id: string, props: StaticSiteProps) {
    super(scope, id);
    const mode = props.mode ?? DEFAULT_STATIC_SITE_MODE;
    const name = props.name ?? physicalName(this, { maxLength: 30, lowercase: true, disallowed: /[^A-Za-z0-9-]/g });
    const priceClass = props.priceClass ?? DEFAULT_PRICE_CLASS;
    const indexDocument = props.indexDocument ?? "index.html";
    const domainNames = props.domainNames ?? [];

    // Validate first.
    if (!Object.values(StaticSiteMode).includes(mode)) throw new Error(`mode (${mode}) must be one of ${Object.values(StaticSiteMode).join(", ")}`);
    if (!/^[a-z0-9][a-z0-9-]{0,29}$/.test(name)) throw new Error(`name (${name}) must be 1-30 lowercase letters, digits or hyphens`);
    if (!fs.existsSync(props.sourceDir) || !fs.statSync(props.sourceDir).isDirectory()) {
      throw new Error(`sourceDir (${props.sourceDir}) is not a folder: build the site first`);
    }
    const files = listFiles(props.sourceDir);
    if (!files.includes(indexDocument)) throw new Error(`sourceDir (${props.sourceDir}) has no ${indexDocument} (indexDocument)`);
    if (props.config && files.includes("config.json")) throw new Error(`sourceDir (${props.sourceDir}) already has a config.json; config would overwrite it`);
    if (domainNames.length && !props.certificateArn) throw new Error(`domainNames (${domainNames.join(", ")}) need a certificateArn`);
    if (mode === StaticSiteMode.PUBLIC_WEBSITE && (props.certificateArn || domainNames.length)) {
      throw new Error(`certificateArn/domainNames need mode ${StaticSiteMode.CLOUDFRONT} (an S3 website endpoint serves HTTP only)`);
    }

    this.mode = mode;
    const isPublic = mode === StaticSiteMode.PUBLIC_WEBSITE;
    // Id "Default": the bucket's parts keep the addresses of this construct's own children (Site_Bucket_..., Site_Policy_...).
    const storage = new SecureBucket(this, "Default", {
      bucketPrefix: `${name}-`,
      forceDestroy: true,
      publicWebsite: isPublic,
      policyAfterPublicAccessBlock: true,
    });
    this.bucket = storage.bucket;
    const publicAccessBlock = storage.publicAccessBlock;
    suppress(
      this.bucket,
      "S3-ACCESS-LOGGING",
      "the bucket holds only the built site, uploaded by this stack (aws_s3_object) and rebuilt on apply; server access logs would need a second bucket and, behind CloudFront, record only CloudFront's own reads",
    );

    if (isPublic) {
      const website = new S3BucketWebsiteConfiguration(this, "Website", { bucket: this.bucket.id, indexDocument: { suffix: indexDocument } });
      storage.addToResourcePolicy({
        sid: "PublicReadForWebsite",
        effect: "Allow",
        actions: ["s3:GetObject"],
        principals: [{ type: "*", identifiers: ["*"] }],
        resources: [`${this.bucket.arn}/*`],
      });
      this.urlValue = `http://${website.websiteEndpoint}`;
      const reason = "mode public-website: the course's public S3 website endpoint, chosen explicitly (StaticSiteMode.PUBLIC_WEBSITE)";
      suppress(publicAccessBlock, "S3-PUBLIC-ACCESS-BLOCK", reason);
      suppress(this.bucket, "S3-PUBLIC-ACCESS-BLOCK", reason);
      // A Deny on aws:SecureTransport=false would refuse every website request (the endpoint is HTTP only).
      suppress(this.bucket, "S3-TLS-ONLY", "mode public-website: S3 website endpoints serve plain HTTP only; use the default CloudFront mode for HTTPS");
    } else {
      const oac = new CloudfrontOriginAccessControl(this, "OriginAccessControl", {
        name: `${name}-${crypto.createHash("sha256").update(this.node.path).digest("hex").slice(0, 12)}`,
        description: `Lets CloudFront read ${this.node.path}'s bucket`,
        originAccessControlOriginType: "s3",
        signingBehavior: "always",
        signingProtocol: "sigv4",
      });
      const originId = "s3-site";
      this.distribution = new CloudfrontDistribution(this, "Distribution", {
        enabled: true,
        isIpv6Enabled: true,
        httpVersion: "http2and3",
        comment: `${this.node.path} (static site)`,
        defaultRootObject: indexDocument,
        priceClass,
        aliases: domainNames.length ? [...domainNames] : undefined,
        origin: [{ originId, domainName: this.bucket.bucketRegionalDomainName, originAccessControlId: oac.id }],
        defaultCacheBehavior: {
          targetOriginId: originId,
          viewerProtocolPolicy: "redirect-to-https",
          allowedMethods: ["GET", "HEAD"],
          cachedMethods: ["GET", "HEAD"],
          compress: true,
          cachePolicyId: MANAGED_CACHE_POLICY_CACHING_OPTIMIZED,
          responseHeadersPolicyId: MANAGED_RESPONSE_HEADERS_SECURITY_HEADERS,
        },
        restrictions: { geoRestriction: { restrictionType: "none" } },
        viewerCertificate: props.certificateArn
          ? { acmCertificateArn: props.certificateArn, sslSupportMethod: "sni-only", minimumProtocolVersion: MINIMUM_TLS_VERSION }
          : // With the default *.cloudfront.net certificate AWS ignores minimum_protocol_version
            // (it stays TLSv1) and terraform would show a change on every plan: leave it unset.
            { cloudfrontDefaultCertificate: true },
      });
      suppress(
        this.distribution,
        "CLOUDFRONT-ACCESS-LOGS",
        "standard logs need a log bucket with ACLs enabled (awslogsdelivery writes with an ACL), which the buckets' BucketOwnerEnforced setting refuses; CloudFront's free request metrics cover a course site",
      );
      storage.addToResourcePolicy({
        sid: "CloudFrontReadOnlyThisDistribution",
        effect: "Allow",
        actions: ["s3:GetObject"],
        principals: [{ type: "Service", identifiers: ["cloudfront.amazonaws.com"] }],
        resources: [`${this.bucket.arn}/*`],
        condition: [{ test: "StringEquals", variable: "AWS:SourceArn", values: [this.distribution.arn] }],
      });
      this.urlValue = `https://${domainNames[0] ?? this.distribution.domainName}`;
    }

    // One object per file; ids derive from the key so an unchanged file keeps its address.
    const objects = new Construct(this, "Files");
    for (const key of files) {
      const file = path.join(props.sourceDir, key);
      const asset = new TerraformAsset(objects, `Asset_${objectId(key)}`, { path: path.resolve(file), type: AssetType.FILE });
      new S3Object(objects, objectId(key), {
        bucket: this.bucket.id,
        key,
        source: asset.path,
        sourceHash: crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex"),
        contentType: contentTypeOf(key),
        cacheControl: cacheControlOf(path.basename(key)),
      });
    }
    if (props.config) {
      new S3Object(objects, "config_json", {
        bucket: this.bucket.id,
        key: "config.json",
        content: Fn.jsonencode(props.config),
        contentType: contentTypeOf("config.json"),
        cacheControl: CACHE_NO_CACHE,
      });
    }
    this.keys = [...files, ...(props.config ? ["config.json"] : [])].sort();
  }

  /** `https://<distribution>.cloudfront.net` (or the first domain name); `http://<website endpoint>` in public-website mode. */
  get url(): string {
    return this.urlValue;
  }

  get bucketName(): string {
    return this.bucket.bucket;
  }
}

function objectId(key: string): string {
  return key.replace(/[^A-Za-z0-9]/g, "_");
}

/** Files under `dir`, relative with `/` separators, sorted (deterministic synth). */
function listFiles(dir: string, prefix = ""): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(dir, rel));
    else if (entry.isFile()) out.push(rel);
  }
  return out.sort();
}
