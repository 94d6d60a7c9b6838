import { App, TerraformStack } from "cdktf";
import type { InfraConfig } from "../config";
import { StateStack } from "./state";
import { FirstEc2Stack } from "./first-ec2";
import { GpuJupyterStack } from "./gpu-jupyter";
import { EcsAutoscalingStack } from "./ecs-autoscaling";
import { QaBotStack } from "./qa-bot";
import { SimpleLambdaStack } from "./simple-lambda";
import { SimpleDynamodbStack } from "./simple-dynamodb";
import { BashoutterStack } from "./bashoutter";
import { WebFleetStack } from "./web-fleet";

/** Every deployable system: stack name -> how to build it. */
export const STACKS: Readonly<Record<string, (app: App, config: InfraConfig) => TerraformStack>> = {
  state: (app, config) => new StateStack(app, "state", config),
  "first-ec2": (app, config) => new FirstEc2Stack(app, "first-ec2", config),
  "gpu-jupyter": (app, config) => new GpuJupyterStack(app, "gpu-jupyter", config),
  "qa-bot": (app, config) => new QaBotStack(app, "qa-bot", config),
  "ecs-autoscaling": (app, config) => new EcsAutoscalingStack(app, "ecs-autoscaling", config),
  "simple-lambda": (app, config) => new SimpleLambdaStack(app, "simple-lambda", config),
  "simple-dynamodb": (app, config) => new SimpleDynamodbStack(app, "simple-dynamodb", config),
  bashoutter: (app, config) => new BashoutterStack(app, "bashoutter", config),
  "web-fleet": (app, config) => new WebFleetStack(app, "web-fleet", config),
};

/**
 * The deployable systems, by stack name: all of them (`main.ts`), or the
 * ones named in `only` (tests that need one stack skip building the rest).
 */
export function buildApp(app: App, config: InfraConfig, only?: readonly string[]): App {
  for (const name of only ?? Object.keys(STACKS)) {
    const build = STACKS[name];
    if (!build) throw new Error(`unknown stack ${name}; stacks are ${Object.keys(STACKS).join(", ")}`);
    build(app, config);
  }
  return app;
}
