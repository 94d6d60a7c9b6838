/**
 * Least privilege, checked against the code that runs: for every IAM role
 * of a synthesized stack, what the role allows (its inline policy documents
 * and managed policies) against what is needed - the AWS calls of the code
 * that runs with the role (tools/iam-calls.ts) plus named *platform
 * allowances*, the actions AWS services take with the role on the code's
 * behalf. Each allowed action must be needed, on the resource the code
 * touches; each call must be allowed. Pure function of the stack JSON.
 *
 * Which code runs with a role:
 * - `aws_lambda_function.role`: `lambdas/<entry>/index.ts` `handler` (the
 *   zip is named after the entry);
 * - `aws_ecs_task_definition.task_role_arn`: an image of this project's ECR
 *   repository runs `options.images[stack]` (a docker/ folder, its
 *   Dockerfile ENTRYPOINT); a public image runs none of our code;
 * - an instance profile's role: the user data of the launch templates that
 *   use the profile (its `aws` CLI calls and exported variables).
 */
import * as path from "path";
import type { StackIndex, ResourceView } from "../modules/policy/rule";
import { indexStack } from "../modules/policy/stack-index";
import { asList, containerDefinitions, policyStatements } from "../modules/policy/helpers";
import { AwsCall, dockerEntry, sdkCallsOf, shellCalls } from "./iam-calls";
import { SPOT_INTERRUPTION_ENV } from "../lambdas/spot-interruption/environment";
import { WEB_FLEET_SCRIPT_ENV } from "../userdata/web-fleet.environment";

/** What AWS does with a role on the code's behalf: named, explained, and only where the stack sets it up. */
export const PLATFORM_ALLOWANCES = {
  "lambda-logs": "Lambda writes the function's logs to its log group with the execution role",
  "lambda-dead-letter-queue": "Lambda sends events that failed every asynchronous attempt to the dead-letter queue with the execution role",
  "lambda-xray": "Lambda sends the function's trace segments to X-Ray with the execution role (tracing_config.mode Active; no resource-level permissions, so Resource *)",
  "lambda-on-failure": "Lambda sends failed asynchronous invocations to the on-failure destination with the execution role",
  "ecs-execution-logs": "the ECS agent (awslogs driver) writes the container's logs with the execution role",
  "ecs-execution-image-pull": "the ECS agent pulls the task's image from this project's ECR repository with the execution role",
  "ssm-session-manager": "AmazonSSMManagedInstanceCore: the SSM agent registers the instance for Session Manager (only where the docs say Session Manager is the way in)",
  "ecs-container-agent": "AmazonEC2ContainerServiceforEC2Role: the ECS agent on a container instance (its user data joins ECS_CLUSTER) registers and polls for tasks",
  "apigateway-account-logging": "AmazonAPIGatewayPushToCloudWatchLogs: API Gateway writes access and execution logs with the account's CloudWatch role (aws_api_gateway_account)",
} as const;
export type PlatformAllowance = keyof typeof PLATFORM_ALLOWANCES;

/**
 * Calls the code makes only under a condition the stack controls; each
 * with the evidence that the condition really gates them.
 */
export const CALL_GATES = [
  {
    name: "lifecycle-hook",
    actions: ["autoscaling:CompleteLifecycleAction", "autoscaling:RecordLifecycleActionHeartbeat"],
    why: "userdata/web-fleet.sh calls them only when ASG_NAME and LIFECYCLE_HOOK_NAME are set (tested: __tests__/userdata/web-fleet.test.ts 'no hook')",
    applies: (ctx: ComputeContext) => !!ctx.env[WEB_FLEET_SCRIPT_ENV.asgName] && !!ctx.env[WEB_FLEET_SCRIPT_ENV.lifecycleHookName],
  },
  {
    name: "rebalance-recommendation",
    actions: ["autoscaling:TerminateInstanceInAutoScalingGroup"],
    why: "lambdas/spot-interruption calls it only for 'EC2 Instance Rebalance Recommendation' events, which arrive only when the EventBridge rule asks for them",
    applies: (ctx: ComputeContext) => ctx.eventDetailTypes.includes("EC2 Instance Rebalance Recommendation"),
  },
] as const;

/** Actions the Service Authorization Reference lists with no resource type: `*` is the only resource. */
export const STAR_ONLY_ACTIONS = ["autoscaling:DescribeAutoScalingInstances", "ecr:GetAuthorizationToken"];

export const ECR_PULL = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"];

export interface ComputeContext {
  /** What runs: `lambda bashoutter/FunctionList`, ... */
  readonly what: string;
  /** Environment variables (values as synthesized: tokens are `${...}`). */
  readonly env: Readonly<Record<string, string>>;
  /** detail-types of EventBridge rules that target this function. */
  readonly eventDetailTypes: readonly string[];
}

