import * as fs from "fs";
import * as path from "path";
import { Fn, Token } from "cdktf";

/** Folder of the scripts that run on instances. */
export const USERDATA_DIR = path.resolve(__dirname, "..", "..", "userdata");

/**
 * A shell script from `userdata/` with variables exported at its top. Values
 * may be Terraform tokens (known only at apply); the script is then put
 * together and encoded by Terraform (`base64encode(join(...))`).
 */
export class UserData {
  /** Reads `userdata/<file>`. */
  static fromFile(file: string, variables: Record<string, string> = {}): UserData {
    const full = path.resolve(USERDATA_DIR, file);
    if (!full.startsWith(USERDATA_DIR + path.sep)) throw new Error(`userData file ("${file}") must be inside userdata/`);
    if (!fs.existsSync(full)) throw new Error(`userData file ("${file}") not found in userdata/`);
    return new UserData(fs.readFileSync(full, "utf8"), variables, file);
  }

  /** A script given inline (tests, one-liners). */
  static fromScript(script: string, variables: Record<string, string> = {}): UserData {
    return new UserData(script, variables, "inline");
  }

  private constructor(
    private readonly script: string,
    private readonly variables: Record<string, string>,
    readonly source: string,
  ) {
    if (!script.startsWith("#!")) throw new Error(`userData (${source}) must start with a #! line`);
    for (const name of Object.keys(variables)) {
      if (!/^[A-Z_][A-Z0-9_]*$/.test(name)) throw new Error(`userData variable name ("${name}") must be UPPER_SNAKE_CASE`);
    }
  }

  /** The script with `export NAME='value'` lines after the `#!` line. */
  get text(): string {
    const [shebang, ...rest] = this.script.split("\n");
    const exports = Object.entries(this.variables).map(([k, v]) => `export ${k}=${shellQuote(v)}`);
    return [shebang, ...(exports.length ? ["# Set by the stack at synth time", ...exports] : []), ...rest].join("\n");
  }

  /** Base64 for a launch template's `user_data`. */
  render(): string {
    const hasTokens = Object.values(this.variables).some((v) => Token.isUnresolved(v));
    if (!hasTokens) return Buffer.from(this.text, "utf8").toString("base64");
    // Literal text travels base64-encoded (so no quote, backslash, ${ or %{ in the
    // script is read as Terraform syntax); tokens stay expressions. Terraform
    // decodes, joins and re-encodes at apply.
    const [shebang, ...rest] = this.script.split("\n");
    const parts: string[] = [`${shebang}\n# Set by the stack at apply time\n`];
    for (const [k, v] of Object.entries(this.variables)) {
      if (Token.isUnresolved(v)) parts.push(`export ${k}='`, v, "'\n");
      else parts.push(`export ${k}=${shellQuote(v)}\n`);
    }
    parts.push(rest.join("\n"));
    const pieces = parts.map((p) => (Token.isUnresolved(p) ? p : Fn.base64decode(Buffer.from(p, "utf8").toString("base64"))));
    return Fn.base64encode(Fn.join("", pieces));
  }
}

/** Single-quotes a value for POSIX shells. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'"'"'`)}'`;
}
