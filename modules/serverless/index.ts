export * from "./function";
export * from "./table";
export * from "./bundle";
export * from "./zip";
