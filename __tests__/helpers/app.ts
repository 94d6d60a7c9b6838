/**
 * The whole app for tests: synthesized as `npm run synth` does it. Apart
 * from the construct helpers (./synth.ts), so a construct test does not load
 * every stack and module.
 */
import * as fs from "fs";
import * as path from "path";
import { App } from "cdktf";
import type { InfraConfig } from "../../config/schema";
import { buildApp } from "../../stacks/app";
import type { TfJson } from "./synth";
import { tempDir } from "./synth";

/**
 * Synthesizes the whole app (every stack, with validations and the policy
 * aspect, as `npm run synth` does) into a temp folder and returns it.
 */
export function synthApp(config: InfraConfig, outdir = tempDir("app"), only?: readonly string[]): string {
  const app = new App({ outdir, stackTraces: false });
  buildApp(app, config, only).synth();
  return outdir;
}

/** One stack's synthesized JSON from an outdir made by {@link synthApp}. */
export function stackJson(outdir: string, stack: string): TfJson {
  return JSON.parse(fs.readFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
}
