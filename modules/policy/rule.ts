/** A resource as it appears in the synthesized Terraform JSON. */
export interface ResourceView {
  /** Terraform type, e.g. `aws_instance` (for a data source: `aws_iam_policy_document`, with `mode: "data"`). */
  readonly type: string;
  /** `managed` for a resource, `data` for a data source. @default "managed" */
  readonly mode?: "managed" | "data";
  /** Logical name in the JSON (`aws_instance.<name>`). */
  readonly name: string;
  /** Construct path (from cdktf's `//` metadata), for messages and annotations. */
  readonly path: string;
  /** The resource's arguments, tokens rendered as `${...}` expressions. */
  readonly config: Record<string, any>;
  /** Suppressions recorded on the resource with {@link suppress}. */
  readonly suppressions: readonly Suppression[];
}

export interface Suppression {
  readonly rule: string;
  readonly reason: string;
}

/** What rules see of a whole stack. */
export interface StackIndex {
  readonly stackName: string;
  readonly resources: readonly ResourceView[];
  /** Data sources (`mode: "data"`), e.g. the `aws_iam_policy_document`s that hold IAM statements. */
  readonly dataSources: readonly ResourceView[];
  /** Tags the AWS provider adds to every taggable resource. */
  readonly defaultTags: Readonly<Record<string, string>>;
  byType(type: string): ResourceView[];
  /** Data sources of one type (`aws_iam_policy_document`). */
  dataByType(type: string): ResourceView[];
  /** Resources of `type` with an argument that refers to `target` (`${type.name.attr}`). */
  referencing(type: string, target: ResourceView, argument: string): ResourceView[];
  /** The resource (or data source, `${data.type.name.attr}`) a reference expression points to. */
  resolveReference(expression: unknown): ResourceView | undefined;
  /** Every resource or data source named anywhere inside `value` (strings searched for `${...}` references). */
  referencesIn(value: unknown): ResourceView[];
}

/** A policy rule: one file each under `modules/policy/rules/`. */
export interface PolicyRule {
  /** Stable id used in suppressions, e.g. `EC2-IMDSV2`. */
  readonly id: string;
  /** One line: what compliant infrastructure does. */
  readonly description: string;
  /** `error` fails synth; `warning` prints; `info` is a hint (an info annotation, listed by `npm run policy`). */
  readonly level: "error" | "warning" | "info";
  /** The same check in other tools, for reviewers who know them. */
  readonly equivalents: { readonly checkov?: string; readonly trivy?: string; readonly cdkNag?: string };
  /** What the modules do by default about it (docs/policy.md), with its cost when it has one. */
  readonly moduleDefault?: string;
  /** Terraform types the rule looks at; `data.<type>` for data sources, `*` for every resource. */
  readonly resourceTypes: readonly string[];
  /** Returns why `resource` breaks the rule, or nothing when it complies. */
  check(resource: ResourceView, stack: StackIndex): string | undefined;
}

export interface Finding {
  readonly rule: PolicyRule;
  readonly resource: ResourceView;
  readonly message: string;
  /** Present when a suppression for this rule is on the resource. */
  readonly suppressedBecause?: string;
}
