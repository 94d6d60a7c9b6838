import { makeAdminDeleteHandler } from "../haiku/handlers";

/** Lambda entry of the `adminDelete` route (see lambdas/haiku/routes.ts). */
export const handler = makeAdminDeleteHandler();
