import { DynamoDB } from "../../../../lambdas/lib/aws/dynamodb";
import { AwsError } from "../../../../lambdas/lib/aws/errors";
import { resolveEndpoint, resolveRegion } from "../../../../lambdas/lib/aws/endpoint";
import { credentialsFromEnv } from "../../../../lambdas/lib/aws/credentials";
import { backoffMs, isRetryable } from "../../../../lambdas/lib/aws/retry";
import { AwsClientOptions } from "../../../../lambdas/lib/aws/transport";
import { StubReply, StubServer, startStub } from "./stub-server";

/**
 * The transport through a real client (DynamoDB's, the simplest protocol) against a stub
 * on 127.0.0.1: retries, backoff, timeouts, errors, endpoint and credential resolution.
 */
let stub: StubServer;
const sleep = jest.fn(async (_ms: number) => undefined);
const clients: DynamoDB[] = [];

function client(options: AwsClientOptions = {}): DynamoDB {
  const c = new DynamoDB({ endpoint: stub.url, region: "ap-northeast-1", credentials: { accessKeyId: "k", secretAccessKey: "s" }, sleep, random: () => 0.5, ...options });
  clients.push(c);
  return c;
}

/** Replies in order, then the last one again. */
function replies(...list: StubReply[]) {
  let i = 0;
  stub.respond = () => list[Math.min(i++, list.length - 1)];
}

const ok: StubReply = { body: '{"Item":{"id":{"S":"a"}}}', headers: { "content-type": "application/x-amz-json-1.0" } };
const jsonError = (status: number, type: string, message: string): StubReply => ({
  status,
  body: JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message }),
  headers: { "x-amzn-requestid": `req-${type}` },
});
const get = (c: DynamoDB) => c.getItem({ TableName: "t", Key: { id: "a" } });

beforeAll(async () => {
  stub = await startStub();
});
afterAll(async () => {
  clients.forEach((c) => c.destroy());
  await stub.close();
});
beforeEach(() => {
  stub.requests.length = 0;
  sleep.mockClear();
});

describe("lib/aws transport: retries as the SDK's standard mode", () => {
  test("retries 5xx with full-jitter exponential backoff (base 100 ms), then succeeds", async () => {
    replies({ status: 500, body: "" }, { status: 503, body: "<html>busy</html>" }, ok);
    await expect(get(client())).resolves.toEqual({ Item: { id: "a" } });
    expect(stub.requests).toHaveLength(3);
    expect(sleep.mock.calls.map((c) => c[0])).toEqual([50, 100]); // random 0.5 * 100 * 2^(n-1)
  });

  test("retries throttling with the 500 ms base, and gives up after maxAttempts with AWS's error", async () => {
    replies(jsonError(400, "ProvisionedThroughputExceededException", "Rate of requests exceeds the allowed throughput"));
    const err = (await get(client({ maxAttempts: 4 })).catch((e: unknown) => e)) as AwsError;
    expect(err).toBeInstanceOf(AwsError);
    expect(err).toBeInstanceOf(Error);
    expect({ name: err.name, message: err.message, status: err.$metadata.httpStatusCode, attempts: err.$metadata.attempts, requestId: err.$metadata.requestId, fault: err.$fault }).toEqual({
      name: "ProvisionedThroughputExceededException",
      message: "Rate of requests exceeds the allowed throughput",
      status: 400,
      attempts: 4,
      requestId: "req-ProvisionedThroughputExceededException",
      fault: "client",
    });
    expect(stub.requests).toHaveLength(4);
    expect(sleep.mock.calls.map((c) => c[0])).toEqual([250, 500, 1000]);
  });

  test("does not retry a client error (ConditionalCheckFailedException): one request, the error named by its code", async () => {
    replies(jsonError(400, "ConditionalCheckFailedException", "The conditional request failed"));
    await expect(get(client())).rejects.toMatchObject({ name: "ConditionalCheckFailedException", message: "The conditional request failed", statusCode: 400 });
    expect(stub.requests).toHaveLength(1);
    expect(sleep).not.toHaveBeenCalled();
  });

  test("retries a dropped connection (network error), then succeeds", async () => {
    replies({ drop: true }, ok);
    await expect(get(client())).resolves.toEqual({ Item: { id: "a" } });
    expect(stub.requests).toHaveLength(2);
  });

  test("abandons an attempt after timeoutMs as a TimeoutError, retried up to maxAttempts", async () => {
    replies({ hang: true });
    const started = Date.now();
    await expect(get(client({ timeoutMs: 100, maxAttempts: 2 }))).rejects.toMatchObject({ name: "TimeoutError", message: expect.stringMatching(/GetItem: no response .* within 100 ms/) });
    expect(stub.requests).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test("names an unreadable error body by its status, and still retries a 5xx", async () => {
    replies({ status: 502, body: "<html>Bad Gateway</html>" });
    await expect(get(client({ maxAttempts: 2 }))).rejects.toMatchObject({ name: "UnknownError", message: expect.stringContaining("HTTP 502"), statusCode: 502, $fault: "server" });
    expect(stub.requests).toHaveLength(2);
  });

  test("reuses one kept-alive connection for consecutive calls", async () => {
    replies(ok);
    const c = client();
    await get(c);
    await get(c);
    await get(c);
    expect(new Set(stub.requests.map((r) => r.remotePort)).size).toBe(1);
  });

  test("backoff: full jitter, capped at 20 s; retryable: throttling, 5xx, timeouts, network errors only", () => {
    const throttled = new AwsError("Throttling", "x", { httpStatusCode: 400, attempts: 1 });
    const server = new AwsError("InternalServerError", "x", { httpStatusCode: 500, attempts: 1 });
    expect([1, 2, 3].map((n) => backoffMs(n, server, () => 0.999))).toEqual([99, 199, 399]);
    expect(backoffMs(30, throttled, () => 0.999)).toBe(19980);
    expect(backoffMs(3, throttled, () => 0)).toBe(0);
    expect(isRetryable(throttled)).toBe(true);
    expect(isRetryable(new AwsError("TooManyRequests", "x", { httpStatusCode: 429, attempts: 1 }))).toBe(true);
    expect(isRetryable(server)).toBe(true);
    expect(isRetryable(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }))).toBe(true);
    expect(isRetryable(new AwsError("ValidationException", "x", { httpStatusCode: 400, attempts: 1 }))).toBe(false);
    expect(isRetryable(new Error("bug"))).toBe(false);
  });

  test("refuses a maxAttempts below 1 and a non-positive timeout, naming the option", () => {
    expect(() => new DynamoDB({ maxAttempts: 0 })).toThrow(/maxAttempts \(0\)/);
    expect(() => new DynamoDB({ timeoutMs: 0 })).toThrow(/timeoutMs \(0\)/);
  });
});

