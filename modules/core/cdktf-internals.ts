/**
 * Every reliance of this project on cdktf's (and the generated AWS
 * provider's) internals: what a cdktf upgrade, or a move to the community
 * fork (CDK Terrain), can break without a type error. Nothing else in the
 * project imports `cdktf/lib/...` or reaches into a construct's prototype.
 * Each export has a test in `__tests__/modules/core/cdktf-internals.test.ts`
 * that fails, naming this file, when the internal it uses changes.
 * Also relied on, documented cdktf behaviour rather than an internal: a
 * child with the id `Default` is left out of Terraform addresses
 * (SecureBucket; tested in __tests__/modules/storage/secure-bucket.test.ts).
 * One internal is also named outside this file: jest's runtime
 * (tools/jest-runtime.js) turns off `cdktf/lib/tokens/private/stack-trace`
 * as skipTokenStackTraces does, because it must act before cdktf loads.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { IConstruct } from "constructs";
import { TerraformDataSource, TerraformResource, TerraformStack } from "cdktf";
import { resolve } from "cdktf/lib/_tokens";
import { makeUniqueId } from "cdktf/lib/private/unique";
import { StackSynthesizer } from "cdktf/lib/synthesize/synthesizer";
import { ValidateBinaryVersion } from "cdktf/lib/validations/validate-binary-version";
import { BUILD_CACHE_DIR } from "./build-cache";

/**
 * A token resolved as it will stand in the synthesized JSON, e.g. a queue's
 * `arn` -> `${aws_sqs_queue.Dlq.arn}` (cdktf 0.21 has no public resolve on a
 * stack; internal: `cdktf/lib/_tokens` `resolve`).
 */
export function resolveToken(scope: IConstruct, value: unknown): unknown {
  return resolve(scope, value);
}

/**
 * Makes `app.synth()` write `stack` even when it carries error annotations
 * (the errors stay in its metadata), instead of throwing (internal:
 * `cdktf/lib/synthesize/synthesizer` `StackSynthesizer`, second argument
 * `continueOnErrorAnnotations`).
 */
export function synthesizeDespiteErrors(stack: TerraformStack): void {
  stack.synthesizer = new StackSynthesizer(stack, true);
}

/**
 * Adds the entries `extra()` returns to a data source's `//` block (beside
 * its `metadata`).
 * cdktf 0.21 replaces a data source's `//` block with its metadata after
 * applying overrides, so an `addOverride("//...")` is lost there; this
 * extends the (internal) `constructNodeMetadata` getter of that one object
 * instead. Installed once per data source: later calls keep the first
 * `extra`, which is read at every synth (let it read a live list).
 */
export function extendDataSourceMetadata(ds: TerraformDataSource, extra: () => Record<string, unknown>): void {
  if (Object.prototype.hasOwnProperty.call(ds, "constructNodeMetadata")) return;
  let proto: object | null = Object.getPrototypeOf(ds);
  let getter: (() => Record<string, unknown>) | undefined;
  while (proto && !getter) {
    getter = Object.getOwnPropertyDescriptor(proto, "constructNodeMetadata")?.get;
    proto = Object.getPrototypeOf(proto);
  }
  if (!getter) {
    throw new Error(`cdktf-internals: data source ${ds.node.path} has no constructNodeMetadata getter in this cdktf version`);
  }
  const base = getter;
  Object.defineProperty(ds, "constructNodeMetadata", {
    configurable: true,
    get: () => ({ ...base.call(ds), ...extra() }),
  });
}

/** A generated provider class: its static Terraform type and its prototype. */
export interface ProviderResourceClass {
  readonly tfResourceType: string;
  readonly prototype: object;
}

/**
 * The generated class of an AWS resource type, e.g. `aws_s3_bucket` ->
 * `S3Bucket`, loaded by its deep-import path (`@cdktf/provider-aws/lib/s3-bucket`:
 * the package's file layout and the static `tfResourceType` are the
 * internals), or `undefined` for a type the provider package does not have.
 */
export function awsResourceClass(type: string): ProviderResourceClass | undefined {
  if (!type.startsWith("aws_")) return undefined;
  let mod: Record<string, unknown>;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require(`@cdktf/provider-aws/lib/${type.slice(4).replace(/_/g, "-")}`);
  } catch {
    return undefined;
  }
  return Object.values(mod).find(
    (c): c is ProviderResourceClass => typeof c === "function" && (c as unknown as ProviderResourceClass).tfResourceType === type,
  );
}

/** Whether a generated class takes the argument `name` (it has a `<name>Input` getter, e.g. `tagsInput`). */
export function takesArgument(cls: ProviderResourceClass, name: string): boolean {
  return `${name}Input` in cls.prototype;
}

/**
 * Declares that `resource` stood, before a construct id change, at the
 * construct `<oldScope's path>/<oldId>`: a Terraform `moved` block from that
 * address (cdktf's `moveFromId`), so a deployed resource moves instead of
 * being destroyed and created again. The old address is computed as cdktf
 * computes every address (internal: `cdktf/lib/private/unique`
 * `makeUniqueId` over the path below the stack).
 */
