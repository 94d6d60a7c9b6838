export * from "./availability-zones";
export * from "./cidr";
export * from "./network";
export * from "./peer";
export * from "./security-group";
