import { Construct } from "constructs";
import { limitName, physicalName } from "../core/names";
import { Token } from "cdktf";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { regionOf } from "../core/context";
import { partitionOf } from "../iam/partition";

/** Stop below this average CPU (%) by default. */
export const DEFAULT_IDLE_CPU_PERCENT = 5;
/** Stop after this many idle minutes by default. */
export const DEFAULT_IDLE_MINUTES = 60;
/** Metric period (minutes) by default: basic monitoring's 5. */
export const DEFAULT_IDLE_PERIOD_MINUTES = 5;

/** A broken idle-stop setting: the field it belongs to and what is wrong. */
export interface IdleStopProblem {
  readonly field: "cpuThresholdPercent" | "idleMinutes" | "periodMinutes";
  readonly message: string;
}

/** Problems with the alarm's numbers (threshold 0..100, idle minutes 5..1440 in whole periods). */
export function idleStopProblems(o: { cpuThresholdPercent: number; idleMinutes: number; periodMinutes?: number }): IdleStopProblem[] {
  const periodMinutes = o.periodMinutes ?? DEFAULT_IDLE_PERIOD_MINUTES;
  const problems: IdleStopProblem[] = [];
  if (!Number.isFinite(o.cpuThresholdPercent) || o.cpuThresholdPercent < 0 || o.cpuThresholdPercent > 100) {
    problems.push({ field: "cpuThresholdPercent", message: "must be in 0..100 (a percentage of CPU utilization)" });
  }
  if (periodMinutes !== 1 && periodMinutes !== 5) problems.push({ field: "periodMinutes", message: "must be 1 or 5" });
  if (!Number.isInteger(o.idleMinutes) || o.idleMinutes < 5 || o.idleMinutes > 1440) {
    problems.push({ field: "idleMinutes", message: "must be a whole number of minutes in 5..1440 (CloudWatch evaluates at most one day)" });
  } else if (o.idleMinutes % periodMinutes !== 0) {
    problems.push({ field: "idleMinutes", message: `must be a multiple of periodMinutes (${periodMinutes}), the alarm's metric period in minutes` });
  }
  return problems;
}

/** The one thing the alarm needs from an instance. */
export interface IStoppableInstance {
  readonly instanceId: string;
}

export interface IdleStopAlarmProps {
  readonly instance: IStoppableInstance;
  /**
   * Average CPU utilization (%) under which a period counts as idle. A GPU
   * notebook that trains keeps one vCPU busy feeding the GPU, so 5% is well
   * below work and well above an idle Jupyter server. @default 5
   */
  readonly cpuThresholdPercent?: number;
  /**
   * Idle minutes before the instance is stopped: a whole multiple of
   * `periodMinutes`, at least 5, at most 1440 (CloudWatch evaluates at most
   * one day). Cost note: each idle hour of a g4dn.xlarge costs ~0.5-0.7 USD.
   * @default 60
   */
  readonly idleMinutes?: number;
  /**
   * Metric period in minutes: 5 with basic monitoring (free), 1 needs the
   * instance's detailed monitoring (billed). @default 5
   */
  readonly periodMinutes?: 1 | 5;
  /** @default the stack's region (recorded by CourseStack) */
  readonly region?: string;
  /**
   * Alarm name, unique per account and region: include the environment when
   * several copies of a stack share an account. @default the construct path
   */
  readonly alarmName?: string;
}

/**
 * Cost guard: a CloudWatch alarm that stops an EC2 instance when its
 * average CPU stays under a threshold for a number of minutes, through the
 * built-in EC2 alarm action `arn:<partition>:automate:<region>:ec2:stop` (no
 * Lambda, no IAM role of ours; AWS uses its CloudWatch service-linked role).
 * Stopping keeps the EBS volume (billed per GiB-month) and loses nothing on
 * disk; start the instance again with `aws ec2 start-instances`.
 * Missing data (a stopped instance) is not idleness: it never re-triggers.
 * Cost note: one standard-resolution alarm, ~0.10 USD/month.
 */
export class IdleStopAlarm extends Construct {
  readonly resource: CloudwatchMetricAlarm;
  readonly cpuThresholdPercent: number;
  readonly idleMinutes: number;

  constructor(scope: Construct, id: string, props: IdleStopAlarmProps) {
    super(scope, id);
    const threshold = props.cpuThresholdPercent ?? DEFAULT_IDLE_CPU_PERCENT;
    const idleMinutes = props.idleMinutes ?? DEFAULT_IDLE_MINUTES;
    const periodMinutes = props.periodMinutes ?? DEFAULT_IDLE_PERIOD_MINUTES;
    const region = props.region ?? regionOf(this);

    const [problem] = idleStopProblems({ cpuThresholdPercent: threshold, idleMinutes, periodMinutes });
    if (problem) {
      const value = { cpuThresholdPercent: threshold, idleMinutes, periodMinutes }[problem.field];
      throw new Error(`${problem.field} (${value}) ${problem.message}`);
    }
    if (!region || Token.isUnresolved(region)) {
      throw new Error(`region (${region}) must be a literal region like ap-northeast-1 (used in the EC2 stop action ARN)`);
    }

    this.cpuThresholdPercent = threshold;
    this.idleMinutes = idleMinutes;
    this.resource = new CloudwatchMetricAlarm(this, "Resource", {
      alarmName: limitName(props.alarmName ?? physicalName(this, { maxLength: 255 }), 255),
      alarmDescription: `Stops the instance after ${idleMinutes} min with average CPU below ${threshold}% (cost guard)`,
      namespace: "AWS/EC2",
      metricName: "CPUUtilization",
      dimensions: { InstanceId: props.instance.instanceId },
      statistic: "Average",
      period: periodMinutes * 60,
      evaluationPeriods: idleMinutes / periodMinutes,
      datapointsToAlarm: idleMinutes / periodMinutes,
      threshold,
      comparisonOperator: "LessThanThreshold",
      treatMissingData: "notBreaching",
      alarmActions: [`arn:${partitionOf(this)}:automate:${region}:ec2:stop`],
    });
  }

  get alarmArn(): string {
    return this.resource.arn;
  }
}
