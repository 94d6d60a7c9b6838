export * from "./rest-api";
