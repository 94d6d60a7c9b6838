import { synthApp, stackJson } from "../helpers/app";
import { synthJson, TfJson } from "../helpers/synth";
import { testConfig } from "../helpers/config";
import { CheckOptions, RoleCheck, checkStackRoles } from "../../tools/iam-roles";
import { NodeFunction } from "../../modules/serverless/function";
import { AttributeType, Table } from "../../modules/storage/table";
import { HAIKU_ROUTES } from "../../lambdas/haiku/routes";

/**
 * Every role of every stack allows exactly what the code that runs with it
 * calls (read from the source by tools/iam-calls.ts) plus the named platform
 * allowances, on the resources the code touches (tools/iam-roles.ts).
 */
const OPTIONS: CheckOptions = {
  images: { "qa-bot": "docker/qa-bot" },
  // docs/web-fleet.md: "Log in without SSH: aws ssm start-session"; every other stack is SSH (first-ec2,
  // gpu-jupyter) or has no login (ecs-autoscaling), so no other role may carry AmazonSSMManagedInstanceCore.
  sessionManager: ["web-fleet/Fleet/BaseLaunchTemplate/", "web-fleet/Fleet/SpotLaunchTemplate/"],
};

const STACKS = ["bashoutter", "simple-lambda", "simple-dynamodb", "web-fleet", "ecs-autoscaling", "qa-bot", "first-ec2", "gpu-jupyter", "state"];

function rolesOf(config = testConfig(), only?: string[]): RoleCheck[] {
  const out = synthApp(config, undefined, only);
  return (only ?? STACKS).flatMap((s) => checkStackRoles(s, stackJson(out, s), OPTIONS));
}

const byPath = (roles: RoleCheck[], fragment: string) => {
  const r = roles.filter((x) => x.path.includes(fragment));
  if (r.length !== 1) throw new Error(`expected one role matching ${fragment}, found ${r.map((x) => x.path).join(", ") || "none"}`);
  return r[0];
};
const actions = (r: RoleCheck) => [...new Set(r.allowed.map((a) => a.action))].sort();

describe("least privilege: every role allows exactly what its code calls", () => {
  // Rebalance recommendations on, so the handler's Terminate path is live and checked too.
  const roles = rolesOf(testConfig({ stacks: { webFleet: { spotInterruption: { rebalanceRecommendations: true } } } }));

  test("every role of every stack is covered and has no finding", () => {
    const problems = roles.filter((r) => r.findings.length).map((r) => ({ role: r.path, runs: r.runs, findings: r.findings }));
    expect(problems).toEqual([]);
    // each role is used by something the checker modelled
    for (const r of roles) expect({ role: r.path, runs: r.runs.length > 0 }).toEqual({ role: r.path, runs: true });
  });

  test("the roles expected per stack are all there", () => {
    const paths = roles.map((r) => r.path);
    for (const fragment of [
      ...HAIKU_ROUTES.map((route) => `bashoutter/Function${route.id[0].toUpperCase()}${route.id.slice(1)}/ServiceRole`),
      "simple-lambda/Function/ServiceRole",
      "web-fleet/Fleet/SpotInterruptionHandler/Function/ServiceRole",
      "web-fleet/Fleet/BaseLaunchTemplate/Role",
      "web-fleet/Fleet/SpotLaunchTemplate/Role",
      "ecs-autoscaling/Capacity/LaunchTemplate/Role",
      "ecs-autoscaling/WebTask/TaskRole",
      "ecs-autoscaling/WebTask/ExecutionRole",
      "qa-bot/WorkerTask/TaskRole",
      "qa-bot/WorkerTask/ExecutionRole",
    ]) {
      expect(paths.some((p) => p.includes(fragment))).toBe(true);
    }
  });

  test("bashoutter: each function's DynamoDB actions are those its handler calls, and routes.ts declares the same", () => {
    for (const route of HAIKU_ROUTES) {
      const r = byPath(roles, `bashoutter/Function${route.id[0].toUpperCase()}${route.id.slice(1)}/ServiceRole`);
      const called = [...new Set(r.calls.map((c) => c.action))].sort();
      expect({ route: route.id, called }).toEqual({ route: route.id, called: [...route.tableActions].sort() });
      expect(actions(r).filter((a) => a.startsWith("dynamodb:"))).toEqual(called);
    }
  });

  test("qa-bot task role: dynamodb:PutItem on the answers table, from the worker's PutCommand", () => {
    const r = byPath(roles, "qa-bot/WorkerTask/TaskRole");
    expect(r.calls.map((c) => [c.action, c.file])).toEqual([["dynamodb:PutItem", "docker/qa-bot/src/worker.ts"]]);
    expect(r.allowed).toEqual([{ action: "dynamodb:PutItem", resource: expect.stringMatching(/^\$\{aws_dynamodb_table\..*\.arn\}$/) }]);
  });

  test("spot interruption handler: describe on *, detach and terminate on the Spot group only", () => {
    const r = byPath(roles, "SpotInterruptionHandler/Function/ServiceRole");
    const onGroups = r.allowed.filter((a) => a.action !== "autoscaling:DescribeAutoScalingInstances" && a.action.startsWith("autoscaling:"));
    expect(onGroups.map((a) => a.action).sort()).toEqual(["autoscaling:DetachInstances", "autoscaling:TerminateInstanceInAutoScalingGroup"]);
    for (const a of onGroups) expect(a.resource).toMatch(/autoScalingGroupName\/aws-course-test-web-fleet-spot$/);
  });

  test("web-fleet instances: the base role completes and heartbeats its own hook; the spot role makes no call; both Session Manager", () => {
    const base = byPath(roles, "BaseLaunchTemplate/Role");
    expect(actions(base)).toEqual(["autoscaling:CompleteLifecycleAction", "autoscaling:RecordLifecycleActionHeartbeat"]);
    expect(base.calls.map((c) => c.shellFunction).sort()).toEqual(["complete_action", "heartbeat_loop"]);
    const spot = byPath(roles, "SpotLaunchTemplate/Role");
    expect(spot.allowed).toEqual([]);
    for (const r of [base, spot]) expect(r.managedPolicies).toEqual(["AmazonSSMManagedInstanceCore"]);
  });

  test("no role outside web-fleet carries AmazonSSMManagedInstanceCore; first-ec2 and gpu-jupyter have no role at all", () => {
    for (const r of roles.filter((x) => !x.path.startsWith("web-fleet/"))) expect({ role: r.path, managed: r.managedPolicies }).not.toEqual({ role: r.path, managed: expect.arrayContaining(["AmazonSSMManagedInstanceCore"]) });
    expect(roles.filter((r) => r.stack === "first-ec2" || r.stack === "gpu-jupyter")).toEqual([]);
  });

  test("with sessionManager on, first-ec2 and gpu-jupyter instance roles hold the SSM allowance and nothing else", () => {
    const on = testConfig({ stacks: { firstEc2: { sessionManager: true }, gpuJupyter: { sessionManager: true } } });
    const both = ["first-ec2", "gpu-jupyter"] as const;
    const out = synthApp(on, undefined, [...both]);
    const checked = both.flatMap((s) => checkStackRoles(s, stackJson(out, s), OPTIONS));
    expect(checked).toHaveLength(2);
    for (const r of checked) {
      expect(r.allowed).toEqual([]);
      expect(r.managedPolicies).toEqual(["AmazonSSMManagedInstanceCore"]);
      // not declared as a Session Manager stack in OPTIONS: the checker flags the managed policy
      expect(r.findings).toEqual([expect.stringContaining("AmazonSSMManagedInstanceCore is not justified")]);
    }
    // the same stacks, each declared as a Session Manager stack
    const declared = both.flatMap((s) => checkStackRoles(s, stackJson(out, s), { sessionManager: [`${s}/`] }));
    expect(declared.flatMap((r) => r.findings)).toEqual([]);
  });
});