/** One (action, resources) the role needs; any of `resources` satisfies it. */
export interface Need {
  readonly action: string;
  readonly resources: readonly string[];
  /** `code lambdas/haiku/repository.ts:60` or `platform lambda-logs`. */
  readonly because: string;
}

export interface RoleCheck {
  readonly stack: string;
  /** `aws_iam_role.<name>` */
  readonly role: string;
  readonly path: string;
  readonly runs: readonly string[];
  readonly calls: readonly AwsCall[];
  readonly allowed: readonly { action: string; resource: string }[];
  readonly managedPolicies: readonly string[];
  readonly needs: readonly Need[];
  readonly platform: readonly PlatformAllowance[];
  /** Empty when the role allows exactly what is needed. */
  readonly findings: readonly string[];
}

export interface CheckOptions {
  /** Stack -> docker folder of the images in its ECR repositories. */
  readonly images?: Readonly<Record<string, string>>;
  /** Roles (construct path prefixes) whose instances are documented to be reached with Session Manager. */
  readonly sessionManager?: readonly string[];
}

const ref = (r: ResourceView, attr: string) => `\${${r.mode === "data" ? "data." : ""}${r.type}.${r.name}.${attr}}`;

function decodeUserData(value: unknown): string {
  if (typeof value !== "string") return "";
  if (!value.includes("${")) return Buffer.from(value, "base64").toString("utf8");
  // base64encode(join("", [base64decode("..."), token, ...])): the literal pieces, tokens as-is.
  return value.replace(/base64decode\("([^"]*)"\)/g, (_, b64: string) => Buffer.from(b64, "base64").toString("utf8"));
}

function exportsOf(script: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const m of script.matchAll(/^export ([A-Z_][A-Z0-9_]*)='([^']*)'/gm)) env[m[1]] = m[2];
  return env;
}

/** Checks every role of one stack. */
export function checkStackRoles(stackName: string, tf: any, options: CheckOptions = {}): RoleCheck[] {
  const stack = indexStack(stackName, tf);
  return stack.byType("aws_iam_role").map((role) => checkRole(stack, role, options));
}

