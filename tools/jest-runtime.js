/**
 * jest's module runtime, with cdktf, constructs and the generated AWS
 * provider loaded once per worker instead of once per test file.
 *
 * jest gives every test file its own module registry, so each of the ~100
 * files that synthesize something evaluated those three packages again
 * (hundreds of modules: ~0.1 CPU-s a file, plus the garbage). They hold no
 * state a test could leave behind that another could see, so here they are
 * loaded with Node's own `require`, outside the file's context - as jest
 * loads Node's built-in modules - and every file of a worker gets the same
 * module objects. Everything else, the project's own code first, still
 * loads per file, as before.
 *
 * What that changes for a test, as for `fs` or `path` under jest:
 * - objects made inside these packages belong to the worker's realm: an
 *   error cdktf throws is not `instanceof` the test file's `Error` (use
 *   `util.types.isNativeError`, as the project's code does);
 * - `jest.mock` of one of their modules replaces it for the test file, not
 *   inside the packages, and `jest.resetModules` does not reload them;
 * - cdktf's jest matchers read `expect` from the worker's global, which
 *   here is the running file's `expect`.
 *
 * Also here, because it must act before cdktf loads: the creation stack
 * cdktf captures for every token is turned off, as the app turns it off
 * (`skipTokenStackTraces` in modules/core/cdktf-internals.ts, the same
 * internal: `cdktf/lib/tokens/private/stack-trace`); `DEBUG=1` keeps it.
 * Under jest, every captured frame also went through jest's source maps.
 */
"use strict";
const Runtime = require("jest-runtime").default;

/** The packages loaded once per worker (a package name, or a scope and name). */
const SHARED = new Set(["cdktf", "constructs", "@cdktf/provider-aws"]);

/** The name of the package a bare specifier names: `@cdktf/provider-aws/lib/vpc` -> `@cdktf/provider-aws`; `./x` -> undefined. */
function packageOf(specifier) {
  if (!specifier || specifier.startsWith(".") || specifier.startsWith("/")) return undefined;
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0];
}

/** The global of the test file this worker runs now (a worker runs one file at a time). */
let running;

let stackTracesOff = false;

class SharedPackagesRuntime extends Runtime {
  constructor(config, environment, ...rest) {
    super(config, environment, ...rest);
    // Here, not at load: a test file that requires this module must keep its own expect.
    if (running === undefined) Object.defineProperty(globalThis, "expect", { configurable: true, get: () => running.expect });
    running = environment.global;
  }

  requireModule(from, moduleName, options, isRequireActual) {
    if (!options?.isInternalModule && SHARED.has(packageOf(moduleName))) {
      if (!stackTracesOff && process.env.DEBUG !== "1") {
        require(this._resolveCjsModule(from, "cdktf/lib/tokens/private/stack-trace")).captureStackTrace = () => [];
        stackTracesOff = true;
      }
      return require(this._resolveCjsModule(from, moduleName));
    }
    return super.requireModule(from, moduleName, options, isRequireActual);
  }
}

module.exports = SharedPackagesRuntime;
module.exports.SHARED = SHARED;
module.exports.packageOf = packageOf;
