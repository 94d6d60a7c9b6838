import { App } from "cdktf";
import type { InfraConfig } from "../config";
import { StateStack } from "./state";
import { FirstEc2Stack } from "./first-ec2";
import { EcsAutoscalingStack } from "./ecs-autoscaling";

/**
 * Every deployable system, by stack name. `main.ts` builds all of them;
 * tests build them into temporary folders with other configurations.
 */
export function buildApp(app: App, config: InfraConfig): App {
  new StateStack(app, "state", config);
  new FirstEc2Stack(app, "first-ec2", config);
  new EcsAutoscalingStack(app, "ecs-autoscaling", config);
  return app;
}
