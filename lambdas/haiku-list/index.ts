import { makeListHandler } from "../haiku/handlers";

/** Lambda entry of the `list` route (see lambdas/haiku/routes.ts). */
export const handler = makeListHandler();
