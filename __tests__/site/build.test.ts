import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import { buildSite } from "../../site/build";
import { tempDir } from "../helpers/synth";
import { cacheControlOf } from "../../modules/cdn/content-types";
import { HAIKU_LIMITS } from "../../lambdas/haiku/routes";

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

  test("labels every form input for assistive technology, the lines 五 / 七 / 五 with their English words", () => {
    const html = fs.readFileSync(path.join(__dirname, "..", "..", "site", "src", "index.html"), "utf8");
    const ids = [...html.matchAll(/<input id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids).toEqual(["vertical", "first", "second", "third", "username", "api-url"]);
    for (const id of ids) expect(html).toMatch(new RegExp(`<label (class="[^"]+" )?for="${id}"`));
    expect(html).toContain('<label for="first"><span lang="ja">五</span> <span class="visually-hidden">First line, five sounds</span></label>');
    expect(html).toContain('<label for="second"><span lang="ja">七</span> <span class="visually-hidden">Second line, seven sounds</span></label>');
    expect(html).toContain('<label for="third"><span lang="ja">五</span> <span class="visually-hidden">Third line, five sounds</span></label>');
    expect(html).toContain('role="alert"');
  });

  test("stays under 50 KB gzip, everything included, and loads nothing from elsewhere", () => {
    const dir = tempDir("site-size");
    const files = buildSite(dir);
    const gzip = files.reduce((sum, f) => sum + zlib.gzipSync(fs.readFileSync(path.join(dir, f)), { level: 9 }).length, 0);
    expect(gzip).toBeLessThan(50 * 1024);
    expect(gzip).toBeGreaterThan(3 * 1024); // the whole GUI, not an empty build
    const html = fs.readFileSync(path.join(dir, "index.html"), "utf8");
    const css = fs.readFileSync(path.join(dir, files.find((f) => f.endsWith(".css"))!), "utf8");
    // No web fonts, CDNs or trackers: the fonts are the reader's own (a Japanese serif stack).
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(css).not.toMatch(/url\(|@import|@font-face/);
  });

  test("takes the character limits from the API's HAIKU_LIMITS", () => {
    const dir = tempDir("site-limits");
    const js = fs.readFileSync(path.join(dir, buildSite(dir).find((f) => f.endsWith(".js"))!), "utf8");
    const limits = [...js.matchAll(/lineMaxLength:(\d+)|usernameMaxLength:(\d+)/g)].map((m) => Number(m[1] ?? m[2]));
    expect(limits).toEqual([HAIKU_LIMITS.lineMaxLength, HAIKU_LIMITS.usernameMaxLength]);
  });
});
