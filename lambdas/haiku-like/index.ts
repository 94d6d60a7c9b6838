import { makeLikeHandler } from "../haiku/handlers";

/** Lambda entry of the `like` route (see lambdas/haiku/routes.ts). */
export const handler = makeLikeHandler();
