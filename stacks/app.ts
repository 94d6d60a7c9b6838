import { App } from "cdktf";
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

/**
 * Every deployable system, by stack name. `main.ts` builds all of them;
 * tests build them into temporary folders with other configurations.
 */
export function buildApp(app: App, config: InfraConfig): App {
  new StateStack(app, "state", config);
  new FirstEc2Stack(app, "first-ec2", config);
  new GpuJupyterStack(app, "gpu-jupyter", config);
  new QaBotStack(app, "qa-bot", config);
  new EcsAutoscalingStack(app, "ecs-autoscaling", config);
  new SimpleLambdaStack(app, "simple-lambda", config);
  new SimpleDynamodbStack(app, "simple-dynamodb", config);
  new BashoutterStack(app, "bashoutter", config);
  new WebFleetStack(app, "web-fleet", config);
  return app;
}
