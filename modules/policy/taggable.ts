/**
 * Whether a Terraform AWS type takes `tags`, read from the generated
 * provider class (`tagsInput` exists only on taggable resources). Loads one
 * small deep-import module per type, cached.
 */
const cache = new Map<string, boolean>();

export function isTaggable(type: string): boolean {
  let known = cache.get(type);
  if (known === undefined) {
    known = false;
    if (type.startsWith("aws_")) {
      const file = type.slice(4).replace(/_/g, "-");
      try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const mod = require(`@cdktf/provider-aws/lib/${file}`);
        known = Object.values(mod).some(
          (c) => typeof c === "function" && (c as any).tfResourceType === type && "tagsInput" in (c as any).prototype,
        );
      } catch {
        known = false;
      }
    }
    cache.set(type, known);
  }
  return known;
}
