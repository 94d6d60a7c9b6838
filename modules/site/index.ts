export * from "./content-types";
export * from "./static-site";
