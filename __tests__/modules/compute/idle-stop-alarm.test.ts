import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Construct } from "constructs";
import { IdleStopAlarm, IdleStopAlarmProps } from "../../../modules/compute/idle-stop-alarm";
import { onlyResource, synthJson, synthScope } from "../../helpers/synth";

const INSTANCE = { instanceId: "i-0123456789abcdef0" };

function alarm(s: Construct, props: Partial<IdleStopAlarmProps> = {}): IdleStopAlarm {
  return new IdleStopAlarm(s, "IdleStop", { instance: INSTANCE, ...props });
}

describe("IdleStopAlarm", () => {
  test("by default stops the instance after 60 minutes of average CPU below 5%", () => {
    // GIVEN an instance WHEN the alarm is added with defaults THEN 12 five-minute periods under 5% trigger the EC2 stop action
    const out = synthScope((s) => alarm(s));
    expect(out).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
      namespace: "AWS/EC2",
      metric_name: "CPUUtilization",
      dimensions: { InstanceId: "i-0123456789abcdef0" },
      statistic: "Average",
      period: 300,
      evaluation_periods: 12,
      datapoints_to_alarm: 12,
      threshold: 5,
      comparison_operator: "LessThanThreshold",
    });
    const res = onlyResource(JSON.parse(out), "aws_cloudwatch_metric_alarm");
    expect(res.alarm_actions).toEqual(["arn:${data.aws_partition.AwsPartition.partition}:automate:ap-northeast-1:ec2:stop"]);
  });

  test("a stopped instance (no data) never counts as idle", () => {
    const res = onlyResource(synthJson((s) => alarm(s)), "aws_cloudwatch_metric_alarm");
    expect(res.treat_missing_data).toBe("notBreaching");
  });

  test("threshold, idle time and a 1-minute period are props", () => {
    // GIVEN detailed monitoring WHEN 15 minutes under 10% with 1-minute periods THEN 15 evaluation periods of 60 s
    const res = onlyResource(synthJson((s) => alarm(s, { cpuThresholdPercent: 10, idleMinutes: 15, periodMinutes: 1 })), "aws_cloudwatch_metric_alarm");
    expect(res).toMatchObject({ threshold: 10, period: 60, evaluation_periods: 15 });
  });

  test("named after the construct path unless alarmName is given", () => {
    expect(onlyResource(synthJson((s) => alarm(s)), "aws_cloudwatch_metric_alarm").alarm_name).toMatch(/-IdleStop$/);
    expect(onlyResource(synthJson((s) => alarm(s, { alarmName: "dev-gpu-idle" })), "aws_cloudwatch_metric_alarm").alarm_name).toBe("dev-gpu-idle");
  });

  test("the stop action uses the given region", () => {
    const res = onlyResource(synthJson((s) => alarm(s, { region: "us-east-1" })), "aws_cloudwatch_metric_alarm");
    expect(res.alarm_actions[0]).toMatch(/:automate:us-east-1:ec2:stop$/);
  });

  test.each([-1, 100.5, 250, Number.NaN])("refuses cpuThresholdPercent %p outside 0..100", (value) => {
    expect(() => synthScope((s) => alarm(s, { cpuThresholdPercent: value }))).toThrow(/cpuThresholdPercent \(.*\) must be in 0\.\.100/);
  });

  test.each([0, 4, 2.5, 1441])("refuses idleMinutes %p (under 5, fractional or over a day)", (value) => {
    expect(() => synthScope((s) => alarm(s, { idleMinutes: value }))).toThrow(/idleMinutes \(.*\) must be a whole number of minutes in 5\.\.1440/);
  });

  test("refuses idleMinutes that is not a multiple of the period", () => {
    expect(() => synthScope((s) => alarm(s, { idleMinutes: 12 }))).toThrow(/idleMinutes \(12\) must be a multiple of periodMinutes \(5\)/);
  });

  test("refuses a period CloudWatch EC2 metrics do not have", () => {
    expect(() => synthScope((s) => alarm(s, { periodMinutes: 3 as never }))).toThrow(/periodMinutes \(3\)/);
  });

  test("needs a region outside a CourseStack", () => {
    // GIVEN a scope with no recorded region THEN the error names the prop
    const { Testing } = jest.requireActual("cdktf");
    expect(() => Testing.synthScope((s: Construct) => alarm(s))).toThrow(/region \(undefined\)/);
  });
});
