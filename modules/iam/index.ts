export * from "./grant";
export * from "./partition";
export * from "./policy-statement";
export * from "./role";
