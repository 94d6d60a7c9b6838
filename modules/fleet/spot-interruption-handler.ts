import { Construct } from "constructs";
import { physicalName } from "../core/names";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy";
import { NodeFunction, tlsOnlyQueueStatement } from "../serverless/function";
import { Grant } from "../iam/grant";
import { assertIntInRange } from "../core/validate";
import { SPOT_INTERRUPTION_ENV } from "../../lambdas/spot-interruption/environment";

export const SPOT_INTERRUPTION_WARNING = "EC2 Spot Instance Interruption Warning";
export const REBALANCE_RECOMMENDATION = "EC2 Instance Rebalance Recommendation";

/** Read-only: which group an instance is in. IAM offers no resource-level permission for it, so it needs `Resource: *`. */
export const DESCRIBE_ACTIONS = ["autoscaling:DescribeAutoScalingInstances"] as const;
/** The one write: detach, on the ARNs of the groups that launch Spot only (DetachInstances supports the autoScalingGroup resource type). */
export const DETACH_ACTIONS = ["autoscaling:DetachInstances"] as const;
/** For rebalance recommendations (nothing else would terminate a detached instance), on the Spot group ARNs only (resource type autoScalingGroup). */
export const TERMINATE_ACTIONS = ["autoscaling:TerminateInstanceInAutoScalingGroup"] as const;

/** A group the handler may detach from: its name (for the handler) and ARN (for IAM). */
export interface IInterruptibleGroup {
  readonly groupName: string;
  readonly groupArn: string;
  /** True when the group launches Spot capacity: only those instances ever get an interruption warning. */
  readonly requestsSpot: boolean;
}

/** Detached instances are replaced at once (desired capacity unchanged). */
export const DEFAULT_DECREMENT_DESIRED_CAPACITY = false;
/** Only interruption warnings, not rebalance recommendations. */
export const DEFAULT_REBALANCE_RECOMMENDATIONS = false;

export interface SpotInterruptionHandlerProps {
  /**
   * The groups whose instances are detached on a warning; others are
   * ignored. Only groups that launch Spot (`requestsSpot`): the function's
   * role gets DetachInstances on exactly these ARNs, and an on-demand group
   * never receives an interruption.
   */
  readonly groups: readonly IInterruptibleGroup[];
  /**
   * DetachInstances' ShouldDecrementDesiredCapacity. false: the group
   * launches a replacement at once (capacity kept; the doomed instance drains
   * during its notice). true: capacity shrinks until scaling adds it back.
   * @default false
   */
  readonly decrementDesiredCapacity?: boolean;
  /**
   * Also act on "EC2 Instance Rebalance Recommendation" (earlier than the
   * two-minute warning, but not always followed by an interruption). Those
   * instances are terminated through the group (drained, replaced), not
   * detached: nothing else would ever terminate a detached one. With
   * `capacityRebalance` on (the fleet's default) the group already does
   * this itself.
   * @default false
   */
  readonly rebalanceRecommendations?: boolean;
  /** Times EventBridge retries delivery to the function, 0..185. @default 8 */
  readonly retryAttempts?: number;
  /** Seconds EventBridge keeps trying an event, 60..86400. @default 600 (the notice is 120 s; later is useless but kept for the DLQ) */
  readonly maximumEventAgeSeconds?: number;
}

/**
 * EventBridge rule on EC2 Spot interruption warnings (source `aws.ec2`) ->
 * a Lambda function (lambdas/spot-interruption) that detaches the instance
 * from its Auto Scaling group. Failed deliveries and failed invocations land
 * in the function's SQS dead-letter queue (the rule target and the function
 * share it). The invoke permission is scoped to the rule's ARN.
 *
 * Cost: nothing while idle; EventBridge AWS-service events are free, Lambda
 * bills per interruption (well under 0.01 USD a month).
 */
export class SpotInterruptionHandler extends Construct {
  readonly rule: CloudwatchEventRule;
  readonly function: NodeFunction;
  readonly target: CloudwatchEventTarget;

