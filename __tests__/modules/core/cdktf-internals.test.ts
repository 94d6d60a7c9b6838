/**
 * The cdktf (and generated provider) internals the project relies on, one
 * test each: when a cdktf upgrade or a move to CDK Terrain breaks one, the
 * failure names modules/core/cdktf-internals.ts rather than a policy or
 * Lambda test far away.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { Construct } from "constructs";
import { App, Annotations, TerraformStack, Testing } from "cdktf";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { ValidateBinaryVersion } from "cdktf/lib/validations/validate-binary-version";
import {
  awsResourceClass,
  checkBinaryVersionsOncePerProcess,
  extendDataSourceMetadata,
  resolveToken,
  movedFromPath,
  synthesizeDespiteErrors,
  takesArgument,
} from "../../../modules/core/cdktf-internals";
import { tempDir } from "../../helpers/temp";

const ROOT = path.resolve(__dirname, "../../..");
const BROKEN = "a cdktf internal changed: adapt modules/core/cdktf-internals.ts";

/** Synthesizes one stack with `build` through app.synth() (which keeps `//` blocks) and returns its JSON. */
function synthStack(build: (stack: TerraformStack) => void): any {
  const outdir = tempDir("internals");
  const app = new App({ outdir, stackTraces: false });
  const stack = new TerraformStack(app, "s");
  new AwsProvider(stack, "aws", { region: "ap-northeast-1" });
  build(stack);
  app.synth();
  return JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "s", "cdk.tf.json"), "utf8"));
}

let internalsJs: string | undefined;
/**
 * `node -e <script>` in the project root, `INTERNALS` naming
 * modules/core/cdktf-internals.ts compiled to JavaScript (esbuild, once per
 * file; packages stay external and resolve from the project's node_modules,
 * so the script and the module share one cdktf). A fresh process without
 * tsx's start-up (~0.4 s of CPU each): only what runs in it is tested.
 */
function nodeScript(script: string, env: NodeJS.ProcessEnv = process.env): string {
  if (!internalsJs) {
    internalsJs = path.join(tempDir("internals-js"), "cdktf-internals.js");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require("esbuild") as typeof import("esbuild")).buildSync({
      entryPoints: [path.join(ROOT, "modules/core/cdktf-internals.ts")],
      outfile: internalsJs,
      bundle: true,
      packages: "external",
      platform: "node",
      format: "cjs",
      logLevel: "silent",
    });
  }
  const nodePath = [path.join(ROOT, "node_modules"), env.NODE_PATH].filter(Boolean).join(path.delimiter);
  return execFileSync(process.execPath, ["-e", `const INTERNALS = ${JSON.stringify(internalsJs)};\n${script}`], { cwd: ROOT, env: { ...env, NODE_PATH: nodePath }, encoding: "utf8" });
}

