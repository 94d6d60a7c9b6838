import { awsResourceClass, takesArgument } from "../core/cdktf-internals";

/**
 * Whether a Terraform AWS type takes `tags`, read from the generated
 * provider class (see core/cdktf-internals.ts). Loads one small deep-import
 * module per type, cached.
 */
const cache = new Map<string, boolean>();

export function isTaggable(type: string): boolean {
  let known = cache.get(type);
  if (known === undefined) {
    const cls = awsResourceClass(type);
    known = cls !== undefined && takesArgument(cls, "tags");
    cache.set(type, known);
  }
  return known;
}