describe("the checker fails what it should", () => {
  function fnWith(grant: (t: Table, fn: NodeFunction) => void, entry = "haiku-create"): RoleCheck {
    const json: TfJson = synthJson((s) => {
      const table = new Table(s, "Table", {
        partitionKey: { name: "item_id", type: AttributeType.STRING },
        globalSecondaryIndexes: [{ indexName: "by_time", partitionKey: { name: "gsi_pk", type: AttributeType.STRING } }],
      });
      const fn = new NodeFunction(s, "Fn", { entry, environment: { TABLE_NAME: table.tableName } });
      grant(table, fn);
    });
    const [role] = checkStackRoles("test", json);
    return role;
  }

  test("more actions than the handler calls (grantReadWriteData for a PutItem handler)", () => {
    const r = fnWith((t, fn) => t.grantReadWriteData(fn));
    expect(r.findings).toEqual(expect.arrayContaining([expect.stringMatching(/allows dynamodb:GetItem on .* which no call and no platform allowance needs/)]));
    expect(r.findings).toEqual(expect.arrayContaining([expect.stringMatching(/allows dynamodb:Query on .*\/index\/by_time/)]));
  });

  test("fewer: a call the role does not allow", () => {
    const r = fnWith((t, fn) => t.grant(fn, "dynamodb:UpdateItem"));
    expect(r.findings).toEqual(expect.arrayContaining([expect.stringMatching(/repository\.ts:\d+ needs dynamodb:PutItem on \$\{aws_dynamodb_table\..*\.arn\}, which the role does not allow/)]));
  });

  test("the right action on the wrong resource (an index ARN for an item write)", () => {
    const r = fnWith((t, fn) => {
      t.grant(fn, "dynamodb:PutItem");
      t.grantIndex(fn, "by_time", "dynamodb:Scan");
    }, "haiku-list");
    expect(r.findings).toEqual(expect.arrayContaining([expect.stringMatching(/allows dynamodb:Scan on .*\/index\/by_time, but the code touches only \$\{aws_dynamodb_table\.[^/]*\.arn\}$/)]));
  });

  test("fewer, Auto Scaling: a Spot handler role without the actions its client calls", () => {
    const r = fnWith(() => undefined, "spot-interruption");
    expect(r.calls.map((c) => c.call)).toEqual(expect.arrayContaining(["AutoScaling.describeAutoScalingInstances", "AutoScaling.detachInstances"]));
    expect(r.findings).toEqual(
      expect.arrayContaining([expect.stringMatching(/spot-interruption\/index\.ts:\d+ needs autoscaling:DescribeAutoScalingInstances on \*, which the role does not allow/)]),
    );
  });

  test("exactly the calls: no finding", () => {
    expect(fnWith((t, fn) => t.grant(fn, "dynamodb:PutItem")).findings).toEqual([]);
  });
});
