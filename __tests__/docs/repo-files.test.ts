/**
 * The files a newcomer's tools read (issue 17.7): the LICENSE matches
 * package.json, and VS Code recommends the project's extensions and
 * validates the configuration files with the generated schema.
 */
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..");
const read = (f: string) => fs.readFileSync(path.join(ROOT, f), "utf8");
const pkg = JSON.parse(read("package.json")) as { license: string; author: string };

/**
 * VS Code's `json.schemas[].fileMatch` semantics for the patterns used: a
 * leading `/` anchors at the workspace root, `*` stays within a path
 * segment, `**` crosses segments, `!` excludes.
 */
function fileMatches(patterns: readonly string[], file: string): boolean {
  const toRegex = (p: string) => {
    const body = p
      .replace(/^\//, "")
      .split(/(\*\*|\*)/)
      .map((part) => (part === "**" ? ".*" : part === "*" ? "[^/]*" : part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")))
      .join("");
    return new RegExp(p.startsWith("/") ? `^/${body}$` : `(^|/)${body}$`);
  };
  const include = patterns.filter((p) => !p.startsWith("!"));
  const exclude = patterns.filter((p) => p.startsWith("!")).map((p) => p.slice(1));
  return include.some((p) => toRegex(p).test(file)) && !exclude.some((p) => toRegex(p).test(file));
}

describe("LICENSE", () => {
  test("is the MIT license of package.json, with its author as the holder", () => {
    expect(pkg.license).toBe("MIT");
    expect(pkg.author).toBeTruthy();
    const text = read("LICENSE");
    expect(text.split("\n")[0]).toBe("MIT License");
    expect(text).toMatch(new RegExp(`^Copyright \\(c\\) \\d{4} ${pkg.author.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`, "m"));
    expect(text).toContain('THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND');
    expect(read("README.md")).toMatch(/\[LICENSE\]\(LICENSE\)/);
  });
});

describe(".vscode", () => {
  test("recommends extensions by valid id, Terraform's among them", () => {
    const { recommendations } = JSON.parse(read(".vscode/extensions.json")) as { recommendations: string[] };
    expect(recommendations).toContain("hashicorp.terraform");
    for (const id of recommendations) expect(id).toMatch(/^[a-z0-9][a-z0-9-]*\.[a-z0-9][a-z0-9-]*$/);
    expect(new Set(recommendations).size).toBe(recommendations.length);
  });

  test("associates infra.config.json and infra.config.*.json (local, per environment) with the generated schema, nothing else", () => {
    const settings = JSON.parse(read(".vscode/settings.json")) as { "json.schemas": { fileMatch: string[]; url: string }[] };
    const [entry, ...others] = settings["json.schemas"];
    expect(others).toEqual([]);
    expect(path.normalize(entry.url)).toBe(path.normalize("./config/infra.config.schema.json"));
    const schema = JSON.parse(read(entry.url));
    expect(schema.$schema).toMatch(/json-schema\.org/);
    expect(schema.properties?.stacks).toBeDefined();
    for (const f of ["/infra.config.json", "/infra.config.local.json", "/infra.config.prod.json"]) expect([f, fileMatches(entry.fileMatch, f)]).toEqual([f, true]);
    for (const f of ["/config/infra.config.schema.json", "/package.json", "/docker/qa-bot/package.json", "/cdktf.out/manifest.json"]) {
      expect([f, fileMatches(entry.fileMatch, f)]).toEqual([f, false]);
    }
    // The committed file's own $schema line says the same.
    expect(JSON.parse(read("infra.config.json")).$schema).toBe(entry.url);
  });

  test("keeps the jest extension from running every suite on save (2 cores, terraform plans)", () => {
    const settings = JSON.parse(read(".vscode/settings.json")) as Record<string, unknown>;
    expect(settings["jest.runMode"]).toBe("on-demand");
    expect(settings["typescript.tsdk"]).toBe("node_modules/typescript/lib");
    expect(fs.existsSync(path.join(ROOT, "node_modules/typescript/lib/tsserver.js"))).toBe(true);
  });
});
