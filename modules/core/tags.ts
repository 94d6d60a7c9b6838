/**
 * AWS tag rules (Tagging AWS resources, "Tag naming limits and
 * requirements") and the tags the project itself puts on resources.
 */

/** User-created tags AWS allows on one resource. */
export const MAX_TAGS_PER_RESOURCE = 50;
export const MAX_TAG_KEY_LENGTH = 128;
export const MAX_TAG_VALUE_LENGTH = 256;

/** Letters, digits and spaces in any script, and `_ . : / = + - @`. */
const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const ALLOWED = "letters, digits, spaces and _ . : / = + - @";

/**
 * Keys of the tags every stack puts on every resource (provider
 * `default_tags`, see {@link projectTags}); a configured tag with one of
 * these keys would be overwritten.
 */
export const PROJECT_TAG_KEYS = ["Project", "Environment", "Stack", "ManagedBy"] as const;

/**
 * Tags a module adds to its busiest resource on top of the default tags:
 * the subnets of `modules/network/network.ts` (`Name` and `Tier`). The
 * capacity provider's Auto Scaling group also has two (`AmazonECSManaged`,
 * `Name`), but provider default tags do not reach Auto Scaling groups.
 */
export const BUSIEST_RESOURCE_TAG_KEYS = ["Name", "Tier"] as const;

/** The default tags of a stack: the configured extra tags, then the project's own. */
export function projectTags(o: { project: string; environment: string; stack: string; extra?: Readonly<Record<string, string>> }): Record<string, string> {
  return { ...o.extra, Project: o.project, Environment: o.environment, Stack: o.stack, ManagedBy: "cdktf" };
}

/** Why `key` is not a tag key AWS accepts, or `undefined`. */
export function tagKeyProblem(key: string): string | undefined {
  const length = [...key].length;
  if (length < 1 || length > MAX_TAG_KEY_LENGTH) return `is a tag key of ${length} characters; AWS allows 1..${MAX_TAG_KEY_LENGTH}`;
  if (/^aws:/i.test(key)) return "is a tag key starting with aws:, a prefix AWS reserves for its own tags";
  if (!TAG_CHARACTERS.test(key)) return `is a tag key AWS refuses: tag keys may hold only ${ALLOWED}`;
  return undefined;
}

/** Why `value` is not a tag value AWS accepts, or `undefined`. */
export function tagValueProblem(value: string): string | undefined {
  const length = [...value].length;
  if (length > MAX_TAG_VALUE_LENGTH) return `is a tag value of ${length} characters; AWS allows at most ${MAX_TAG_VALUE_LENGTH}`;
  if (!TAG_CHARACTERS.test(value)) return `is a tag value AWS refuses: tag values may hold only ${ALLOWED}`;
  return undefined;
}

/**
 * Tags on the busiest resource with these extra tag keys: the extra keys,
 * the project's default tags and the module's own, each key once.
 */
export function tagsOnBusiestResource(extraKeys: readonly string[]): number {
  return new Set([...extraKeys, ...PROJECT_TAG_KEYS, ...BUSIEST_RESOURCE_TAG_KEYS]).size;
}

/** How many extra tags fit: {@link MAX_TAGS_PER_RESOURCE} minus what the project adds itself. */
export const MAX_EXTRA_TAGS = MAX_TAGS_PER_RESOURCE - tagsOnBusiestResource([]);
