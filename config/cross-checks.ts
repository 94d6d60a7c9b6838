import type { z } from "zod";
import { AWS_REGIONS, regionProblem } from "../modules/core/regions";
import { MAX_EXTRA_TAGS, MAX_TAGS_PER_RESOURCE, PROJECT_TAG_KEYS, tagsOnBusiestResource } from "../modules/core/tags";
import { certificateRegionProblem } from "../modules/loadbalancing/application-load-balancer";

/**
 * Rules that relate keys of different sections (a stack setting and the
 * top-level region, the tags and the project's own tags). Run with
 * `when: () => true`, so they report together with every other problem:
 * each check reads defensively, since a section may have failed to parse.
 */
export function checkAcrossSections(config: unknown, ctx: z.core.$RefinementCtx<unknown>): void {
  const allowUnknown = at(config, "allowUnknownRegion") === true;
  const escapeHint = "set allowUnknownRegion to true (top-level key) to use it";
  for (const path of [["region"], ["state", "region"]]) {
    const value = at(config, ...path);
    if (typeof value !== "string" || AWS_REGIONS.includes(value)) continue;
    const message = regionProblem(value, { allowUnknown, escapeHint });
    // Malformed ids are reported by the field itself.
    if (message && /known AWS region/.test(message)) ctx.addIssue({ code: "custom", path, message });
  }

  const region = at(config, "region");
  const certificateArn = at(config, "stacks", "webFleet", "certificateArn");
  if (typeof region === "string" && typeof certificateArn === "string") {
    const message = certificateRegionProblem(certificateArn, region);
    if (message) ctx.addIssue({ code: "custom", path: ["stacks", "webFleet", "certificateArn"], message: `${message} (region)` });
  }

  const tags = at(config, "tags");
  if (tags && typeof tags === "object") {
    const keys = Object.keys(tags);
    for (const key of keys.filter((k) => (PROJECT_TAG_KEYS as readonly string[]).includes(k))) {
      ctx.addIssue({
        code: "custom",
        path: ["tags", key],
        message:
          `is a tag the project sets itself on every resource (${PROJECT_TAG_KEYS.join(", ")}, from project, environment and the stack name), ` +
          "so this value would be overwritten: drop it, or use another key",
      });
    }
    if (tagsOnBusiestResource(keys) > MAX_TAGS_PER_RESOURCE) {
      ctx.addIssue({
        code: "custom",
        path: ["tags"],
        message:
          `holds ${keys.length} tags; AWS allows ${MAX_TAGS_PER_RESOURCE} per resource, and the project adds up to ` +
          `${MAX_TAGS_PER_RESOURCE - MAX_EXTRA_TAGS} of its own (${PROJECT_TAG_KEYS.join(", ")}, and Name and Tier on subnets): at most ${MAX_EXTRA_TAGS} extra tags`,
      });
    }
  }
}

function at(obj: unknown, ...path: string[]): unknown {
  let cur = obj;
  for (const key of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}