describe("cdktf internals (modules/core/cdktf-internals.ts)", () => {
  test("resolveToken turns a reference token into its Terraform expression (cdktf/lib/_tokens)", () => {
    const stack = new TerraformStack(Testing.app(), "s");
    const queue = new SqsQueue(stack, "Dlq", {});
    expect({ resolved: resolveToken(stack, queue.arn), hint: BROKEN }).toEqual({ resolved: "${aws_sqs_queue.Dlq.arn}", hint: BROKEN });
  });

  test("synthesizeDespiteErrors writes a stack that carries an error annotation (StackSynthesizer)", () => {
    const json = synthStack((stack) => {
      new SqsQueue(stack, "Q", {});
      Annotations.of(stack).addError("kept, not thrown");
      synthesizeDespiteErrors(stack);
    });
    expect({ written: json.resource.aws_sqs_queue.Q !== undefined, hint: BROKEN }).toEqual({ written: true, hint: BROKEN });
  });

  test("extendDataSourceMetadata adds entries to a data source's // block (constructNodeMetadata getter)", () => {
    const list = ["first"];
    const json = synthStack((stack) => {
      const region = new DataAwsRegion(stack, "Region");
      extendDataSourceMetadata(region, () => ({ extra_key: [...list] }));
      extendDataSourceMetadata(region, () => ({ other: true })); // installed once: the first stays
      list.push("second"); // read at synth
    });
    const block = json.data.aws_region.Region["//"];
    expect({ extra_key: block.extra_key, other: block.other, path: block.metadata?.path, hint: BROKEN }).toEqual({
      extra_key: ["first", "second"],
      other: undefined,
      path: "s/Region",
      hint: BROKEN,
    });
  });

  test("awsResourceClass finds the generated class by type; takesArgument reads its <name>Input getter", () => {
    expect(awsResourceClass("aws_s3_bucket")).toBe(S3Bucket);
    expect(takesArgument(awsResourceClass("aws_s3_bucket")!, "tags")).toBe(true);
    expect(takesArgument(awsResourceClass("aws_s3_bucket_policy")!, "tags")).toBe(false);
    expect(awsResourceClass("aws_no_such_thing")).toBeUndefined();
    expect(awsResourceClass("google_storage_bucket")).toBeUndefined();
  });

  test("movedFromPath declares a moved block from the address the construct had at the old path (makeUniqueId)", () => {
    let from = "";
    const json = synthStack((stack) => {
      const old = new SqsQueue(new Construct(stack, "Api"), "MethodGetHaiku", {});
      from = `aws_sqs_queue.${old.friendlyUniqueId}`;
      const moved = new SqsQueue(new Construct(new Construct(stack, "Routes"), "haiku"), "Method", {});
      movedFromPath(moved, old.node.scope!, "MethodGetHaiku");
      (old.node.scope as Construct).node.tryRemoveChild("MethodGetHaiku");
    });
    const oldAddress = Object.keys(json.resource.aws_sqs_queue).length === 1 ? undefined : "old queue still there";
    expect({ oldAddress, moved: json.moved, hint: BROKEN }).toEqual({
      oldAddress: undefined,
      moved: [{ from, to: expect.stringMatching(/^aws_sqs_queue\.Routes_haiku_Method_[0-9A-F]{8}$/) }],
      hint: BROKEN,
    });
  });

  test("checkBinaryVersionsOncePerProcess runs a version command once and keeps its answer, a failing one too (ValidateBinaryVersion)", () => {
    // GIVEN version commands that count their runs in a file
    const runs = path.join(tempDir("internals-version"), "runs");
    const command = (version: string) => `echo run >> '${runs}' && echo v${version}`;
    const count = () => (fs.existsSync(runs) ? fs.readFileSync(runs, "utf8").split("\n").filter(Boolean).length : 0);
    checkBinaryVersionsOncePerProcess();
    checkBinaryVersionsOncePerProcess(); // a second install changes nothing
    // WHEN each check is validated three times
    const ok = new ValidateBinaryVersion("fake", ">=1.5", command("1.11.4"));
    const old = new ValidateBinaryVersion("fake", ">=1.5", command("1.4.0"), "Please upgrade.");
    const answers = [0, 1, 2].map(() => [ok.validate(), old.validate()]);
    // THEN each command ran once, and the too-old version still fails every time with cdktf's message
    expect({ runs: count(), hint: BROKEN }).toEqual({ runs: 2, hint: BROKEN });
    for (const [a, b] of answers) {
      expect(a).toEqual([]);
      expect(b).toEqual(["fake version 1.4.0 is lower than the required version >=1.5 for this construct. Please upgrade."]);
    }
  });

  test("skipTokenStackTraces: tokens are made without a creation stack, except with DEBUG=1 (cdktf/lib/tokens/private/stack-trace)", () => {
    // One fresh process: with DEBUG=1 nothing changes, then without it the stacks stop.
    const script = `
      const { Lazy, Tokenization } = require("cdktf");
      const { skipTokenStackTraces } = require(INTERNALS);
      const stack = (t) => Tokenization.reverseString(t).firstToken.creationStack.length > 0;
      const before = Lazy.stringValue({ produce: () => "x" });
      skipTokenStackTraces({ DEBUG: "1" });
      const debug = Lazy.stringValue({ produce: () => "x" });
      skipTokenStackTraces({});
      const after = Lazy.stringValue({ produce: () => "x" });
      process.stdout.write(JSON.stringify({ before: stack(before), debug: stack(debug), after: stack(after) }));`;
    expect({ stacks: JSON.parse(nodeScript(script)), hint: BROKEN }).toEqual({ stacks: { before: true, debug: true, after: false }, hint: BROKEN });
  });

  describe("a passed terraform version check is kept across processes, keyed by the binary", () => {
    /** One process: cdktf's check of `terraform version` through the installed wrapper; how often it ran the command, and the answer. */
    function check(cacheDir: string, pathDir: string): { runs: number; answer: string[] } {
      const script = `
        const cp = require("child_process");
        let runs = 0;
        const execSync = cp.execSync;
        cp.execSync = (...args) => (runs++, execSync(...args));
        const { checkBinaryVersionsOncePerProcess } = require(INTERNALS);
        const { ValidateBinaryVersion } = require("cdktf/lib/validations/validate-binary-version");
        checkBinaryVersionsOncePerProcess(${JSON.stringify(cacheDir)});
        const answer = new ValidateBinaryVersion("terraform", ">=1.5", "terraform version").validate();
        process.stdout.write(JSON.stringify({ runs, answer }));`;
      return JSON.parse(nodeScript(script, { ...process.env, PATH: `${pathDir}${path.delimiter}${process.env.PATH}` }));
    }
    const REAL = execFileSync("sh", ["-c", "command -v terraform"], { encoding: "utf8" }).trim();

    test("the same binary: the second process does not run the command; another binary there runs it again", () => {
      const cache = tempDir("version-cache");
      const bin = tempDir("version-bin");
      fs.symlinkSync(REAL, path.join(bin, "terraform"));
      expect(check(cache, bin)).toEqual({ runs: 1, answer: [] });
      expect(check(cache, bin)).toEqual({ runs: 0, answer: [] });
      // WHEN terraform on PATH is replaced by a binary that fails
      fs.rmSync(path.join(bin, "terraform"));
      fs.symlinkSync(fs.realpathSync("/bin/false"), path.join(bin, "terraform"));
      // THEN the command runs again, and cdktf's failure is the answer (and is not kept)
      for (let i = 0; i < 2; i++) {
        const r = check(cache, bin);
        expect(r.runs).toBe(1);
        expect(r.answer).toEqual([expect.stringMatching(/^Could not determine version of terraform, terraform version failed/)]);
      }
    });

    test("a script on PATH (a version manager's shim) is never kept: its answer can change without the file", () => {
      const cache = tempDir("version-cache-shim");
      const bin = tempDir("version-shim");
      fs.writeFileSync(path.join(bin, "terraform"), "#!/bin/sh\necho Terraform v1.11.4\n", { mode: 0o755 });
      expect(check(cache, bin)).toEqual({ runs: 1, answer: [] });
      expect(check(cache, bin)).toEqual({ runs: 1, answer: [] });
    });
  });

  test("no other source file imports cdktf/lib/... (test adapters aside)", () => {
    const root = ROOT;
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
        const rel = path.join(dir, e.name);
        if (e.isDirectory()) {
          if (e.name !== "node_modules") walk(rel);
        } else if (/\.ts$/.test(e.name) && rel !== path.join("modules", "core", "cdktf-internals.ts")) {
          if (/["']cdktf\/lib\//.test(fs.readFileSync(path.join(root, rel), "utf8").replace(/["']cdktf\/lib\/testing\/[^"']*["']/g, ""))) offenders.push(rel);
        }
      }
    };
    for (const dir of ["modules", "stacks", "tools", "config", "cli", "lambdas", "examples"]) walk(dir);
    expect(offenders).toEqual([]);
  });
});
