/**
 * EC2 Auto Scaling over the Query protocol (query.ts, Version 2011-01-01):
 * exactly the three operations the Spot interruption handler sends, and of
 * their responses exactly the fields it reads.
 *
 * One method per operation, named as the operation, each sending its
 * literal name through the private `call`: tools/iam-calls.ts reads the
 * `@awsService` tag and those literals.
 *
 * Errors: `AwsError` named by the XML `<Code>` (`ValidationError`,
 * `Throttling`, `ResourceContention`, ...), retried as transport.ts says.
 */
import { queryBody, parseQueryError, QueryValue } from "./query";
import { AwsClientOptions, AwsHttpClient, AwsService } from "./transport";
import { child, childText, parseXml, XmlElement } from "./xml";

export const AUTO_SCALING_VERSION = "2011-01-01";

export const AUTO_SCALING_SERVICE: AwsService = {
  signingName: "autoscaling",
  serviceId: "AUTO_SCALING",
  endpointPrefix: "autoscaling",
  parseError: parseQueryError,
};

export interface DescribeAutoScalingInstancesInput {
  readonly InstanceIds: readonly string[];
}
export interface AutoScalingInstance {
  readonly InstanceId?: string;
  readonly AutoScalingGroupName?: string;
  /** `InService`, `Standby`, `Detaching`, `Terminating:Wait`, ... */
  readonly LifecycleState?: string;
}
export interface DescribeAutoScalingInstancesOutput {
  readonly AutoScalingInstances: AutoScalingInstance[];
}

export interface DetachInstancesInput {
  readonly AutoScalingGroupName: string;
  readonly InstanceIds: readonly string[];
  readonly ShouldDecrementDesiredCapacity: boolean;
}

export interface TerminateInstanceInAutoScalingGroupInput {
  readonly InstanceId: string;
  readonly ShouldDecrementDesiredCapacity: boolean;
}

/** @awsService autoscaling */
export class AutoScaling {
  private readonly http: AwsHttpClient;

  constructor(options: AwsClientOptions = {}) {
    this.http = new AwsHttpClient(AUTO_SCALING_SERVICE, options);
  }

  async describeAutoScalingInstances(input: DescribeAutoScalingInstancesInput): Promise<DescribeAutoScalingInstancesOutput> {
    const result = await this.call("DescribeAutoScalingInstances", input);
    return {
      AutoScalingInstances: (child(result, "AutoScalingInstances")?.children ?? [])
        .filter((m) => m.name === "member")
        .map((m) => ({
          InstanceId: childText(m, "InstanceId"),
          AutoScalingGroupName: childText(m, "AutoScalingGroupName"),
          LifecycleState: childText(m, "LifecycleState"),
        })),
    };
  }

  /** Resolves once Auto Scaling accepted the detach (its Activities are not read). */
  async detachInstances(input: DetachInstancesInput): Promise<void> {
    await this.call("DetachInstances", input);
  }

  /** Resolves once Auto Scaling accepted the termination (its Activity is not read). */
  async terminateInstanceInAutoScalingGroup(input: TerminateInstanceInAutoScalingGroupInput): Promise<void> {
    await this.call("TerminateInstanceInAutoScalingGroup", input);
  }

  /** Closes kept-alive connections. */
  destroy(): void {
    this.http.destroy();
  }

  /** Sends one call; the `<OpResult>` element (absent for operations without output). */
  private async call(action: string, input: object): Promise<XmlElement | undefined> {
    const body = queryBody(action, AUTO_SCALING_VERSION, input as Record<string, QueryValue>);
    const res = await this.http.post(action, body, { "Content-Type": "application/x-www-form-urlencoded; charset=utf-8" });
    const root = parseXml(res.body);
    if (root.name !== `${action}Response`) throw new Error(`${action}: unexpected response <${root.name}>`);
    return child(root, `${action}Result`);
  }
}
