export * from "./context";
export * from "./log-retention";
