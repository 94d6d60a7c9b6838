export * from "./instance";
export * from "./instance-type";
export * from "./launch-template";
export * from "./machine-image";
export * from "./user-data";
export * from "./idle-stop-alarm";