export function movedFromPath(resource: TerraformResource, oldScope: IConstruct, oldId: string): void {
  const scopes = oldScope.node.scopes;
  const below = scopes.slice(scopes.indexOf(TerraformStack.of(oldScope)) + 1).map((s) => s.node.id);
  resource.moveFromId(`${resource.terraformResourceType}.${makeUniqueId([...below, oldId])}`);
}

/**
 * Turns off the stack trace cdktf captures for every token it creates
 * (each `Lazy`, each attribute reference: `Error.captureStackTrace` with no
 * depth limit, ~60 ms of a whole-app synth). cdktf prints those traces only
 * in the message of a token that fails to resolve, which then names the
 * token without them. `DEBUG=1` keeps them (as it keeps our stack traces).
 * Internal: `cdktf/lib/tokens/private/stack-trace` `captureStackTrace`,
 * looked up on that module's exports at every call.
 */
export function skipTokenStackTraces(env: NodeJS.ProcessEnv = process.env): void {
  if (env.DEBUG === "1") return;
  // The module's own exports object (an ES import would be a read-only copy of it in a bundle).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const stackTrace = require("cdktf/lib/tokens/private/stack-trace") as { captureStackTrace: (below?: unknown) => string[] };
  stackTrace.captureStackTrace = () => [];
}

const ONCE = Symbol.for("aws-course:binary-version-once");

/**
 * Makes cdktf's binary version checks run their command once per process
 * instead of once per check. cdktf adds a `terraform version` check
 * (`>=1.5`) to every stack with a `moved` block and every imported
 * resource, and runs each at every synth through a shell: 7 runs, a third
 * of a whole-app synth (0.43 of 1.3 s). The answer for the same command,
 * constraint, PATH and folder is kept (a copy each time), so a missing or
 * old Terraform still fails every synth with cdktf's own message.
 *
 * A passed check is also kept across processes, in `cacheDir`, when the
 * command's program is a binary on PATH (not a script such as a version
 * manager's shim, whose answer can depend on more than the file): keyed by
 * that file's path, size, modification time and inode, so another
 * terraform on PATH, or the same one replaced, runs the command again.
 * That is the last ~90 ms of the check, in every synth and every test file
 * that synthesizes. A failed check is never kept.
 *
 * Internal: `cdktf/lib/validations/validate-binary-version`
 * `ValidateBinaryVersion.prototype.validate` and its constructor fields.
 * Installed once (CourseStack does it); later calls do nothing.
 */
export function checkBinaryVersionsOncePerProcess(cacheDir: string = path.join(BUILD_CACHE_DIR, "binary-versions")): void {
  const proto = ValidateBinaryVersion.prototype as unknown as { validate: () => string[]; [ONCE]?: true };
  if (proto[ONCE]) return;
  const validate = proto.validate;
  const answers = new Map<string, string[]>();
  proto.validate = function (this: { binary?: string; versionConstraint?: string; versionCommand?: string; hint?: string }): string[] {
    const key = JSON.stringify([this.binary, this.versionConstraint, this.versionCommand, this.hint, process.env.PATH, process.cwd()]);
    let answer = answers.get(key);
    if (!answer) {
      const program = binaryIdentity(this.versionCommand);
      const file = program && path.join(cacheDir, `${createHash("sha256").update(JSON.stringify([this.binary, this.versionConstraint, this.versionCommand, this.hint, program])).digest("hex").slice(0, 32)}.ok`);
      if (file && fs.existsSync(file)) answer = [];
      else {
        answer = validate.call(this);
        if (file && answer.length === 0) writeAtomically(file, program);
      }
      answers.set(key, answer);
    }
    return [...answer];
  };
  proto[ONCE] = true;
}

/** `path size mtime inode` of the program a version command runs, when it is a binary found on PATH (or given by path); else undefined. */
function binaryIdentity(command: string | undefined): string | undefined {
  // Only a plain `program args` (cdktf's `terraform version`): a shell line may run anything else too.
  if (!command || !/^[\w./-]+( +[\w.=/-]+)*$/.test(command.trim())) return undefined;
  const program = command.trim().split(/ +/)[0];
  const candidates = program.includes("/") ? [path.resolve(program)] : (process.env.PATH ?? "").split(path.delimiter).filter(Boolean).map((d) => path.join(d, program));
  for (const candidate of candidates) {
    try {
      const st = fs.statSync(candidate);
      if (!st.isFile() || (st.mode & 0o111) === 0) continue;
      const head = Buffer.alloc(2);
      const fd = fs.openSync(candidate, "r");
      try {
        fs.readSync(fd, head, 0, 2, 0);
      } finally {
        fs.closeSync(fd);
      }
      if (head.toString("latin1") === "#!") return undefined; // a script: its answer may depend on more than this file
      return `${fs.realpathSync(candidate)} ${st.size} ${st.mtimeMs} ${st.ino}`;
    } catch {
      // not there: the next folder of PATH
    }
  }
  return undefined;
}

function writeAtomically(file: string, content: string): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, content);
    fs.renameSync(tmp, file);
  } catch {
    // a read-only cache only costs the next process the command
  }
}
