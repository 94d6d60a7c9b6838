import { mockClient } from "aws-sdk-client-mock";
import {
  AutoScalingClient,
  AutoScalingServiceException,
  DescribeAutoScalingInstancesCommand,
  DetachInstancesCommand,
  TerminateInstanceInAutoScalingGroupCommand,
} from "@aws-sdk/client-auto-scaling";
import { isThrottling, makeHandler, parseEvent } from "../../../lambdas/spot-interruption";

const INSTANCE_ID = "i-0123456789abcdef0";
const BASE = "aws-course-test-web-fleet-base";
const SPOT = "aws-course-test-web-fleet-spot";

/** The EC2 Spot workshop's test event (SPEC section 7), with a real-looking instance id. */
const WORKSHOP_EVENT = JSON.parse(
  '{"version":"0","id":"92453ca5-5b23-219e-8003-ab7283ca016b","detail-type":"EC2 Spot Instance Interruption Warning",' +
    '"source":"aws.ec2","account":"123456789012","time":"2019-11-05T11:03:11Z","region":"eu-west-1",' +
    '"resources":["arn:aws:ec2:eu-west-1b:instance/<instance-id>"],"detail":{"instance-id":"<instance-id>","instance-action":"terminate"}}'
    .replace(/<instance-id>/g, INSTANCE_ID),
);

const client = new AutoScalingClient({ region: "eu-west-1", credentials: { accessKeyId: "x", secretAccessKey: "x" } });
const asg = mockClient(client);
const logger = { log: jest.fn(), warn: jest.fn(), error: jest.fn() };
const sleep = jest.fn(async (_ms: number) => undefined);

function handler(overrides: Parameters<typeof makeHandler>[0] = {}) {
  return makeHandler({ client, groupNames: [BASE, SPOT], logger, sleep, random: () => 0.5, ...overrides });
}

function inGroup(group: string, state = "InService") {
  asg.on(DescribeAutoScalingInstancesCommand).resolves({
    AutoScalingInstances: [
      { InstanceId: INSTANCE_ID, AutoScalingGroupName: group, LifecycleState: state, AvailabilityZone: "eu-west-1b", HealthStatus: "HEALTHY", ProtectedFromScaleIn: false },
    ],
  });
}

function throttling(): Error {
  return new AutoScalingServiceException({ name: "Throttling", $fault: "client", $metadata: { httpStatusCode: 400 }, message: "Rate exceeded" });
}

beforeEach(() => {
  asg.reset();
  jest.clearAllMocks();
});

