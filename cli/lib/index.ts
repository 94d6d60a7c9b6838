// Shared helpers of the command groups in cli/ (see cli/index.ts).
export * from "./env";
export * from "./errors";
export * from "./node-warning";
export * from "./outputs";
export * from "./pool";
export * from "./progress";
export * from "./stats";
