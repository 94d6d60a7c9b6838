import { makeCreateHandler } from "../haiku/handlers";

/** Lambda entry of the `create` route (see lambdas/haiku/routes.ts). */
export const handler = makeCreateHandler();