describe("lib/aws endpoint, region and credentials from the environment", () => {
  test("AWS_ENDPOINT_URL_<SERVICE> beats AWS_ENDPOINT_URL, which beats the regional endpoint; AWS_IGNORE_CONFIGURED_ENDPOINT_URLS turns both off", () => {
    const env = { AWS_ENDPOINT_URL_DYNAMODB: "http://127.0.0.1:8000", AWS_ENDPOINT_URL: "http://127.0.0.1:4566" };
    expect(resolveEndpoint("DYNAMODB", "dynamodb", "eu-west-1", undefined, env).href).toBe("http://127.0.0.1:8000/");
    expect(resolveEndpoint("AUTO_SCALING", "autoscaling", "eu-west-1", undefined, env).href).toBe("http://127.0.0.1:4566/");
    expect(resolveEndpoint("AUTO_SCALING", "autoscaling", "eu-west-1", undefined, {}).href).toBe("https://autoscaling.eu-west-1.amazonaws.com/");
    expect(resolveEndpoint("DYNAMODB", "dynamodb", "cn-north-1", undefined, {}).href).toBe("https://dynamodb.cn-north-1.amazonaws.com.cn/");
    expect(resolveEndpoint("DYNAMODB", "dynamodb", "eu-west-1", undefined, { ...env, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "true" }).href).toBe("https://dynamodb.eu-west-1.amazonaws.com/");
    expect(resolveEndpoint("DYNAMODB", "dynamodb", "eu-west-1", "http://localhost:1", env).href).toBe("http://localhost:1/");
    expect(() => resolveEndpoint("DYNAMODB", "dynamodb", "eu-west-1", "ftp://x", {})).toThrow(/endpoint \(ftp:\/\/x\) must be an http/);
  });

  test("region from AWS_REGION, credentials from the runtime's variables, each a clear error when missing", () => {
    expect(resolveRegion(undefined, { AWS_REGION: "eu-west-1" })).toBe("eu-west-1");
    expect(() => resolveRegion(undefined, {})).toThrow(/AWS_REGION is not set/);
    expect(credentialsFromEnv({ AWS_ACCESS_KEY_ID: "a", AWS_SECRET_ACCESS_KEY: "b", AWS_SESSION_TOKEN: "c" })).toEqual({ accessKeyId: "a", secretAccessKey: "b", sessionToken: "c" });
    expect(credentialsFromEnv({ AWS_ACCESS_KEY_ID: "a", AWS_SECRET_ACCESS_KEY: "b" })).toEqual({ accessKeyId: "a", secretAccessKey: "b" });
    expect(() => credentialsFromEnv({ AWS_ACCESS_KEY_ID: "a" })).toThrow(/^AWS_SECRET_ACCESS_KEY not set: .*environment only/);
    expect(() => credentialsFromEnv({})).toThrow(/AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY not set/);
  });

  test("a client without options reads the environment at each call: endpoint, region, credentials, session token", async () => {
    const saved = { ...process.env };
    try {
      Object.assign(process.env, { AWS_REGION: "eu-central-1", AWS_ACCESS_KEY_ID: "ASIAENV", AWS_SECRET_ACCESS_KEY: "s", AWS_SESSION_TOKEN: "tok", AWS_ENDPOINT_URL_DYNAMODB: stub.url });
      replies(ok);
      const c = new DynamoDB();
      clients.push(c);
      await get(c);
      expect(stub.requests[0].headers.authorization).toMatch(/Credential=ASIAENV\/\d{8}\/eu-central-1\/dynamodb\/aws4_request/);
      expect(stub.requests[0].headers["x-amz-security-token"]).toBe("tok");
      delete process.env.AWS_SECRET_ACCESS_KEY;
      await expect(get(c)).rejects.toThrow(/AWS_SECRET_ACCESS_KEY not set/);
      expect(stub.requests).toHaveLength(1);
    } finally {
      process.env = saved;
    }
  });
});
