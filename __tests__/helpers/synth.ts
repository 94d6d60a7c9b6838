import * as fs from "fs";
import * as path from "path";
import { App, TerraformStack, Testing } from "cdktf";
import { Construct } from "constructs";
import { REGION_CONTEXT_KEY } from "../../modules/core/context";
import { tempDir } from "./temp";

export { tempDir };

export type TfJson = {
  resource?: Record<string, Record<string, any>>;
  data?: Record<string, Record<string, any>>;
  output?: Record<string, any>;
  provider?: Record<string, any>;
  terraform?: Record<string, any>;
};

/**
 * GIVEN-side helper for construct tests: builds constructs in a plain
 * stack (region ap-northeast-1, as a CourseStack would record it) and
 * returns the synthesized JSON string for the cdktf jest matchers.
 */
export function synthScope(build: (scope: Construct) => void): string {
  return Testing.synthScope((stack) => {
    stack.node.setContext(REGION_CONTEXT_KEY, "ap-northeast-1");
    build(stack);
  });
}

/** Same as {@link synthScope}, parsed. */
export function synthJson(build: (scope: Construct) => void): TfJson {
  return JSON.parse(synthScope(build));
}

/** All resources of one type, by logical name. */
export function resourcesOf(json: TfJson, type: string): Record<string, any> {
  return json.resource?.[type] ?? {};
}

/** The only resource of a type; fails the test when there are none or several. */
export function onlyResource(json: TfJson, type: string): any {
  const all = Object.values(resourcesOf(json, type));
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0];
}
/** Builds one stack class in a fresh app and returns its JSON (runs aspects and validations). */
export function synthStack<T extends TerraformStack>(make: (app: App) => T): { stack: T; json: TfJson } {
  const app = Testing.app({ stackTraces: false } as never);
  const stack = make(app);
  app.synth();
  const file = path.join(app.outdir, "stacks", stack.node.id, "cdk.tf.json");
  return { stack, json: JSON.parse(fs.readFileSync(file, "utf8")) };
}
