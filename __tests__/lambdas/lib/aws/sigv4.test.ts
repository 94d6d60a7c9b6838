import { createHash, createHmac } from "crypto";
import { SignatureV4 } from "@smithy/signature-v4";
import { signRequest, SignableRequest } from "../../../../lambdas/lib/aws/sigv4";
import type { Credentials } from "../../../../lambdas/lib/aws/credentials";

const bytes = (d: ArrayBuffer | ArrayBufferView) => (ArrayBuffer.isView(d) ? new Uint8Array(d.buffer, d.byteOffset, d.byteLength) : new Uint8Array(d));

/** node:crypto as the `sha256` constructor @smithy/signature-v4 takes (what @smithy/hash-node does). */
class Sha256 {
  private readonly h: ReturnType<typeof createHash> | ReturnType<typeof createHmac>;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.h = secret === undefined ? createHash("sha256") : createHmac("sha256", typeof secret === "string" ? secret : bytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.h.update(typeof data === "string" ? data : bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.h.digest());
  }
}

const NOW = new Date("2026-03-04T05:06:07.890Z");
const KEYS: Credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };

/** What the AWS SDK v3's signer sends for the same request (its defaults, as the SDK clients use it). */
async function smithy(req: SignableRequest, credentials: Credentials, region: string, service: string): Promise<Record<string, string>> {
  const [hostname, port] = req.host.split(":");
  const signer = new SignatureV4({ credentials, region, service, sha256: Sha256 });
  const signed = await signer.sign(
    { method: req.method, protocol: "https:", hostname, port: port ? Number(port) : undefined, path: req.path, query: req.query as Record<string, string | string[]>, headers: { ...req.headers, host: req.host }, body: req.body },
    { signingDate: NOW },
  );
  return signed.headers as Record<string, string>;
}

const CASES: [string, SignableRequest, Credentials, string, string][] = [
  [
    "a DynamoDB JSON POST",
    {
      method: "POST",
      host: "dynamodb.ap-northeast-1.amazonaws.com",
      path: "/",
      headers: { "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "DynamoDB_20120810.PutItem", "content-length": "61" },
      body: '{"TableName":"haiku","Item":{"item_id":{"S":"古池や 🐸"},"likes":{"N":"0"}}}',
    },
    KEYS,
    "ap-northeast-1",
    "dynamodb",
  ],
  [
    "an Auto Scaling form POST with a session token",
    {
      method: "POST",
      host: "autoscaling.eu-west-1.amazonaws.com",
      path: "/",
      headers: { "Content-Type": "application/x-www-form-urlencoded; charset=utf-8", "User-Agent": "not signed", "X-Amzn-Trace-Id": "Root=1-abc" },
      body: "Action=DetachInstances&Version=2011-01-01&AutoScalingGroupName=fleet%20spot&InstanceIds.member.1=i-0123456789abcdef0&ShouldDecrementDesiredCapacity=false",
    },
    { ...KEYS, sessionToken: "IQoJb3JpZ2luX2VjEXAMPLE//+token==" },
    "eu-west-1",
    "autoscaling",
  ],
  [
    "a GET with a query string (repeated keys, reserved characters), a port and a path to normalize",
    {
      method: "GET",
      host: "127.0.0.1:4566",
      path: "/a/./b/../c d/é/",
      query: { "Prefix": "x y/z*", "list-type": "2", b: ["2", "1"], "~tilde": "(!)" },
      headers: { "X-Custom": "  spaced   value ", Connection: "keep-alive" },
      body: "",
    },
    { ...KEYS, sessionToken: "token" },
    "us-east-1",
    "execute-api",
  ],
];

describe("SigV4 (lambdas/lib/aws/sigv4.ts)", () => {
  test.each(CASES)("signs %s exactly as @smithy/signature-v4", async (_name, req, credentials, region, service) => {
    const ours = signRequest(req, credentials, region, service, NOW);
    const theirs = await smithy(req, credentials, region, service);
    expect(ours.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20260304\/[a-z0-9-]+\/[a-z-]+\/aws4_request, SignedHeaders=\S+, Signature=[0-9a-f]{64}$/);
    expect(ours.authorization).toBe(theirs.authorization);
    expect(ours["x-amz-date"]).toBe("20260304T050607Z");
    expect(ours["x-amz-date"]).toBe(theirs["x-amz-date"]);
    expect(ours["x-amz-content-sha256"]).toBe(theirs["x-amz-content-sha256"]);
    expect(ours["x-amz-security-token"]).toBe(theirs["x-amz-security-token"]);
  });

  test("the signature covers the body, the target, the token and the date (a change gives another signature)", () => {
    const [, req, credentials, region, service] = CASES[0];
    const base = signRequest(req, credentials, region, service, NOW).authorization;
    const variants = [
      signRequest({ ...req, body: req.body.replace("0", "1") }, credentials, region, service, NOW),
      signRequest({ ...req, headers: { ...req.headers, "X-Amz-Target": "DynamoDB_20120810.DeleteItem" } }, credentials, region, service, NOW),
      signRequest(req, { ...credentials, sessionToken: "t" }, region, service, NOW),
      signRequest(req, credentials, region, service, new Date(NOW.getTime() + 1000)),
      signRequest(req, credentials, "us-east-1", service, NOW),
    ].map((h) => h.authorization);
    expect(new Set([base, ...variants]).size).toBe(6);
  });

  test("leaves user-agent and hop-by-hop headers unsigned", () => {
    const [, req, credentials, region, service] = CASES[1];
    const signedHeaders = /SignedHeaders=([^,]+)/.exec(signRequest(req, credentials, region, service, NOW).authorization)![1].split(";");
    expect(signedHeaders).toEqual(["content-type", "host", "x-amz-content-sha256", "x-amz-date", "x-amz-security-token"]);
  });
});
