import { AutoScaling } from "../../../../lambdas/lib/aws/autoscaling";
import { flattenParams, parseQueryError, queryBody } from "../../../../lambdas/lib/aws/query";
import { decodeEntities, parseXml } from "../../../../lambdas/lib/aws/xml";
import { QueryResponder, StubServer, queryResultXml, startStub } from "./stub-server";

describe("lib/aws Query protocol and XML", () => {
  test("form body: Action and Version first, lists as .member.N, booleans as true/false, RFC 3986 encoding", () => {
    expect(queryBody("DetachInstances", "2011-01-01", { AutoScalingGroupName: "fleet spot*(1)", InstanceIds: ["i-1", "i-2"], ShouldDecrementDesiredCapacity: false })).toBe(
      "Action=DetachInstances&Version=2011-01-01&AutoScalingGroupName=fleet%20spot%2A%281%29&InstanceIds.member.1=i-1&InstanceIds.member.2=i-2&ShouldDecrementDesiredCapacity=false",
    );
    expect(flattenParams({ Filters: [{ Name: "n", Values: ["a"] }], Skip: undefined })).toEqual([
      ["Filters.member.1.Name", "n"],
      ["Filters.member.1.Values.member.1", "a"],
    ]);
  });

  test("XML: elements, entities, declaration and comments skipped, prefixes dropped; malformed input throws", () => {
    const root = parseXml('<?xml version="1.0"?><!-- c --><a:R xmlns:a="x"><B>1 &amp; 2 &lt;3&gt; &#233;&#x1F438;</B><C/></a:R>');
    expect(root.name).toBe("R");
    expect(root.children.map((c) => [c.name, c.text])).toEqual([
      ["B", "1 & 2 <3> é🐸"],
      ["C", ""],
    ]);
    expect(() => parseXml("<A><B></A>")).toThrow(/does not close/);
    expect(() => parseXml("<A>")).toThrow(/not closed/);
    expect(() => parseXml("")).toThrow(/one root element/);
    expect(() => decodeEntities("&nbsp;")).toThrow(/unknown entity/);
  });

  test("errors: Code, Message and RequestId of an ErrorResponse; an unreadable body is UnknownError with the status", () => {
    const xml = `<ErrorResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/"><Error><Type>Sender</Type><Code>ValidationError</Code><Message>The instance i-1 is not part of Auto Scaling group g.</Message></Error><RequestId>r-1</RequestId></ErrorResponse>`;
    expect(parseQueryError(400, xml, {})).toEqual({ code: "ValidationError", message: "The instance i-1 is not part of Auto Scaling group g.", requestId: "r-1" });
    expect(parseQueryError(503, "Service Unavailable", {})).toEqual({ code: "UnknownError", message: "HTTP 503: Service Unavailable" });
  });
});

describe("lib/aws AutoScaling against a stub Query endpoint", () => {
  const asg = new QueryResponder();
  let stub: StubServer;
  let client: AutoScaling;
  beforeAll(async () => {
    stub = await startStub(asg.respond);
    client = new AutoScaling({ endpoint: stub.url, region: "eu-west-1", credentials: { accessKeyId: "x", secretAccessKey: "x" }, maxAttempts: 1 });
  });
  afterAll(async () => {
    client.destroy();
    await stub.close();
  });
  beforeEach(() => {
    asg.reset();
    stub.requests.length = 0;
  });

  test("DescribeAutoScalingInstances: the exact form sent, the instances' id, group and state read (several, or none)", async () => {
    const member = (id: string, group: string, state: string) =>
      `<member><InstanceId>${id}</InstanceId><AutoScalingGroupName>${group}</AutoScalingGroupName><AvailabilityZone>eu-west-1a</AvailabilityZone><LifecycleState>${state}</LifecycleState><HealthStatus>HEALTHY</HealthStatus></member>`;
    asg
      .on("DescribeAutoScalingInstances")
      .repliesOnce({ body: queryResultXml("DescribeAutoScalingInstances", `<AutoScalingInstances>${member("i-1", "g&amp;1", "InService")}${member("i-2", "g2", "Terminating:Wait")}</AutoScalingInstances>`) })
      .repliesOnce({ body: queryResultXml("DescribeAutoScalingInstances", "<AutoScalingInstances/>") });
    expect(await client.describeAutoScalingInstances({ InstanceIds: ["i-1", "i-2"] })).toEqual({
      AutoScalingInstances: [
        { InstanceId: "i-1", AutoScalingGroupName: "g&1", LifecycleState: "InService" },
        { InstanceId: "i-2", AutoScalingGroupName: "g2", LifecycleState: "Terminating:Wait" },
      ],
    });
    expect(await client.describeAutoScalingInstances({ InstanceIds: ["i-3"] })).toEqual({ AutoScalingInstances: [] });
    expect(stub.requests[0].body).toBe("Action=DescribeAutoScalingInstances&Version=2011-01-01&InstanceIds.member.1=i-1&InstanceIds.member.2=i-2");
    expect(stub.requests[0].headers["content-type"]).toBe("application/x-www-form-urlencoded; charset=utf-8");
    expect(stub.requests[0].headers.authorization).toMatch(/Credential=x\/\d{8}\/eu-west-1\/autoscaling\/aws4_request/);
  });

  test("DetachInstances and TerminateInstanceInAutoScalingGroup: the exact forms sent", async () => {
    asg.on("DetachInstances").replies({ body: queryResultXml("DetachInstances", "<Activities/>") });
    asg.on("TerminateInstanceInAutoScalingGroup").replies({ body: queryResultXml("TerminateInstanceInAutoScalingGroup", "<Activity/>") });
    await client.detachInstances({ AutoScalingGroupName: "g", InstanceIds: ["i-1"], ShouldDecrementDesiredCapacity: true });
    await client.terminateInstanceInAutoScalingGroup({ InstanceId: "i-1", ShouldDecrementDesiredCapacity: false });
    expect(stub.requests.map((r) => r.form)).toEqual([
      { Action: "DetachInstances", Version: "2011-01-01", AutoScalingGroupName: "g", "InstanceIds.member.1": "i-1", ShouldDecrementDesiredCapacity: "true" },
      { Action: "TerminateInstanceInAutoScalingGroup", Version: "2011-01-01", InstanceId: "i-1", ShouldDecrementDesiredCapacity: "false" },
    ]);
  });

  test("an XML error is an Error named by its Code, with the message, status and request id", async () => {
    asg.on("DetachInstances").fails("ValidationError", "The instance i-1 is not in InService or Standby.");
    const err = await client.detachInstances({ AutoScalingGroupName: "g", InstanceIds: ["i-1"], ShouldDecrementDesiredCapacity: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ name: "ValidationError", message: "The instance i-1 is not in InService or Standby.", $metadata: { httpStatusCode: 400, requestId: "req-ValidationError" } });
  });

  test("a 200 that is not the operation's response (a truncated or foreign body) is an error, not an empty result", async () => {
    asg.on("DescribeAutoScalingInstances").repliesOnce({ body: "<DescribeAutoScalingInstancesResponse><DescribeAutoScalingInstancesResult>" }).repliesOnce({ body: queryResultXml("DetachInstances") });
    await expect(client.describeAutoScalingInstances({ InstanceIds: ["i-1"] })).rejects.toThrow(/not closed/);
    await expect(client.describeAutoScalingInstances({ InstanceIds: ["i-1"] })).rejects.toThrow(/unexpected response <DetachInstancesResponse>/);
  });
});
