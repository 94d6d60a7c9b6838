import { App } from "cdktf";
import { loadConfigOrExit } from "./config/cli";
import { buildApp } from "./stacks/app";

// Configuration -> stacks; nothing else belongs here.
const config = loadConfigOrExit();
buildApp(new App(), config).synth();
