/**
 * Just enough of HCL's template and expression syntax (as cdktf writes it
 * into JSON strings) to find the references inside `${ ... }` and replace
 * some of them with literal values. Strings, nested templates, escapes
 * (`$${`, `%%{`), brackets and function calls are understood; everything
 * else is copied through untouched.
 */

/** A reference to a resource or data source attribute: `aws_vpc.main.id`, `data.aws_iam_policy_document.p.json`. */
export interface Reference {
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  /** Attribute names and indexes after the resource, e.g. `["launch_template", 0, "id"]`. */
  readonly steps: readonly (string | number)[];
  /** A splat (`.*`, `[*]`) follows: the reference is not one value. */
  readonly splat: boolean;
}

/**
 * Rewrites every reference in a JSON string value. `replace` returns the
 * HCL expression text to put instead of the reference, or undefined to keep
 * it. `isResourceType` tells identifiers that start a resource reference.
 */
export function rewriteTemplate(text: string, isResourceType: (t: string) => boolean, replace: (ref: Reference) => string | undefined): string {
  return new Scanner(text, isResourceType, replace).template(false);
}

/** Every reference in a JSON string value. */
export function referencesIn(text: string, isResourceType: (t: string) => boolean): Reference[] {
  const found: Reference[] = [];
  rewriteTemplate(text, isResourceType, (r) => {
    found.push(r);
    return undefined;
  });
  return found;
}

/** A value as an HCL literal expression (strings escaped for templates too). */
export function hclLiteral(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return JSON.stringify(value).replace(/\$\{/g, "$$${").replace(/%\{/g, "%%{");
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map(hclLiteral).join(", ")}]`;
  return `{${Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${JSON.stringify(k)} = ${hclLiteral(v)}`)
    .join(", ")}}`;
}

const IDENT_START = /[A-Za-z_]/;
const IDENT = /[A-Za-z0-9_-]/;

class Scanner {
  private i = 0;
  constructor(
    private readonly s: string,
    private readonly isResourceType: (t: string) => boolean,
    private readonly replace: (ref: Reference) => string | undefined,
  ) {}

  /** Literal text with `${}` and `%{}` sequences; inside an expression's string when `quoted`. */
  template(quoted: boolean): string {
    let out = "";
    const s = this.s;
    while (this.i < s.length) {
      const c = s[this.i];
      if (quoted && c === '"') return out;
      if (quoted && c === "\\") {
        out += s.slice(this.i, this.i + 2);
        this.i += 2;
        continue;
      }
      if ((c === "$" || c === "%") && s[this.i + 1] === c && s[this.i + 2] === "{") {
        out += s.slice(this.i, this.i + 3);
        this.i += 3;
        continue;
      }
      if ((c === "$" || c === "%") && s[this.i + 1] === "{") {
        out += s.slice(this.i, this.i + 2);
        this.i += 2;
        out += this.expression("}");
        if (this.i < s.length) out += s[this.i++]; // the closing brace
        continue;
      }
      out += c;
      this.i++;
    }
    return out;
  }

  /** An expression up to (not including) `close` at nesting depth 0. */
  private expression(close: string): string {
    let out = "";
    const s = this.s;
    let previous = ""; // last significant character, to tell `x.aws_y` from `aws_y`
    while (this.i < s.length) {
      const c = s[this.i];
      if (c === close) return out;
      if (c === '"') {
        this.i++;
        out += `"${this.template(true)}"`;
        this.i++;
        previous = '"';
        continue;
      }
      if (c === "(" || c === "[" || c === "{") {
        const end = c === "(" ? ")" : c === "[" ? "]" : "}";
        this.i++;
        out += c + this.expression(end);
        if (this.i < s.length) out += s[this.i++];
        previous = end;
        continue;
      }
      if (IDENT_START.test(c) && previous !== "." && !IDENT.test(s[this.i - 1] ?? "")) {
        const start = this.i;
        const ident = this.identifier();
        const ref = this.reference(ident);
        if (ref) {
          const replacement = this.replace(ref);
          out += replacement ?? s.slice(start, this.i);
        } else {
          out += ident;
        }
        previous = "a";
        continue;
      }
      out += c;
      if (!/\s/.test(c)) previous = c;
      this.i++;
    }
    return out;
  }

  private identifier(): string {
    const start = this.i;
    while (this.i < this.s.length && IDENT.test(this.s[this.i])) this.i++;
    return this.s.slice(start, this.i);
  }

  /** After an identifier: the rest of a resource reference, or nothing (position unchanged). */
  private reference(first: string): Reference | undefined {
    const save = this.i;
    let mode: Reference["mode"] = "managed";
    let type = first;
    if (first === "data") {
      const t = this.dotIdentifier();
      if (!t) return this.reset(save);
      mode = "data";
      type = t;
    }
    if (!this.isResourceType(type)) return this.reset(save);
    const name = this.dotIdentifier();
    if (!name) return this.reset(save);
    const steps: (string | number)[] = [];
    let splat = false;
    for (;;) {
      const s = this.s;
      if (s[this.i] === "." && s[this.i + 1] === "*") {
        splat = true;
        this.i += 2;
        continue;
      }
      if (s[this.i] === "[" && s[this.i + 1] === "*" && s[this.i + 2] === "]") {
        splat = true;
        this.i += 3;
        continue;
      }
      const index = /^\[(\d+)\]/.exec(s.slice(this.i)) ?? /^\.(\d+)(?![A-Za-z_])/.exec(s.slice(this.i));
      if (index) {
        steps.push(Number(index[1]));
        this.i += index[0].length;
        continue;
      }
      const key = /^\["((?:[^"\\]|\\.)*)"\]/.exec(s.slice(this.i));
      if (key) {
        steps.push(JSON.parse(`"${key[1]}"`));
        this.i += key[0].length;
        continue;
      }
      const attr = this.dotIdentifier();
      if (attr) {
        steps.push(attr);
        continue;
      }
      break;
    }
    return { mode, type, name, steps, splat };
  }

  private dotIdentifier(): string | undefined {
    if (this.s[this.i] !== "." || !IDENT_START.test(this.s[this.i + 1] ?? "")) return undefined;
    this.i++;
    return this.identifier();
  }

  private reset(to: number): undefined {
    this.i = to;
    return undefined;
  }
}
