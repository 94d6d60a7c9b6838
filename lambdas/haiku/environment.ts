/**
 * The environment contract of the haiku functions: the variable names the
 * stack (stacks/bashoutter.ts) and the dev server (tools/dev-server.ts) set
 * and the handlers read. Plain data: no cdktf, no SDK (bundled into every
 * haiku function).
 */
export const HAIKU_ENV = {
  /** The haiku table's name; every route. */
  tableName: "TABLE_NAME",
  /** The HMAC secret that signs list cursors; GET routes (else one per process). */
  cursorSecret: "CURSOR_SECRET",
  /** `"true"`: DELETE works without the delete token (`stacks.bashoutter.openWrites`); the delete route. */
  openWrites: "OPEN_WRITES",
} as const;
