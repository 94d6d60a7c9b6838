import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { main } from "../../cli/index";
import { nameOrOutput, readStackOutputs, readStackRegion, regionFor, terraformError } from "../../cli/lib/outputs";
import { backoffDelay, runPool } from "../../cli/lib/pool";
import { percentile } from "../../cli/lib/stats";
import { parsePositiveInt, UsageError } from "../../cli/lib/errors";
import { tempDir } from "../helpers/synth";

const ROOT = path.resolve(__dirname, "..", "..");
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\`]/g, "\\$&");

async function cli(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), progress: false, readOutputs: () => ({}) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/** A stack folder whose `terraform` is a shell script printing `stdout`/`stderr` and exiting `code`. */
function fakeTerraform(stdout: string, stderr = "", code = 0): { outdir: string; bin: string } {
  const dir = tempDir("tf");
  fs.mkdirSync(path.join(dir, "stacks", "s"), { recursive: true });
  fs.writeFileSync(path.join(dir, "stacks", "s", "cdk.tf.json"), "{}");
  const bin = path.join(dir, "terraform");
  fs.writeFileSync(bin, `#!/bin/sh\n[ "$1 $2" = "output -json" ] || exit 9\ncat <<'EOF'\n${stdout}\nEOF\nprintf '${stderr}' >&2\nexit ${code}\n`, {
    mode: 0o755,
  });
  return { outdir: dir, bin };
}