function checkRole(stack: StackIndex, role: ResourceView, options: CheckOptions): RoleCheck {
  const findings: string[] = [];
  const needs: Need[] = [];
  const platform = new Set<PlatformAllowance>();
  const runs: string[] = [];
  const calls: AwsCall[] = [];
  const refersTo = (value: unknown, target: ResourceView) => stack.referencesIn(value).includes(target);
  const allow = (p: PlatformAllowance, action: string, resources: string[]) => {
    platform.add(p);
    needs.push({ action, resources, because: `platform ${p}` });
  };

  // Allowed: inline policies and managed policies.
  const allowed: { action: string; resource: string }[] = [];
  for (const rp of stack.byType("aws_iam_role_policy").filter((p) => refersTo(p.config.role, role))) {
    const read = policyStatements(rp.config.policy, stack);
    if (!read) {
      findings.push(`${rp.path}: policy is not readable (neither a policy document nor literal JSON)`);
      continue;
    }
    for (const st of read.statements) {
      if (st.effect !== "Allow" || st.notActions.length || st.notResources.length || st.conditions.length) {
        findings.push(`${rp.path}: statement ${st.sid ?? ""} uses Deny/NotAction/NotResource/conditions, which the checker does not model`);
        continue;
      }
      for (const action of st.actions) for (const resource of st.resources) allowed.push({ action, resource });
    }
  }
  if (asList(role.config.inline_policy).length) findings.push(`${role.path}: inline_policy on the role is not modelled`);
  const managed = stack.byType("aws_iam_role_policy_attachment")
    .filter((a) => refersTo(a.config.role, role))
    .map((a) => String(a.config.policy_arn).replace(/^.*:policy\//, ""));

  const codeNeeds = (ctx: ComputeContext, found: AwsCall[]) => {
    for (const call of found) {
      const gate = CALL_GATES.find((g) => (g.actions as readonly string[]).includes(call.action));
      if (gate && !gate.applies(ctx)) continue;
      calls.push(call);
      const resources = resourcesFor(stack, ctx, call, allowed.map((a) => a.resource));
      if (typeof resources === "string") findings.push(`${ctx.what}: ${call.action} (${call.file}:${call.line}): ${resources}`);
      else needs.push({ action: call.action, resources, because: `code ${call.file}:${call.line}` });
    }
  };

  // Lambda functions.
  for (const fn of stack.byType("aws_lambda_function").filter((f) => refersTo(f.config.role, role))) {
    const entry = path.basename(String(fn.config.filename ?? ""), ".zip");
    const ctx: ComputeContext = {
      what: `lambda ${fn.path}`,
      env: fn.config.environment?.variables ?? {},
      eventDetailTypes: eventDetailTypesOf(stack, fn),
    };
    runs.push(`${ctx.what} (lambdas/${entry})`);
    codeNeeds(ctx, sdkCallsOf(`lambdas/${entry}/index.ts`));
    const logGroup = stack.resolveReference(fn.config.logging_config?.log_group);
    if (logGroup) for (const a of ["logs:CreateLogStream", "logs:PutLogEvents"]) allow("lambda-logs", a, [`${ref(logGroup, "arn")}:*`]);
    else findings.push(`${fn.path}: no logging_config.log_group of this stack`);
    if (fn.config.tracing_config?.mode === "Active") for (const a of ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]) allow("lambda-xray", a, ["*"]);
    const dlq = fn.config.dead_letter_config?.target_arn;
    if (dlq) allow("lambda-dead-letter-queue", "sqs:SendMessage", [dlq]);
    for (const cfg of stack.byType("aws_lambda_function_event_invoke_config").filter((c) => refersTo(c.config.function_name, fn))) {
      const dest = cfg.config.destination_config?.on_failure?.destination;
      const target = stack.resolveReference(dest);
      const action = target?.type === "aws_sqs_queue" ? "sqs:SendMessage" : target?.type === "aws_sns_topic" ? "sns:Publish" : target?.type === "aws_lambda_function" ? "lambda:InvokeFunction" : "events:PutEvents";
      if (dest) allow("lambda-on-failure", action, [dest]);
    }
  }

  // ECS task definitions.
  for (const td of stack.byType("aws_ecs_task_definition")) {
    const asTask = refersTo(td.config.task_role_arn, role);
    const asExecution = refersTo(td.config.execution_role_arn, role);
    if (!asTask && !asExecution) continue;
    for (const c of containerDefinitions(td) ?? []) {
      const repo = stack.referencesIn(c.image).find((r) => r.type === "aws_ecr_repository");
      if (asTask) {
        const ctx: ComputeContext = {
          what: `task ${td.path} container ${c.name}`,
          env: Object.fromEntries(asList(c.environment).map((e: any) => [e.name, e.value])),
          eventDetailTypes: [],
        };
        if (repo) {
          const dir = options.images?.[stack.stackName];
          if (!dir) findings.push(`${ctx.what}: runs an image of ${repo.path}; name its docker folder in options.images`);
          else {
            const entry = dockerEntry(dir);
            runs.push(`${ctx.what} (${entry})`);
            codeNeeds(ctx, sdkCallsOf(entry, null));
          }
        } else runs.push(`${ctx.what} (public image ${c.image}: none of this project's code)`);
      }
      if (asExecution) {
        runs.push(`ECS agent for ${td.path} container ${c.name}`);
        const group = stack.resolveReference(c.logConfiguration?.options?.["awslogs-group"]);
        if (group) for (const a of ["logs:CreateLogStream", "logs:PutLogEvents"]) allow("ecs-execution-logs", a, [`${ref(group, "arn")}:*`]);
        if (repo) {
          for (const a of ECR_PULL) allow("ecs-execution-image-pull", a, [ref(repo, "arn")]);
          allow("ecs-execution-image-pull", "ecr:GetAuthorizationToken", ["*"]);
        }
      }
    }
  }

  // Instances: profile -> launch templates -> user data.
  for (const profile of stack.byType("aws_iam_instance_profile").filter((p) => refersTo(p.config.role, role))) {
    for (const lt of stack.byType("aws_launch_template").filter((t) => refersTo(t.config.iam_instance_profile?.arn, profile))) {
      const script = decodeUserData(lt.config.user_data);
      const ctx: ComputeContext = { what: `instances of ${lt.path}`, env: exportsOf(script), eventDetailTypes: [] };
      runs.push(`${ctx.what} (user data)`);
      codeNeeds(ctx, shellCalls(script, `${lt.path} user data`));
      if (/ECS_CLUSTER=/.test(script)) platform.add("ecs-container-agent");
    }
    if ((options.sessionManager ?? []).some((p) => role.path.startsWith(p))) platform.add("ssm-session-manager");
  }

  if (stack.byType("aws_api_gateway_account").some((a) => refersTo(a.config.cloudwatch_role_arn, role))) {
    runs.push("API Gateway (account CloudWatch role)");
    platform.add("apigateway-account-logging");
  }

  const MANAGED_ALLOWANCE: Record<string, PlatformAllowance> = {
    "service-role/AmazonAPIGatewayPushToCloudWatchLogs": "apigateway-account-logging",
    AmazonSSMManagedInstanceCore: "ssm-session-manager",
    "service-role/AmazonEC2ContainerServiceforEC2Role": "ecs-container-agent",
  };
  for (const name of managed) {
    const p = MANAGED_ALLOWANCE[name];
    if (!p || !platform.has(p)) findings.push(`${role.path}: managed policy ${name} is not justified by a platform allowance of this role`);
  }
  for (const p of platform) {
    const name = Object.entries(MANAGED_ALLOWANCE).find(([, v]) => v === p)?.[0];
    if (name && !managed.includes(name)) findings.push(`${role.path}: needs managed policy ${name} (${PLATFORM_ALLOWANCES[p]})`);
  }

  // Compare.
  for (const a of allowed) {
    if (!needs.some((n) => n.action === a.action && n.resources.includes(a.resource))) {
      const other = needs.filter((n) => n.action === a.action);
      findings.push(
        other.length
          ? `allows ${a.action} on ${a.resource}, but the code touches only ${[...new Set(other.flatMap((n) => n.resources))].join(", ")}`
          : `allows ${a.action} on ${a.resource}, which no call and no platform allowance needs`,
      );
    }
  }
  for (const n of needs) {
    if (!allowed.some((a) => a.action === n.action && n.resources.includes(a.resource))) {
      findings.push(`${n.because} needs ${n.action} on ${n.resources.join(" or ")}, which the role does not allow`);
    }
  }
  return {
    stack: stack.stackName,
    role: `aws_iam_role.${role.name}`,
    path: role.path,
    runs,
    calls,
    allowed,
    managedPolicies: managed,
    needs,
    platform: [...platform],
    findings: [...new Set(findings)],
  };
}

/**
 * The resources a call touches, or why the checker cannot tell: the table
 * (or its index) named in the environment, the groups named in the
 * environment (their ARN as the role spells it: `...:autoScalingGroupName/<name>`).
 */
function resourcesFor(stack: StackIndex, ctx: ComputeContext, call: AwsCall, allowedResources: readonly string[]): string[] | string {
  if (STAR_ONLY_ACTIONS.includes(call.action)) return ["*"];
  const envRefs = Object.values(ctx.env).flatMap((v) => stack.referencesIn(v));
  if (call.action.startsWith("dynamodb:")) {
    const tables = envRefs.filter((r) => r.type === "aws_dynamodb_table");
    if (tables.length === 0) return "no table in the environment";
    if (!call.index) return tables.map((t) => ref(t, "arn"));
    return tables.flatMap((t) => asList(t.config.global_secondary_index).map((g: any) => `${ref(t, "arn")}/index/${g.name}`));
  }
  if (call.action.startsWith("autoscaling:")) {
    const names = Object.entries(ctx.env)
      .filter(([k]) => k === WEB_FLEET_SCRIPT_ENV.asgName || k === SPOT_INTERRUPTION_ENV.groupNames)
      .flatMap(([, v]) => v.split(",").map((s) => s.trim()).filter(Boolean));
    if (names.length === 0) return `no group name in the environment (${WEB_FLEET_SCRIPT_ENV.asgName}, ${SPOT_INTERRUPTION_ENV.groupNames})`;
    const groups = stack.byType("aws_autoscaling_group").filter((g) => names.includes(g.config.name));
    if (groups.length !== names.length) return `groups ${names.join(", ")} are not all in this stack`;
    return names.map(
      (n) =>
        allowedResources.find((r) => /^arn:[^:]+:autoscaling:[^:]+:[^:]+:autoScalingGroup:\*:autoScalingGroupName\/(.+)$/.exec(r)?.[1] === n) ??
        `arn:<partition>:autoscaling:<region>:<account>:autoScalingGroup:*:autoScalingGroupName/${n}`,
    );
  }
  return "the checker has no resource rule for this action (tools/iam-roles.ts resourcesFor)";
}

/** detail-types of the EventBridge rules whose targets are this function. */
function eventDetailTypesOf(stack: StackIndex, fn: ResourceView): string[] {
  const out: string[] = [];
  for (const target of stack.byType("aws_cloudwatch_event_target").filter((t) => stack.referencesIn(t.config.arn).includes(fn))) {
    const rule = stack.resolveReference(target.config.rule);
    try {
      out.push(...asList(JSON.parse(rule?.config.event_pattern ?? "{}")["detail-type"]).map(String));
    } catch {
      out.push("<unreadable pattern>");
    }
  }
  return out;
}
