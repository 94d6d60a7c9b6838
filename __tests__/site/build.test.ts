import * as fs from "fs";
import * as path from "path";
import { buildSite } from "../../site/build";
import { tempDir } from "../helpers/synth";
import { cacheControlOf } from "../../modules/site/content-types";

describe("site build", () => {
  test("emits index.html and content-hashed assets, the same names on every build", () => {
    const a = buildSite(tempDir("site-a"));
    const b = buildSite(tempDir("site-b"));
    expect(a).toEqual(b);
    expect(a).toContain("index.html");
    expect(a.filter((f) => /^app\.[A-Z0-9]{8}\.js$/.test(f))).toHaveLength(1);
    expect(a.filter((f) => /^style\.[A-Z0-9]{8}\.css$/.test(f))).toHaveLength(1);
    expect(a).not.toContain("config.json");
  });

  test("points index.html at the hashed assets, which are cached immutably while index.html is not", () => {
    const dir = tempDir("site-c");
    const files = buildSite(dir);
    const html = fs.readFileSync(path.join(dir, "index.html"), "utf8");
    const js = files.find((f) => f.endsWith(".js"))!;
    expect(html).toContain(`src="${js}"`);
    expect(cacheControlOf(js)).toMatch(/immutable/);
    expect(cacheControlOf("index.html")).toBe("no-cache");
    expect(cacheControlOf("config.json")).toBe("no-cache");
  });

  test("removes files left over from an earlier build", () => {
    const dir = tempDir("site-d");
    fs.writeFileSync(path.join(dir, "old.12345678.js"), "x");
    expect(buildSite(dir)).not.toContain("old.12345678.js");
  });

  test("labels every form input for assistive technology", () => {
    const html = fs.readFileSync(path.join(__dirname, "..", "..", "site", "src", "index.html"), "utf8");
    const ids = [...html.matchAll(/<input id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids).toEqual(["api-url", "first", "second", "third", "username"]);
    for (const id of ids) expect(html).toContain(`<label for="${id}">`);
    expect(html).toContain('role="alert"');
  });
});
