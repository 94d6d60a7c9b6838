/**
 * Readers for API Gateway REST rules: a method's path (walking
 * aws_api_gateway_resource parents) and the method settings that apply to it.
 */
import type { ResourceView, StackIndex } from "./rule";
import { asList } from "./helpers";

/** `/haiku/{item_id}` for the resource a method is on (`/` for the root; undefined when unreadable). */
export function resourcePath(resourceId: unknown, stack: StackIndex): string | undefined {
  const parts: string[] = [];
  let current = stack.resolveReference(resourceId);
  if (typeof resourceId === "string" && /root_resource_id\}$/.test(resourceId)) return "/";
  for (let depth = 0; current && current.type === "aws_api_gateway_resource" && depth < 30; depth++) {
    parts.unshift(String(current.config.path_part));
    const parent = current.config.parent_id;
    if (typeof parent === "string" && /root_resource_id\}$/.test(parent)) return `/${parts.join("/")}`;
    current = stack.resolveReference(parent);
  }
  return current ? undefined : parts.length ? `/${parts.join("/")}` : undefined;
}

/** The method settings path API Gateway uses: `~1haiku/POST`. */
export function methodSettingsPath(method: ResourceView, stack: StackIndex): string | undefined {
  const p = resourcePath(method.config.resource_id, stack);
  return p === undefined ? undefined : `${p.replace(/\//g, "~1")}/${method.config.http_method}`;
}

/** Method settings of a REST API (`*`/`*` and per-method), with their `settings` block. */
export function methodSettings(stack: StackIndex): { resource: ResourceView; path: string; settings: any }[] {
  return stack.byType("aws_api_gateway_method_settings").map((m) => ({ resource: m, path: String(m.config.method_path), settings: asList(m.config.settings)[0] ?? {} }));
}

export const WRITE_METHODS = ["POST", "PUT", "PATCH", "DELETE"];