describe("cli", () => {
  test("prints help at every level with exit 0", async () => {
    const top = await cli(["--help"]);
    expect(top.code).toBe(0);
    expect(top.out).toMatch(/lambda \[options\] \[command\]\s+invoke the simple-lambda stack's function/);
    expect(top.out).toMatch(/ddb \[options\] \[command\]\s+write to and search/);
    expect((await cli(["ddb", "--help"])).out).toMatch(/search-under-age \[options\] \[table\] <age>/);
    expect((await cli(["lambda", "--help"])).out).toMatch(/invoke-many \[options\] \[name\] <n>/);
    const write = await cli(["ddb", "write", "--help"]);
    expect(write.code).toBe(0);
    expect(write.out).toMatch(/Usage: cli ddb write \[options\] \[table\] <n>/);
  });

  test("an unknown group or a group without a command is a usage error (exit 2)", async () => {
    const unknown = await cli(["dynamo", "write"]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/unknown command 'dynamo'/);
    expect((await cli(["lambda"])).code).toBe(2);
    expect((await cli([])).code).toBe(2);
  });

  test("the real process exits 2 on a usage error, with the usage on stderr", async () => {
    const result = await new Promise<{ code: number | null; stderr: string; stdout: string }>((resolve) => {
      execFile(process.execPath, ["tools/run-app.js", "cli/index.ts", "ddb", "write", "abc"], { cwd: ROOT }, (error, stdout, stderr) =>
        resolve({ code: error ? (error as { code?: number }).code ?? 1 : 0, stderr, stdout })
      );
    });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/error: n \(abc\) must be a positive integer\nUsage: cli ddb write \[options\] \[table\] <n>/);
    expect(result.stderr).not.toMatch(/NodeVersionSupportWarning|\n\s+at /);
  });

  test("the package bin (aws-course: bin/aws-course.js) is the same CLI, with the caller's arguments", async () => {
    const run = (args: string[]) =>
      new Promise<{ code: number | null; stderr: string; stdout: string }>((resolve) => {
        execFile(process.execPath, args, { cwd: ROOT }, (error, stdout, stderr) => resolve({ code: error ? (error as { code?: number }).code ?? 1 : 0, stderr, stdout }));
      });
    const [bin, app] = await Promise.all([run(["bin/aws-course.js", "ddb", "write", "abc"]), run(["tools/run-app.js", "cli/index.ts", "ddb", "write", "abc"])]);
    expect(bin).toEqual(app);
    expect(bin.code).toBe(2);
    const help = await run(["bin/aws-course.js", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/lambda[\s\S]*ddb[\s\S]*haiku[\s\S]*qa/);
  });
});

describe("cli/lib", () => {
  test("reads a stack's outputs with terraform output -json in its folder", async () => {
    const { outdir, bin } = fakeTerraform(JSON.stringify({ FunctionName: { sensitive: false, type: "string", value: "fn-1" } }));
    await expect(readStackOutputs("s", { outdir, terraformBin: bin })).resolves.toEqual({ FunctionName: "fn-1" });
  });

  test("explains a failed or empty terraform output, and a stack that was never synthesized", async () => {
    // Synthesized, never deployed: terraform's "Backend initialization required" is a stack without state.
    const failing = fakeTerraform("", '\\n│ Error: Backend initialization required, please run "terraform init"\\n', 1);
    const noState = "stack s has no state: deploy it with `npm run cdktf -- deploy s`";
    await expect(readStackOutputs("s", { outdir: failing.outdir, terraformBin: failing.bin })).rejects.toThrow(new RegExp(`^${escape(noState)}$`));
    const empty = fakeTerraform("{}");
    await expect(readStackOutputs("s", { outdir: empty.outdir, terraformBin: empty.bin })).rejects.toThrow(new RegExp(`^${escape(noState)}$`));
    await expect(readStackOutputs("missing", { outdir: empty.outdir, terraformBin: empty.bin })).rejects.toThrow(
      /^stack missing has no state: deploy it with `npm run cdktf -- deploy missing`$/,
    );
    // Any other terraform failure keeps terraform's words (no advice to deploy what may be deployed).
    const denied = fakeTerraform("", "\\n│ Error: No valid credential sources found\\n", 1);
    await expect(readStackOutputs("s", { outdir: denied.outdir, terraformBin: denied.bin })).rejects.toThrow(
      /^cannot read the outputs of stack s: terraform output failed: No valid credential sources found$/,
    );
  });

  test("nameOrOutput prefers the given name and names the missing output", async () => {
    await expect(nameOrOutput(() => ({}), "given", "s", "TableName", "pass it")).resolves.toBe("given");
    await expect(nameOrOutput(() => ({ TableName: "t" }), undefined, "s", "TableName", "pass it")).resolves.toBe("t");
    await expect(nameOrOutput(() => ({ Other: 1 }), undefined, "s", "TableName", "pass it")).rejects.toThrow(/no output TableName \(outputs: Other\); pass it/);
  });

  test("finds the stack's region in its synthesized JSON, after --region and AWS_REGION", () => {
    const dir = tempDir("region");
    fs.mkdirSync(path.join(dir, "stacks", "s"), { recursive: true });
    fs.writeFileSync(path.join(dir, "stacks", "s", "cdk.tf.json"), JSON.stringify({ provider: { aws: [{ region: "eu-west-1" }] } }));
    expect(readStackRegion("s", dir)).toBe("eu-west-1");
    expect(readStackRegion("missing", dir)).toBeUndefined();

    const saved = { AWS_REGION: process.env.AWS_REGION, AWS_DEFAULT_REGION: process.env.AWS_DEFAULT_REGION };
    try {
      delete process.env.AWS_REGION;
      delete process.env.AWS_DEFAULT_REGION;
      expect(regionFor(undefined, "eu-west-1")).toBe("eu-west-1");
      expect(regionFor("us-east-1", "eu-west-1")).toBe("us-east-1");
      process.env.AWS_REGION = "ap-south-1";
      expect(regionFor(undefined, "eu-west-1")).toBe("ap-south-1");
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  test("terraformError keeps the first Error line", () => {
    expect(terraformError("Warning: x\n\x1b[31m│\x1b[0m Error: boom\n│ more", "f")).toBe("boom");
    expect(terraformError("", "fallback")).toBe("fallback");
  });

  test("runPool returns results in order, keeps failures, and bounds concurrency", async () => {
    let inFlight = 0;
    let peak = 0;
    const results = await runPool(10, 3, async (i) => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setImmediate(r));
      inFlight--;
      if (i === 4) throw new Error("four");
      return i * 2;
    });
    expect(peak).toBe(3);
    expect(results.map((r) => (r.status === "fulfilled" ? r.value : (r.reason as Error).message))).toEqual([0, 2, 4, 6, "four", 10, 12, 14, 16, 18]);
    expect(() => runPool(1, 0, async () => 1)).rejects.toThrow(/concurrency \(0\)/);
  });

  test("percentile uses nearest rank", () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 101)).toThrow(/p \(101\)/);
  });

  test("backoff grows exponentially with full jitter, capped", () => {
    expect([0, 1, 2, 3].map((a) => backoffDelay(a, { random: () => 0.999 }))).toEqual([49, 99, 199, 399]);
    expect(backoffDelay(20, { random: () => 0.5, maxMs: 1000 })).toBe(500);
    expect(backoffDelay(3, { random: () => 0 })).toBe(0);
  });

  test("parsePositiveInt refuses zero, negatives, fractions and words as usage errors", () => {
    expect(parsePositiveInt("42", "n")).toBe(42);
    for (const raw of ["0", "-1", "1.5", "1e3", "x", ""]) expect(() => parsePositiveInt(raw, "n")).toThrow(UsageError);
    expect(() => parsePositiveInt("11", "n", 10)).toThrow(/n \(11\) must be at most 10/);
  });
});
