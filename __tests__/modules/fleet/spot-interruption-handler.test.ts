import { SpotInterruptionHandler, SpotInterruptionHandlerProps } from "../../../modules/fleet/spot-interruption-handler";
import { onlyResource, resourcesOf, synthJson } from "../../helpers/synth";

const GROUPS = [
  { groupName: "fleet-spot", groupArn: "arn:aws:autoscaling:ap-northeast-1:*:autoScalingGroup:*:autoScalingGroupName/fleet-spot", requestsSpot: true },
  { groupName: "fleet-spot-b", groupArn: "arn:aws:autoscaling:ap-northeast-1:*:autoScalingGroup:*:autoScalingGroupName/fleet-spot-b", requestsSpot: true },
];
const ON_DEMAND = { groupName: "fleet-base", groupArn: "arn:aws:autoscaling:ap-northeast-1:*:autoScalingGroup:*:autoScalingGroupName/fleet-base", requestsSpot: false };

function build(props: Partial<SpotInterruptionHandlerProps> = {}) {
  return synthJson((s) => new SpotInterruptionHandler(s, "Handler", { groups: GROUPS, ...props }));
}

function statements(json: any): any[] {
  return (Object.values(json.data?.aws_iam_policy_document ?? {}) as any[]).flatMap((d) => (Array.isArray(d.statement) ? d.statement : []));
}

describe("SpotInterruptionHandler", () => {
  test("an EventBridge rule on aws.ec2 Spot interruption warnings only, by default", () => {
    const json = build();
    const rule = onlyResource(json, "aws_cloudwatch_event_rule");
    expect(JSON.parse(rule.event_pattern)).toEqual({ source: ["aws.ec2"], "detail-type": ["EC2 Spot Instance Interruption Warning"] });
  });

  test("rebalance recommendations are an option", () => {
    const rule = onlyResource(build({ rebalanceRecommendations: true }), "aws_cloudwatch_event_rule");
    expect(JSON.parse(rule.event_pattern)["detail-type"]).toEqual(["EC2 Spot Instance Interruption Warning", "EC2 Instance Rebalance Recommendation"]);
  });

  test("the function gets the fleet's group names and the decrement flag (default false)", () => {
    const fn = onlyResource(build(), "aws_lambda_function");
    expect(fn.environment.variables).toEqual({ FLEET_GROUP_NAMES: "fleet-spot,fleet-spot-b", DECREMENT_DESIRED_CAPACITY: "false" });
    expect(fn.dead_letter_config.target_arn).toMatch(/aws_sqs_queue\..*\.arn/);
    const on = onlyResource(build({ decrementDesiredCapacity: true }), "aws_lambda_function");
    expect(on.environment.variables.DECREMENT_DESIRED_CAPACITY).toBe("true");
  });

  test("the rule target has a retry policy and a dead-letter queue", () => {
    const target = onlyResource(build(), "aws_cloudwatch_event_target");
    expect(target.arn).toMatch(/aws_lambda_function\..*\.arn/);
    expect(target.retry_policy).toEqual({ maximum_retry_attempts: 8, maximum_event_age_in_seconds: 600 });
    expect(target.dead_letter_config.arn).toMatch(/aws_sqs_queue\..*\.arn/);
  });

  test("the DLQ accepts messages from this rule only", () => {
    const policy = JSON.parse(onlyResource(build(), "aws_sqs_queue_policy").policy);
    expect(policy.Statement[0]).toMatchObject({
      Principal: { Service: "events.amazonaws.com" },
      Action: "sqs:SendMessage",
      Condition: { ArnEquals: { "aws:SourceArn": expect.stringMatching(/aws_cloudwatch_event_rule\..*\.arn/) } },
    });
  });

  test("the Lambda permission is scoped to the rule's ARN", () => {
    const permission = onlyResource(build(), "aws_lambda_permission");
    expect(permission).toMatchObject({ principal: "events.amazonaws.com", action: "lambda:InvokeFunction" });
    expect(permission.source_arn).toMatch(/^\$\{aws_cloudwatch_event_rule\..*\.arn\}$/);
  });

  test("IAM: describe on * (no resource-level permissions), detach only on the fleet's group ARNs", () => {
    const all = statements(build());
    const describe = all.find((st) => st.sid === "FindInstanceGroup");
    const detach = all.find((st) => st.sid === "DetachFromFleetGroups");
    expect(describe).toMatchObject({ actions: ["autoscaling:DescribeAutoScalingInstances"], resources: ["*"] });
    expect(detach).toMatchObject({ actions: ["autoscaling:DetachInstances"], resources: GROUPS.map((g) => g.groupArn) });
    // Resource * only for reads and X-Ray (which has no resource-level permissions).
    expect(all.some((st) => st.resources?.includes("*") && st.actions.some((a: string) => !a.startsWith("autoscaling:Describe") && !a.startsWith("xray:")))).toBe(false);
  });

  test("rebalance recommendations add terminate-through-the-group on the group ARNs only", () => {
    expect(statements(build()).some((st) => st.sid === "TerminateOnRebalance")).toBe(false);
    const terminate = statements(build({ rebalanceRecommendations: true })).find((st) => st.sid === "TerminateOnRebalance");
    expect(terminate).toMatchObject({ actions: ["autoscaling:TerminateInstanceInAutoScalingGroup"], resources: GROUPS.map((g) => g.groupArn) });
  });

  test("bundles lambdas/spot-interruption", () => {
    const json = build();
    expect(Object.keys(resourcesOf(json, "aws_lambda_function"))).toHaveLength(1);
    expect(onlyResource(json, "aws_lambda_function").handler).toBe("index.handler");
  });

  test.each([
    [{ groups: [] }, /groups \(\[\]\) must hold at least one Auto Scaling group/],
    [{ groups: [GROUPS[0], ON_DEMAND] }, /groups\[1\] \(fleet-base\) launches no Spot capacity/],
    [{ retryAttempts: 186 }, /retryAttempts \(186\)/],
    [{ maximumEventAgeSeconds: 59 }, /maximumEventAgeSeconds \(59\)/],
  ])("refuses %j", (props, message) => {
    expect(() => build(props)).toThrow(message);
  });
});
