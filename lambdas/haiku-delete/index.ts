import { makeDeleteHandler } from "../haiku/handlers";

/** Lambda entry of the `delete` route (see lambdas/haiku/routes.ts). */
export const handler = makeDeleteHandler();
