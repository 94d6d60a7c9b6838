export * from "./context";
export * from "./log-retention";
export * from "./validate";
