import { testConfig } from "../helpers/config";
import { stackJson, synthApp } from "../helpers/app";
import { STACKS } from "../../stacks/app";
import { limitName, physicalName } from "../../modules/core/names";
import { Construct } from "constructs";
import { Testing } from "cdktf";

/**
 * Two environments of one project in one account and region: every name
 * AWS requires to be unique must differ, or the second `deploy` fails at
 * apply ("already exists"). Names are read from the synthesized JSON of
 * every stack, so a new resource type is covered without touching this test.
 */

/** Attributes that hold a physical name AWS keeps unique per account/region (or globally: S3). */
const NAME_ATTRIBUTES = ["name", "function_name", "bucket", "alarm_name", "family", "repository_name", "cluster_name"];

/**
 * Names unique only inside a parent that is itself per environment: they may
 * repeat across environments. Anything else that repeats fails the test.
 */
const SCOPED: Record<string, string> = {
  "aws_api_gateway_model.name": "unique per REST API (the API's own name differs)",
  "aws_api_gateway_request_validator.name": "unique per REST API",
  "aws_ecs_service.name": "unique per ECS cluster (the cluster's name differs)",
  "aws_appautoscaling_policy.name": "unique per scalable target (the ECS service of its cluster)",
  "aws_autoscaling_policy.name": "unique per Auto Scaling group (the group's name differs)",
};

/**
 * The one resource shared on purpose: the `state` stack's bucket holds the
 * state of every environment (keys `<env>/<stack>.tfstate`), so it is
 * deployed once per account (README, "State").
 */
const SHARED_ON_PURPOSE = new Set(["state aws_s3_bucket.StateBucket_3A0A90D0.bucket"]);

/** AWS's length limits for the names checked here. */
const MAX_LENGTH: Record<string, number> = {
  "aws_lambda_function.function_name": 64,
  "aws_lb.name": 32,
  "aws_lb_target_group.name": 32,
  "aws_sqs_queue.name": 80,
  "aws_dynamodb_table.name": 255,
  "aws_cloudwatch_log_group.name": 512,
  "aws_ecs_cluster.name": 255,
  "aws_ecs_capacity_provider.name": 255,
  "aws_ecs_task_definition.family": 255,
  "aws_ecr_repository.name": 256,
  "aws_autoscaling_group.name": 255,
  "aws_cloudwatch_metric_alarm.alarm_name": 255,
  "aws_cloudfront_origin_access_control.name": 64,
  "aws_api_gateway_rest_api.name": 1024,
};

type Names = Map<string, string>; // "<stack> <type>.<resource>.<attr>" -> value

function namesOf(environment: string): Names {
  const outdir = synthApp(testConfig({ environment }));
  const names: Names = new Map();
  for (const stack of Object.keys(STACKS)) {
    for (const [type, resources] of Object.entries(stackJson(outdir, stack).resource ?? {})) {
      for (const [resource, config] of Object.entries(resources)) {
        for (const attr of NAME_ATTRIBUTES) {
          const value = (config as Record<string, unknown>)[attr];
          // References (`${aws_x.y.name}`) name another resource, checked where it is defined.
          if (typeof value === "string" && !value.includes("${")) names.set(`${stack} ${type}.${resource}.${attr}`, value);
        }
      }
    }
  }
  return names;
}

const typeAttr = (key: string) => key.split(" ")[1].replace(/\.[^.]+\./, ".");

