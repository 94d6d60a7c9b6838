import type { ResourceView, StackIndex, Suppression } from "./rule";

/** The `//` metadata key under which suppressions travel in the synthesized JSON. */
export const SUPPRESSIONS_KEY = "policy_suppressions";

type Blocks = Record<string, Record<string, Record<string, any>>>;
type TfJson = {
  resource?: Blocks;
  data?: Blocks;
  provider?: Record<string, Array<Record<string, any>>>;
};

const REFERENCE = /^\$\{(data\.)?([a-z0-9_]+)\.([A-Za-z0-9_-]+)(\.[A-Za-z0-9_.[\]"*]+)?\}$/;
/** Any `type.name` (or `data.type.name`) inside a Terraform expression. */
const EMBEDDED = /(data\.)?\b([a-z][a-z0-9]*_[a-z0-9_]+)\.([A-Za-z0-9_-]+)/g;

function views(blocks: Blocks | undefined, stackName: string, mode: "managed" | "data"): ResourceView[] {
  const out: ResourceView[] = [];
  for (const [type, byName] of Object.entries(blocks ?? {})) {
    for (const [name, config] of Object.entries(byName)) {
      const meta = (config["//"] ?? {}) as Record<string, any>;
      out.push({
        type,
        name,
        mode,
        path: meta.metadata?.path ?? `${stackName}/${mode === "data" ? "data." : ""}${name}`,
        config,
        suppressions: (meta[SUPPRESSIONS_KEY] ?? []) as Suppression[],
      });
    }
  }
  return out;
}

/** Builds the view rules work on from a stack's synthesized Terraform JSON. */
export function indexStack(stackName: string, tf: TfJson): StackIndex {
  const resources = views(tf.resource, stackName, "managed");
  const dataSources = views(tf.data, stackName, "data");
  const byAddress = new Map<string, ResourceView>([
    ...resources.map((r) => [`${r.type}.${r.name}`, r] as const),
    ...dataSources.map((d) => [`data.${d.type}.${d.name}`, d] as const),
  ]);
  const defaultTags: Record<string, string> = {};
  for (const provider of tf.provider?.aws ?? []) {
    for (const block of provider.default_tags ?? []) Object.assign(defaultTags, block.tags ?? {});
  }

  const resolveReference = (expression: unknown): ResourceView | undefined => {
    if (typeof expression !== "string") return undefined;
    const m = REFERENCE.exec(expression);
    return m ? byAddress.get(`${m[1] ?? ""}${m[2]}.${m[3]}`) : undefined;
  };

  const referencesIn = (value: unknown): ResourceView[] => {
    const found = new Set<ResourceView>();
    const walk = (v: unknown): void => {
      if (typeof v === "string") {
        if (!v.includes("${")) return;
        for (const m of v.matchAll(EMBEDDED)) {
          const hit = byAddress.get(`${m[1] ?? ""}${m[2]}.${m[3]}`);
          if (hit) found.add(hit);
        }
      } else if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === "object") {
        for (const [k, x] of Object.entries(v)) if (k !== "//") walk(x);
      }
    };
    walk(value);
    return [...found];
  };

  return {
    stackName,
    resources,
    dataSources,
    defaultTags,
    byType: (type) => resources.filter((r) => r.type === type),
    dataByType: (type) => dataSources.filter((d) => d.type === type),
    referencing: (type, target, argument) =>
      resources.filter((r) => r.type === type && resolveReference(r.config[argument]) === target),
    resolveReference,
    referencesIn,
  };
}
