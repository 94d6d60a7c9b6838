/**
 * V8's code cache for the modules of scripts run through tools/run-app.js
 * (tools/compile-cache.js): each case runs real node processes on a few
 * modules of its own, with the cache in a folder of its own.
 */
import { execFileSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { tempDir } from "../helpers/synth";

const INSTALL = path.resolve(__dirname, "../../tools/compile-cache.js");

interface Project {
  readonly dir: string;
  readonly cache: string;
  write(name: string, source: string): string;
  /** `node main.js` with the cache installed; what it printed. */
  run(env?: NodeJS.ProcessEnv): string;
  /** The cache entry of a module: the SHA-1 of the source it was made from, and V8's data. */
  entry(file: string): { digest: string; data: Buffer } | undefined;
}

function project(main: string): Project {
  const dir = tempDir("compile-cache");
  const cache = path.join(dir, "cache");
  const p: Project = {
    dir,
    cache,
    write(name, source) {
      fs.writeFileSync(path.join(dir, name), source);
      return path.join(dir, name);
    },
    run(env = {}) {
      return execFileSync(process.execPath, [path.join(dir, "main.js")], { cwd: dir, env: { ...process.env, DEBUG: "", AWS_COURSE_COMPILE_CACHE: "", ...env }, encoding: "utf8" });
    },
    entry(file) {
      const folder = path.join(cache, `v8-${process.version}-${process.arch}`);
      const name = crypto.createHash("sha1").update(file).digest("hex").slice(0, 24);
      if (!fs.existsSync(path.join(folder, name))) return undefined;
      const data = fs.readFileSync(path.join(folder, name));
      return { digest: data.toString("latin1", 0, 40), data: data.subarray(40) };
    },
  };
  p.write("main.js", `require(${JSON.stringify(INSTALL)}).installCompileCache(${JSON.stringify(cache)});\n${main}`);
  return p;
}

const sha1 = (s: string) => crypto.createHash("sha1").update(s).digest("hex");

test("a module runs the same from its cache entry, which the first process wrote and the next only read", () => {
  const p = project(`const m = require("./m.js"); console.log(JSON.stringify(m()));`);
  const source = [
    "const self = this, original = exports;",
    "module.exports = () => ({",
    "  thisIsExports: self === original,",
    "  file: __filename, dir: __dirname,",
    '  resolved: require.resolve("./m.js"),',
    '  paths: require.resolve.paths("some-package")[0],',
    "  cached: Object.keys(require.cache).includes(__filename),",
    "  main: require.main === undefined ? 'none' : require.main.filename,",
    '  path: require("path").join("a", "b"),',
    "  sum: [1, 2, 3].reduce((a, b) => a + b, 0),",
    "});",
  ].join("\n");
  const file = p.write("m.js", source);
  const expected = {
    thisIsExports: true,
    file,
    dir: p.dir,
    resolved: file,
    paths: path.join(p.dir, "node_modules"),
    cached: true,
    main: path.join(p.dir, "main.js"),
    path: path.join("a", "b"),
    sum: 6,
  };
  expect(JSON.parse(p.run())).toEqual(expected);
  const first = p.entry(file);
  expect(first?.digest).toBe(sha1(source));
  expect(first!.data.length).toBeGreaterThan(0);
  const folder = path.join(p.cache, `v8-${process.version}-${process.arch}`);
  const [name] = fs.readdirSync(folder);
  const inode = fs.statSync(path.join(folder, name)).ino;
  expect(JSON.parse(p.run())).toEqual(expected);
  // nothing rewritten: the same bytes in the same file (a rewrite renames a new file over it), and nothing added
  expect(p.entry(file)).toEqual(first);
  expect(fs.statSync(path.join(folder, name)).ino).toBe(inode);
  expect(fs.readdirSync(folder)).toEqual([name]);
});

test("a changed module runs its new source, and its entry is made again", () => {
  const p = project(`console.log(require("./m.js"));`);
  const file = p.write("m.js", 'module.exports = "old";');
  expect(p.run().trim()).toBe("old");
  p.write("m.js", 'module.exports = "new";');
  expect(p.run().trim()).toBe("new");
  expect(p.entry(file)?.digest).toBe(sha1('module.exports = "new";'));
});

test("an entry V8 refuses (other data under the right source) is compiled from source and made again", () => {
  const p = project(`console.log(require("./m.js")());`);
  const source = "module.exports = () => 6 * 7;";
  const file = p.write("m.js", source);
  p.run();
  const entry = p.entry(file)!;
  const folder = path.join(p.cache, `v8-${process.version}-${process.arch}`);
  const name = fs.readdirSync(folder)[0];
  fs.writeFileSync(path.join(folder, name), Buffer.concat([Buffer.from(sha1(source), "latin1"), Buffer.alloc(entry.data.length, 7)]));
  expect(p.run().trim()).toBe("42");
  const remade = p.entry(file)!;
  expect(remade.digest).toBe(sha1(source));
  expect(remade.data.length).toBe(entry.data.length);
  expect(remade.data.equals(Buffer.alloc(entry.data.length, 7))).toBe(false);
  expect(p.run().trim()).toBe("42");
  expect(p.entry(file)).toEqual(remade); // and now read, not made again
});

test("a module that calls import() is left to node (V8's data would lose import()'s callback), and works every time", () => {
  const p = project(`require("./m.js")().then((v) => console.log(v), (e) => { console.error(e); process.exit(1); });`);
  const file = p.write("m.js", 'module.exports = async () => (await import("node:path")).join("x", "y");');
  for (let i = 0; i < 2; i++) expect(p.run().trim()).toBe(path.join("x", "y"));
  expect(p.entry(file)).toBeUndefined();
});

test("a syntax error is node's own, with the file and line", () => {
  const p = project(`try { require("./bad.js"); } catch (e) { console.log(e.name, e.message, (e.stack.match(/bad\\.js:\\d+/) || ["?"])[0]); }`);
  p.write("bad.js", "\nconst x = ;\n");
  expect(p.run().trim()).toBe("SyntaxError Unexpected token ';' bad.js:2");
});

test("AWS_COURSE_COMPILE_CACHE=off and DEBUG=1 (source maps) leave compiling to node: no cache", () => {
  const p = project(`console.log(require("./m.js"));`);
  p.write("m.js", "module.exports = 1;");
  expect(p.run({ AWS_COURSE_COMPILE_CACHE: "off" }).trim()).toBe("1");
  expect(p.run({ DEBUG: "1" }).trim()).toBe("1");
  expect(fs.existsSync(p.cache)).toBe(false);
});

test("the entry of a module file that is gone can be deleted (run-app.js does so for the bundles it prunes)", () => {
  const p = project(`console.log(require("./m.js"));`);
  const file = p.write("m.js", "module.exports = 2;");
  const other = p.write("other.js", "module.exports = 3;");
  p.write("main.js", `require(${JSON.stringify(INSTALL)}).installCompileCache(${JSON.stringify(p.cache)});\nconsole.log(require("./m.js") + require("./other.js"));`);
  expect(p.run().trim()).toBe("5");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require(INSTALL) as { forgetCompiled(dir: string, file: string): void }).forgetCompiled(p.cache, file);
  expect(p.entry(file)).toBeUndefined();
  expect(p.entry(other)).toBeDefined();
});