describe("spot interruption handler", () => {
  test("detaches the workshop event's instance from its fleet group exactly once, keeping desired capacity", async () => {
    // GIVEN the instance is InService in the spot group
    inGroup(SPOT);
    asg.on(DetachInstancesCommand).resolves({ Activities: [] });
    // WHEN the workshop's event arrives
    const outcome = await handler()(WORKSHOP_EVENT);
    // THEN one DetachInstances names that group and instance, without decrementing
    expect(asg.commandCalls(DescribeAutoScalingInstancesCommand)[0].args[0].input).toEqual({ InstanceIds: [INSTANCE_ID] });
    const detaches = asg.commandCalls(DetachInstancesCommand);
    expect(detaches).toHaveLength(1);
    expect(detaches[0].args[0].input).toEqual({ AutoScalingGroupName: SPOT, InstanceIds: [INSTANCE_ID], ShouldDecrementDesiredCapacity: false });
    expect(outcome).toEqual({ status: "detached", instanceId: INSTANCE_ID, groupName: SPOT, decremented: false });
  });

  test("decrements desired capacity when configured to", async () => {
    inGroup(SPOT);
    asg.on(DetachInstancesCommand).resolves({});
    await handler({ decrementDesiredCapacity: true })(WORKSHOP_EVENT);
    expect(asg.commandCalls(DetachInstancesCommand)[0].args[0].input.ShouldDecrementDesiredCapacity).toBe(true);
  });

  test("reads group names and the decrement flag from the environment", async () => {
    process.env.FLEET_GROUP_NAMES = ` ${BASE} , ${SPOT} `;
    process.env.DECREMENT_DESIRED_CAPACITY = "true";
    try {
      inGroup(BASE);
      asg.on(DetachInstancesCommand).resolves({});
      await makeHandler({ client, logger, sleep })(WORKSHOP_EVENT);
      expect(asg.commandCalls(DetachInstancesCommand)[0].args[0].input).toMatchObject({ AutoScalingGroupName: BASE, ShouldDecrementDesiredCapacity: true });
    } finally {
      delete process.env.FLEET_GROUP_NAMES;
      delete process.env.DECREMENT_DESIRED_CAPACITY;
    }
  });

  test("makes no call for an instance in no Auto Scaling group", async () => {
    asg.on(DescribeAutoScalingInstancesCommand).resolves({ AutoScalingInstances: [] });
    const outcome = await handler()(WORKSHOP_EVENT);
    expect(asg.commandCalls(DetachInstancesCommand)).toHaveLength(0);
    expect(outcome).toMatchObject({ status: "ignored", instanceId: INSTANCE_ID });
  });

  test("leaves instances of groups outside the fleet alone", async () => {
    inGroup("someone-elses-group");
    const outcome = await handler()(WORKSHOP_EVENT);
    expect(asg.commandCalls(DetachInstancesCommand)).toHaveLength(0);
    expect(outcome).toMatchObject({ status: "ignored", reason: expect.stringContaining("someone-elses-group") });
  });

  test("does not try to detach an instance that is already leaving (idempotent on redelivery)", async () => {
    inGroup(SPOT, "Detaching");
    const outcome = await handler()(WORKSHOP_EVENT);
    expect(asg.commandCalls(DetachInstancesCommand)).toHaveLength(0);
    expect(outcome).toMatchObject({ status: "ignored", reason: "lifecycle state Detaching" });
  });

  test("treats 'not part of Auto Scaling group' from DetachInstances as already done", async () => {
    inGroup(SPOT);
    asg.on(DetachInstancesCommand).rejects(
      new AutoScalingServiceException({ name: "ValidationError", $fault: "client", $metadata: {}, message: `The instance ${INSTANCE_ID} is not part of Auto Scaling group ${SPOT}.` }),
    );
    await expect(handler()(WORKSHOP_EVENT)).resolves.toMatchObject({ status: "ignored", reason: "already detached" });
  });

  test("retries throttled calls with backoff, then succeeds", async () => {
    // GIVEN Describe is throttled twice and Detach once
    asg
      .on(DescribeAutoScalingInstancesCommand)
      .rejectsOnce(throttling())
      .rejectsOnce(throttling())
      .resolves({ AutoScalingInstances: [{ InstanceId: INSTANCE_ID, AutoScalingGroupName: SPOT, LifecycleState: "InService", AvailabilityZone: "a", HealthStatus: "HEALTHY", ProtectedFromScaleIn: false }] });
    asg.on(DetachInstancesCommand).rejectsOnce(throttling()).resolves({});
    // WHEN
    const outcome = await handler()(WORKSHOP_EVENT);
    // THEN it detached once it got through, sleeping with growing delays
    expect(outcome.status).toBe("detached");
    expect(asg.commandCalls(DescribeAutoScalingInstancesCommand)).toHaveLength(3);
    expect(asg.commandCalls(DetachInstancesCommand)).toHaveLength(2);
    expect(sleep.mock.calls.map((c) => c[0])).toEqual([100, 200, 100]);
  });

  test("gives up after maxAttempts throttled calls and throws (Lambda retries, then the DLQ)", async () => {
    asg.on(DescribeAutoScalingInstancesCommand).rejects(throttling());
    await expect(handler({ maxAttempts: 3 })(WORKSHOP_EVENT)).rejects.toThrow(/Rate exceeded/);
    expect(asg.commandCalls(DescribeAutoScalingInstancesCommand)).toHaveLength(3);
  });

  test("does not retry errors other than throttling", async () => {
    inGroup(SPOT);
    asg.on(DetachInstancesCommand).rejects(new AutoScalingServiceException({ name: "AccessDenied", $fault: "client", $metadata: {}, message: "not allowed" }));
    await expect(handler()(WORKSHOP_EVENT)).rejects.toThrow(/not allowed/);
    expect(asg.commandCalls(DetachInstancesCommand)).toHaveLength(1);
  });

  test.each([
    ["no detail", { ...WORKSHOP_EVENT, detail: undefined }, /instance-id/],
    ["a bad instance id", { ...WORKSHOP_EVENT, detail: { "instance-id": "<instance-id>" } }, /instance-id/],
    ["another source", { ...WORKSHOP_EVENT, source: "aws.s3" }, /source/],
    ["another detail-type", { ...WORKSHOP_EVENT, "detail-type": "EC2 Instance State-change Notification" }, /detail-type/],
    ["not an object", "hello", /not an object/],
  ])("logs a malformed event (%s) and makes no call", async (_label, event, problem) => {
    const outcome = await handler()(event);
    expect(asg.calls()).toHaveLength(0);
    expect(outcome).toMatchObject({ status: "ignored", reason: expect.stringMatching(problem) });
    expect(logger.error).toHaveBeenCalledWith(expect.stringContaining("malformed event"));
  });

  test("terminates (not detaches) on a rebalance recommendation: a detached instance would never be terminated", async () => {
    inGroup(SPOT);
    asg.on(TerminateInstanceInAutoScalingGroupCommand).resolves({});
    const outcome = await handler()({ ...WORKSHOP_EVENT, "detail-type": "EC2 Instance Rebalance Recommendation" });
    expect(asg.commandCalls(DetachInstancesCommand)).toHaveLength(0);
    expect(asg.commandCalls(TerminateInstanceInAutoScalingGroupCommand).map((c) => c.args[0].input)).toEqual([
      { InstanceId: INSTANCE_ID, ShouldDecrementDesiredCapacity: false },
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
  });
});
