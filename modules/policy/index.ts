export * from "./aspect";
export * from "./engine";
export * from "./pack";
export * from "./rule";
export * from "./stack-index";
export * from "./suppress";
export * from "./taggable";
export * from "./report";
