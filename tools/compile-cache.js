"use strict";
/**
 * V8's code cache for the CommonJS modules a process loads (the app's
 * bundle and the packages it requires: cdktf alone is ~380 files), kept
 * across processes. Node 20 compiles every module from source in every
 * process (`module.enableCompileCache` came in Node 22): ~0.25 s of a
 * synth's 1.2 CPU-s went to compiling, and every script started through
 * tools/run-app.js paid it again. With the cache, a module is deserialized
 * with the functions the last run compiled in it, instead of parsed.
 *
 * One file per module path (a hash of the path), holding the SHA-1 of the
 * source it was made from: a changed file is compiled from source and its
 * entry rewritten, so the cache never runs stale code, and it holds one
 * entry per path ever loaded. V8 itself rejects data from another V8 or
 * other flags (then it is rewritten too); the folder is per Node version.
 * Entries are written when the process exits, for the modules that had
 * none or a rejected one. The module is then run as Node runs it: the same
 * wrapper, `this` and arguments, and a `require` like Node's. A module that
 * calls import() is left to Node: V8's cached data does not keep the
 * callback import() needs, and Node 20 then throws.
 *
 * AWS_COURSE_COMPILE_CACHE=off turns it off (then modules compile as
 * usual); DEBUG=1 does too, as source maps need Node's own compile.
 */
const crypto = require("crypto");
const fs = require("fs");
const Module = require("module");
const path = require("path");
const vm = require("vm");

const HEADER = 40; // the source's SHA-1, hex
const DYNAMIC_IMPORT = /\bimport\s*\(/;

/** Installs the cache in `dir` for every module compiled from now on in this process. */
function installCompileCache(dir) {
  if (process.env.AWS_COURSE_COMPILE_CACHE === "off" || process.env.DEBUG === "1") return;
  const folder = folderOf(dir);
  const pending = [];
  const compile = Module.prototype._compile;
  Module.prototype._compile = function (content, filename, format) {
    // Node's own compile for what is not plain CommonJS, and for a module with an import(): V8 does not
    // keep the callback that import() needs in its cached data (Node 20 then throws).
    if (format === "module" || !/\.c?js$/.test(filename) || DYNAMIC_IMPORT.test(content)) return compile.apply(this, arguments);
    const digest = crypto.createHash("sha1").update(content).digest("hex");
    const file = entryOf(folder, filename);
    let cachedData;
    try {
      const data = fs.readFileSync(file);
      if (data.toString("latin1", 0, HEADER) === digest) cachedData = data.subarray(HEADER);
    } catch {
      // no entry yet
    }
    let script;
    try {
      script = new vm.Script(Module.wrap(content), { filename, cachedData });
    } catch {
      return compile.call(this, content, filename); // a syntax error: Node's own compile reports it
    }
    if (cachedData === undefined || script.cachedDataRejected) pending.push({ script, file, digest });
    const fn = script.runInThisContext({ displayErrors: true });
    return fn.call(this.exports, this.exports, requireOf(this), this, filename, path.dirname(filename));
  };
  process.once("exit", () => {
    if (!pending.length) return;
    try {
      fs.mkdirSync(folder, { recursive: true });
    } catch {
      return; // a cache that cannot be written only means compiling next time
    }
    for (const { script, file, digest } of pending) {
      const tmp = `${file}.${process.pid}.tmp`;
      try {
        fs.writeFileSync(tmp, Buffer.concat([Buffer.from(digest, "latin1"), script.createCachedData()]));
        fs.renameSync(tmp, file); // atomic: a process reading it sees all of an entry or none
      } catch {
        fs.rmSync(tmp, { force: true });
      }
    }
  });
}

function folderOf(dir) {
  return path.join(dir, `v8-${process.version}-${process.arch}`);
}

function entryOf(folder, filename) {
  return path.join(folder, crypto.createHash("sha1").update(filename).digest("hex").slice(0, 24));
}

/** Deletes the entry of a module file that is gone (run-app.js's old bundles), so the cache does not grow with them. */
function forgetCompiled(dir, filename) {
  fs.rmSync(entryOf(folderOf(dir), filename), { force: true });
}

/** `require` as Node makes it for a module. */
function requireOf(mod) {
  const require = (id) => mod.require(id);
  const resolve = (request, options) => Module._resolveFilename(request, mod, false, options);
  resolve.paths = (request) => Module._resolveLookupPaths(request, mod);
  require.resolve = resolve;
  require.main = process.mainModule;
  require.extensions = Module._extensions;
  require.cache = Module._cache;
  return require;
}

module.exports = { installCompileCache, forgetCompiled };