  constructor(scope: Construct, id: string, props: SpotInterruptionHandlerProps) {
    super(scope, id);
    const decrement = props.decrementDesiredCapacity ?? DEFAULT_DECREMENT_DESIRED_CAPACITY;
    const retryAttempts = props.retryAttempts ?? 8;
    const maxAge = props.maximumEventAgeSeconds ?? 600;
    const rebalance = props.rebalanceRecommendations ?? DEFAULT_REBALANCE_RECOMMENDATIONS;
    const detailTypes = rebalance ? [SPOT_INTERRUPTION_WARNING, REBALANCE_RECOMMENDATION] : [SPOT_INTERRUPTION_WARNING];

    if (props.groups.length === 0) throw new Error("groups ([]) must hold at least one Auto Scaling group");
    props.groups.forEach((g, i) => {
      if (!g.requestsSpot) {
        throw new Error(
          `groups[${i}] (${g.groupName}) launches no Spot capacity: its instances never get an interruption warning, so the handler must not be able to detach them`,
        );
      }
    });
    assertIntInRange(retryAttempts, 0, 185, "retryAttempts");
    assertIntInRange(maxAge, 60, 86400, "maximumEventAgeSeconds");

    this.function = new NodeFunction(this, "Function", {
      entry: "spot-interruption",
      description: "Detaches Spot instances with an interruption warning from their Auto Scaling group",
      timeout: 60,
      deadLetterQueue: true,
      // This module writes the queue's one policy (EventBridge may send, TLS only).
      deadLetterQueuePolicy: false,
      environment: {
        [SPOT_INTERRUPTION_ENV.groupNames]: props.groups.map((g) => g.groupName).join(","),
        [SPOT_INTERRUPTION_ENV.decrementDesiredCapacity]: String(decrement),
      },
    });
    Grant.addToPrincipal({
      grantee: this.function,
      sid: "FindInstanceGroup",
      actions: DESCRIBE_ACTIONS,
      // DescribeAutoScalingInstances supports no resource-level permissions: "*" is the only valid resource.
      resourceArns: ["*"],
    });
    Grant.addToPrincipal({
      grantee: this.function,
      sid: "DetachFromFleetGroups",
      actions: DETACH_ACTIONS,
      resourceArns: props.groups.map((g) => g.groupArn),
    });
    if (rebalance) {
      Grant.addToPrincipal({
        grantee: this.function,
        sid: "TerminateOnRebalance",
        actions: TERMINATE_ACTIONS,
        resourceArns: props.groups.map((g) => g.groupArn),
      });
    }

    this.rule = new CloudwatchEventRule(this, "Rule", {
      namePrefix: `${physicalName(this, { maxLength: 37 })}-`,
      description: `EC2 ${detailTypes.join(" / ")} -> ${this.node.path}`,
      eventPattern: JSON.stringify({ source: ["aws.ec2"], "detail-type": detailTypes }),
    });
    this.function.grantInvoke({ service: "events.amazonaws.com", sourceArn: this.rule.arn }, "InvokeByRule");
    const dlq = this.function.deadLetterQueue;
    if (!dlq) throw new Error(`${this.node.path}: the function has no dead-letter queue`);

    this.target = new CloudwatchEventTarget(this, "Target", {
      rule: this.rule.name,
      arn: this.function.functionArn,
      retryPolicy: { maximumRetryAttempts: retryAttempts, maximumEventAgeInSeconds: maxAge },
      deadLetterConfig: { arn: dlq.arn },
    });
    this.allowRuleToUseQueue(dlq.arn, dlq.id);
  }

  /** EventBridge needs a queue policy to send undeliverable events to the DLQ. */
  private allowRuleToUseQueue(queueArn: string, queueUrl: string): void {
    new SqsQueuePolicy(this, "DeadLetterQueuePolicy", {
      queueUrl,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "EventBridgeDeadLetters",
            Effect: "Allow",
            Principal: { Service: "events.amazonaws.com" },
            Action: "sqs:SendMessage",
            Resource: queueArn,
            Condition: { ArnEquals: { "aws:SourceArn": this.rule.arn } },
          },
          tlsOnlyQueueStatement(queueArn),
        ],
      }),
    });
  }
}
