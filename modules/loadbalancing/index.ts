export * from "./application-load-balancer";
