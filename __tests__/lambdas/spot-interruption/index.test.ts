import { isThrottling, makeHandler, parseEvent } from "../../../lambdas/spot-interruption";
import { AutoScaling } from "../../../lambdas/lib/aws/autoscaling";
import { AwsError } from "../../../lambdas/lib/aws/errors";
import { QueryResponder, StubServer, queryResultXml, startStub } from "../lib/aws/stub-server";

/**
 * The handler against a stub Auto Scaling endpoint on 127.0.0.1 (Query protocol):
 * the assertions read the form parameters exactly as they went over the wire.
 */
const INSTANCE_ID = "i-0123456789abcdef0";
const BASE = "aws-course-test-web-fleet-base";
const SPOT = "aws-course-test-web-fleet-spot";
const VERSION = "2011-01-01";

/** The EC2 Spot workshop's test event (SPEC section 7), with a real-looking instance id. */
const WORKSHOP_EVENT = JSON.parse(
  '{"version":"0","id":"92453ca5-5b23-219e-8003-ab7283ca016b","detail-type":"EC2 Spot Instance Interruption Warning",' +
    '"source":"aws.ec2","account":"123456789012","time":"2019-11-05T11:03:11Z","region":"eu-west-1",' +
    '"resources":["arn:aws:ec2:eu-west-1b:instance/<instance-id>"],"detail":{"instance-id":"<instance-id>","instance-action":"terminate"}}'
    .replace(/<instance-id>/g, INSTANCE_ID),
);

const asg = new QueryResponder();
let stub: StubServer;
let client: AutoScaling;
const logger = { log: jest.fn(), warn: jest.fn(), error: jest.fn() };
const sleep = jest.fn(async (_ms: number) => undefined);

beforeAll(async () => {
  stub = await startStub(asg.respond);
  // As the handler makes its own: no retries in the client (the handler retries throttling itself).
  client = new AutoScaling({ endpoint: stub.url, region: "eu-west-1", credentials: { accessKeyId: "x", secretAccessKey: "x" }, maxAttempts: 1 });
});
afterAll(async () => {
  client.destroy();
  await stub.close();
});

function handler(overrides: Parameters<typeof makeHandler>[0] = {}) {
  return makeHandler({ client, groupNames: [BASE, SPOT], logger, sleep, random: () => 0.5, ...overrides });
}

/** The form parameters of every request for `action`, in order. */
function calls(action: string): Record<string, string>[] {
  return stub.requests.map((r) => r.form).filter((f) => f.Action === action);
}

function membersXml(group: string, state: string): string {
  return `<AutoScalingInstances><member><InstanceId>${INSTANCE_ID}</InstanceId><AutoScalingGroupName>${group}</AutoScalingGroupName><AvailabilityZone>eu-west-1b</AvailabilityZone><LifecycleState>${state}</LifecycleState><HealthStatus>HEALTHY</HealthStatus><LaunchTemplate><LaunchTemplateId>lt-0123</LaunchTemplateId><Version>1</Version></LaunchTemplate><ProtectedFromScaleIn>false</ProtectedFromScaleIn></member></AutoScalingInstances>`;
}

function inGroup(group: string, state = "InService") {
  asg.on("DescribeAutoScalingInstances").replies({ body: queryResultXml("DescribeAutoScalingInstances", membersXml(group, state)) });
}

const detached = () => asg.on("DetachInstances").replies({ body: queryResultXml("DetachInstances", "<Activities><member><ActivityId>a-1</ActivityId></member></Activities>") });

beforeEach(() => {
  asg.reset();
  stub.requests.length = 0;
  jest.clearAllMocks();
});

