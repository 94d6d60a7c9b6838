export * from "./validate";
export * from "./warm-pool";
export * from "./mixed-instances";
export * from "./target-group";
export * from "./load-balancer";
export * from "./auto-scaling-group";
export * from "./spot-interruption-handler";
export * from "./web-fleet";
