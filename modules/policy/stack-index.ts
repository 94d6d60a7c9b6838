import type { ResourceView, StackIndex, Suppression } from "./rule";

/** The `//` metadata key under which suppressions travel in the synthesized JSON. */
export const SUPPRESSIONS_KEY = "policy_suppressions";

type TfJson = {
  resource?: Record<string, Record<string, Record<string, any>>>;
  provider?: Record<string, Array<Record<string, any>>>;
};

const REFERENCE = /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)(\.[A-Za-z0-9_.[\]"*]+)?\}$/;

/** Builds the view rules work on from a stack's synthesized Terraform JSON. */
export function indexStack(stackName: string, tf: TfJson): StackIndex {
  const resources: ResourceView[] = [];
  for (const [type, byName] of Object.entries(tf.resource ?? {})) {
    for (const [name, config] of Object.entries(byName)) {
      const meta = (config["//"] ?? {}) as Record<string, any>;
      resources.push({
        type,
        name,
        path: meta.metadata?.path ?? `${stackName}/${name}`,
        config,
        suppressions: (meta[SUPPRESSIONS_KEY] ?? []) as Suppression[],
      });
    }
  }
  const byAddress = new Map(resources.map((r) => [`${r.type}.${r.name}`, r]));
  const defaultTags: Record<string, string> = {};
  for (const provider of tf.provider?.aws ?? []) {
    for (const block of provider.default_tags ?? []) Object.assign(defaultTags, block.tags ?? {});
  }

  const resolveReference = (expression: unknown): ResourceView | undefined => {
    if (typeof expression !== "string") return undefined;
    const m = REFERENCE.exec(expression);
    return m ? byAddress.get(`${m[1]}.${m[2]}`) : undefined;
  };

  return {
    stackName,
    resources,
    defaultTags,
    byType: (type) => resources.filter((r) => r.type === type),
    referencing: (type, target, argument) =>
      resources.filter((r) => r.type === type && resolveReference(r.config[argument]) === target),
    resolveReference,
  };
}