describe("spot interruption handler", () => {
  test("detaches the workshop event's instance from its fleet group exactly once, keeping desired capacity", async () => {
    // GIVEN the instance is InService in the spot group
    inGroup(SPOT);
    detached();
    // WHEN the workshop's event arrives
    const outcome = await handler()(WORKSHOP_EVENT);
    // THEN one DetachInstances names that group and instance, without decrementing
    expect(calls("DescribeAutoScalingInstances")).toEqual([{ Action: "DescribeAutoScalingInstances", Version: VERSION, "InstanceIds.member.1": INSTANCE_ID }]);
    const detaches = calls("DetachInstances");
    expect(detaches).toHaveLength(1);
    expect(detaches[0]).toEqual({ Action: "DetachInstances", Version: VERSION, AutoScalingGroupName: SPOT, "InstanceIds.member.1": INSTANCE_ID, ShouldDecrementDesiredCapacity: "false" });
    expect(stub.requests.map((r) => r.method)).toEqual(["POST", "POST"]);
    expect(outcome).toEqual({ status: "detached", instanceId: INSTANCE_ID, groupName: SPOT, decremented: false });
  });

  test("decrements desired capacity when configured to", async () => {
    inGroup(SPOT);
    detached();
    await handler({ decrementDesiredCapacity: true })(WORKSHOP_EVENT);
    expect(calls("DetachInstances")[0].ShouldDecrementDesiredCapacity).toBe("true");
  });

  test("reads group names and the decrement flag from the environment", async () => {
    process.env.FLEET_GROUP_NAMES = ` ${BASE} , ${SPOT} `;
    process.env.DECREMENT_DESIRED_CAPACITY = "true";
    try {
      inGroup(BASE);
      detached();
      await makeHandler({ client, logger, sleep })(WORKSHOP_EVENT);
      expect(calls("DetachInstances")[0]).toMatchObject({ AutoScalingGroupName: BASE, ShouldDecrementDesiredCapacity: "true" });
    } finally {
      delete process.env.FLEET_GROUP_NAMES;
      delete process.env.DECREMENT_DESIRED_CAPACITY;
    }
  });

  test("makes no call for an instance in no Auto Scaling group", async () => {
    asg.on("DescribeAutoScalingInstances").replies({ body: queryResultXml("DescribeAutoScalingInstances", "<AutoScalingInstances/>") });
    const outcome = await handler()(WORKSHOP_EVENT);
    expect(calls("DetachInstances")).toHaveLength(0);
    expect(outcome).toMatchObject({ status: "ignored", instanceId: INSTANCE_ID });
  });

  test("leaves instances of groups outside the fleet alone", async () => {
    inGroup("someone-elses-group");
    const outcome = await handler()(WORKSHOP_EVENT);
    expect(calls("DetachInstances")).toHaveLength(0);
    expect(outcome).toMatchObject({ status: "ignored", reason: expect.stringContaining("someone-elses-group") });
  });

  test("does not try to detach an instance that is already leaving (idempotent on redelivery)", async () => {
    inGroup(SPOT, "Detaching");
    const outcome = await handler()(WORKSHOP_EVENT);
    expect(calls("DetachInstances")).toHaveLength(0);
    expect(outcome).toMatchObject({ status: "ignored", reason: "lifecycle state Detaching" });
  });

  test("treats 'not part of Auto Scaling group' from DetachInstances as already done", async () => {
    inGroup(SPOT);
    asg.on("DetachInstances").fails("ValidationError", `The instance ${INSTANCE_ID} is not part of Auto Scaling group ${SPOT}.`);
    await expect(handler()(WORKSHOP_EVENT)).resolves.toMatchObject({ status: "ignored", reason: "already detached" });
  });

  test("retries throttled calls with backoff, then succeeds", async () => {
    // GIVEN Describe is throttled twice and Detach once
    asg
      .on("DescribeAutoScalingInstances")
      .failsOnce("Throttling", "Rate exceeded")
      .failsOnce("Throttling", "Rate exceeded")
      .replies({ body: queryResultXml("DescribeAutoScalingInstances", membersXml(SPOT, "InService")) });
    asg.on("DetachInstances").failsOnce("Throttling", "Rate exceeded").replies({ body: queryResultXml("DetachInstances") });
    // WHEN
    const outcome = await handler()(WORKSHOP_EVENT);
    // THEN it detached once it got through, sleeping with growing delays
    expect(outcome.status).toBe("detached");
    expect(calls("DescribeAutoScalingInstances")).toHaveLength(3);
    expect(calls("DetachInstances")).toHaveLength(2);
    expect(sleep.mock.calls.map((c) => c[0])).toEqual([100, 200, 100]);
  });

  test("gives up after maxAttempts throttled calls and throws (Lambda retries, then the DLQ)", async () => {
    asg.on("DescribeAutoScalingInstances").fails("Throttling", "Rate exceeded");
    await expect(handler({ maxAttempts: 3 })(WORKSHOP_EVENT)).rejects.toThrow(/Rate exceeded/);
    expect(calls("DescribeAutoScalingInstances")).toHaveLength(3);
  });

  test("does not retry errors other than throttling", async () => {
    inGroup(SPOT);
    asg.on("DetachInstances").fails("AccessDenied", "not allowed", 403);
    await expect(handler()(WORKSHOP_EVENT)).rejects.toThrow(/not allowed/);
    expect(calls("DetachInstances")).toHaveLength(1);
  });

  test.each([
    ["no detail", { ...WORKSHOP_EVENT, detail: undefined }, /instance-id/],
    ["a bad instance id", { ...WORKSHOP_EVENT, detail: { "instance-id": "<instance-id>" } }, /instance-id/],
    ["another source", { ...WORKSHOP_EVENT, source: "aws.s3" }, /source/],
    ["another detail-type", { ...WORKSHOP_EVENT, "detail-type": "EC2 Instance State-change Notification" }, /detail-type/],
    ["not an object", "hello", /not an object/],
  ])("logs a malformed event (%s) and makes no call", async (_label, event, problem) => {
    const outcome = await handler()(event);
    expect(stub.requests).toHaveLength(0);
    expect(outcome).toMatchObject({ status: "ignored", reason: expect.stringMatching(problem) });
    expect(logger.error).toHaveBeenCalledWith(expect.stringContaining("malformed event"));
  });

  test("terminates (not detaches) on a rebalance recommendation: a detached instance would never be terminated", async () => {
    inGroup(SPOT);
    asg.on("TerminateInstanceInAutoScalingGroup").replies({ body: queryResultXml("TerminateInstanceInAutoScalingGroup", "<Activity><ActivityId>a-2</ActivityId></Activity>") });
    const outcome = await handler()({ ...WORKSHOP_EVENT, "detail-type": "EC2 Instance Rebalance Recommendation" });
    expect(calls("DetachInstances")).toHaveLength(0);
    expect(calls("TerminateInstanceInAutoScalingGroup")).toEqual([
      { Action: "TerminateInstanceInAutoScalingGroup", Version: VERSION, InstanceId: INSTANCE_ID, ShouldDecrementDesiredCapacity: "false" },
    ]);
    expect(outcome).toMatchObject({ status: "terminated", groupName: SPOT });
  });

  test("accepts rebalance recommendations too", () => {
    expect(parseEvent({ ...WORKSHOP_EVENT, "detail-type": "EC2 Instance Rebalance Recommendation" })).toEqual({
      instanceId: INSTANCE_ID,
      detailType: "EC2 Instance Rebalance Recommendation",
    });
  });

  test("recognizes throttling by name, HTTP 429 and the SDK's retryable flag", () => {
    expect(isThrottling({ name: "ThrottlingException" })).toBe(true);
    expect(isThrottling({ $metadata: { httpStatusCode: 429 } })).toBe(true);
    expect(isThrottling({ $retryable: { throttling: true } })).toBe(true);
    expect(isThrottling({ name: "ValidationError" })).toBe(false);
    expect(isThrottling(new AwsError("Throttling", "Rate exceeded", { httpStatusCode: 400, attempts: 1 }))).toBe(true);
  });

  test("without an injected client: the Lambda environment's region, credentials and endpoint, signed, and no retries under the handler's own", async () => {
    // GIVEN the variables the Lambda runtime sets, the endpoint pointed at the stub
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_REGION: "eu-west-1",
      AWS_ACCESS_KEY_ID: "ASIAEXAMPLE",
      AWS_SECRET_ACCESS_KEY: "secret",
      AWS_SESSION_TOKEN: "session-token",
      AWS_ENDPOINT_URL_AUTO_SCALING: stub.url,
    });
    try {
      asg.on("DescribeAutoScalingInstances").fails("Throttling", "Rate exceeded");
      // WHEN the handler makes its own client and Describe is always throttled
      await expect(makeHandler({ groupNames: [SPOT], logger, sleep, maxAttempts: 2 })(WORKSHOP_EVENT)).rejects.toMatchObject({ name: "Throttling", $metadata: { httpStatusCode: 400 } });
      // THEN exactly the handler's 2 attempts went out (the client adds none), each signed for eu-west-1 autoscaling
      expect(stub.requests).toHaveLength(2);
      for (const r of stub.requests) {
        expect(r.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE\/\d{8}\/eu-west-1\/autoscaling\/aws4_request, SignedHeaders=[a-z0-9;-]*x-amz-security-token[a-z0-9;-]*, Signature=[0-9a-f]{64}$/);
        expect(r.headers["x-amz-security-token"]).toBe("session-token");
        expect(r.headers["content-type"]).toBe("application/x-www-form-urlencoded; charset=utf-8");
      }
    } finally {
      process.env = saved;
    }
  });
});