describe("two environments side by side", () => {
  const dev = namesOf("dev");
  const prod = namesOf("prod");

  test("the app makes names of many kinds (the test reads what it should)", () => {
    const kinds = new Set([...dev.keys()].map(typeAttr));
    for (const kind of ["aws_lambda_function.function_name", "aws_cloudwatch_log_group.name", "aws_sqs_queue.name", "aws_dynamodb_table.name", "aws_lb.name", "aws_cloudfront_origin_access_control.name", "aws_ecr_repository.name"]) {
      expect(kinds).toContain(kind);
    }
  });

  test("no unique name is shared between dev and prod, by resource type", () => {
    const shared = [...dev]
      .filter(([key, value]) => prod.get(key) === value)
      .filter(([key]) => !SCOPED[typeAttr(key)] && !SHARED_ON_PURPOSE.has(key))
      .map(([key, value]) => `${key} = ${value}`);
    expect(shared).toEqual([]);
    // And not across keys either: no dev name equals any prod name of the same type.
    const byType = (names: Names) => new Set([...names].filter(([k]) => !SCOPED[typeAttr(k)] && !SHARED_ON_PURPOSE.has(k)).map(([k, v]) => `${typeAttr(k)}=${v}`));
    const prodNames = byType(prod);
    expect([...byType(dev)].filter((n) => prodNames.has(n))).toEqual([]);
  });

  test("every unique name carries the project and the environment", () => {
    const missing = [...dev]
      .filter(([key]) => !SCOPED[typeAttr(key)] && !SHARED_ON_PURPOSE.has(key))
      .filter(([, value]) => !value.toLowerCase().includes("aws-course-dev"))
      .map(([key, value]) => `${key} = ${value}`);
    expect(missing).toEqual([]);
  });

  test("the functions and log groups the review named carry the environment", () => {
    const values = [...dev.values()];
    for (const route of ["Create", "Delete", "Like", "List"]) {
      expect(values).toContain(`aws-course-dev-bashoutter-Function${route}`);
      expect(values).toContain(`/aws/lambda/aws-course-dev-bashoutter-Function${route}`);
    }
    expect(values).toContain("aws-course-dev-web-fleet-Fleet-SpotInterruptionHandler-Function");
    expect(values).toContain("aws-course-dev-web-fleet-Fleet-SpotInterruptionHandler-Function-dlq");
  });

  test("names stay within AWS's length limits, also for the longest project and environment names", () => {
    const long = namesOf("staging-eu-west1");
    for (const names of [dev, long]) {
      const over = [...names]
        .filter(([key, value]) => MAX_LENGTH[typeAttr(key)] !== undefined && value.length > MAX_LENGTH[typeAttr(key)])
        .map(([key, value]) => `${key} = ${value} (${value.length} > ${MAX_LENGTH[typeAttr(key)]})`);
      expect(over).toEqual([]);
    }
  });
});

describe("physicalName and limitName", () => {
  const inStack = (prefix: string | undefined, ...ids: string[]): Construct => {
    const app = Testing.app();
    let scope: Construct = new Construct(app, "my-stack");
    if (prefix) scope.node.setContext("aws-course:name-prefix", prefix);
    for (const id of ids) scope = new Construct(scope, id);
    return scope;
  };

  test("prefix, stack id and construct ids, joined by hyphens", () => {
    expect(physicalName(inStack("aws-course-dev", "Fleet", "Function"), { maxLength: 64 })).toBe("aws-course-dev-my-stack-Fleet-Function");
  });

  test("without a stack prefix (a module used on its own) the name starts at the stack id", () => {
    expect(physicalName(inStack(undefined, "Function"), { maxLength: 64 })).toBe("my-stack-Function");
  });

  test("cut names keep their start and end with a hash of the whole name, so environments still differ", () => {
    const a = physicalName(inStack("a-very-long-project-name-staging1", "SomeLongConstruct", "Function"), { maxLength: 40 });
    const b = physicalName(inStack("a-very-long-project-name-staging2", "SomeLongConstruct", "Function"), { maxLength: 40 });
    expect(a).toHaveLength(40);
    expect(a).toMatch(/^a-very-long-project-name-stagin-[0-9a-f]{8}$/);
    // A plain cut would have made them equal; the hash keeps them apart.
    expect(a.slice(0, 31)).toBe(b.slice(0, 31));
    expect(a).not.toBe(b);
  });

  test("limitName leaves short names alone and refuses limits too small for a hash", () => {
    expect(limitName("short", 32)).toBe("short");
    expect(limitName("x".repeat(33), 32)).toMatch(/^x{23}-[0-9a-f]{8}$/);
    expect(() => limitName("long-name", 5)).toThrow(/maxLength \(5\)/);
  });

  test("characters AWS refuses are dropped, case kept or lowered on request", () => {
    expect(physicalName(inStack("p-dev", "Repo.Name"), { maxLength: 64, lowercase: true })).toBe("p-dev-my-stack-reponame");
  });
});
