import type { PolicyRule } from "../rule";
import { isTaggable } from "../taggable";

/** Tag keys every taggable resource carries (cost allocation, ownership). */
export const REQUIRED_TAG_KEYS = ["Project", "Environment", "Stack", "ManagedBy"] as const;

/** Taggable resources carry the project's tags, counting the provider's default_tags. */
export const RequiredTags: PolicyRule = {
  id: "REQUIRED-TAGS",
  description: `Taggable resources carry ${REQUIRED_TAG_KEYS.join(", ")} (resource tags merged with provider default_tags)`,
  level: "error",
  equivalents: { checkov: "CKV_AWS_TAGGING (custom)", trivy: "(none)", cdkNag: "(none; AWS Config required-tags)" },
  resourceTypes: ["*"],
  check(resource, stack) {
    if (!isTaggable(resource.type)) return undefined;
    const tags = { ...stack.defaultTags, ...(resource.config.tags ?? {}) };
    const missing = REQUIRED_TAG_KEYS.filter((k) => !tags[k]);
    return missing.length ? `is missing tag(s) ${missing.join(", ")}` : undefined;
  },
};
