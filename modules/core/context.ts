import { Construct } from "constructs";

/** Context key under which a stack records its AWS region for the modules inside it. */
export const REGION_CONTEXT_KEY = "aws-course:region";

/** The region recorded by the enclosing stack, if any. */
export function regionOf(scope: Construct): string | undefined {
  return scope.node.tryGetContext(REGION_CONTEXT_KEY);
}
