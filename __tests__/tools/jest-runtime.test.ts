/**
 * jest's runtime (tools/jest-runtime.js) loads cdktf, constructs and the AWS
 * provider once per worker, outside the test file's context, and everything
 * else per file; cdktf's matchers still work in every file, and tokens are
 * made without a creation stack.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { tempDir } from "../helpers/temp";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { packageOf, SHARED } = require("../../tools/jest-runtime.js");
const ROOT = path.resolve(__dirname, "..", "..");

test("a specifier names its package; relative and absolute paths name none", () => {
  expect(packageOf("cdktf")).toBe("cdktf");
  expect(packageOf("cdktf/lib/tokens/private/stack-trace")).toBe("cdktf");
  expect(packageOf("@cdktf/provider-aws/lib/vpc")).toBe("@cdktf/provider-aws");
  expect(packageOf("@cdktf/provider-awsx")).toBe("@cdktf/provider-awsx");
  expect(packageOf("cdktf-cli")).toBe("cdktf-cli");
  expect(packageOf("./cdktf")).toBeUndefined();
  expect(packageOf("/x/node_modules/cdktf")).toBeUndefined();
  expect([...SHARED].sort()).toEqual(["@cdktf/provider-aws", "cdktf", "constructs"]);
});

test("the shared packages come from the worker's realm, the project's code from the file's", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cdktf = require("cdktf");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Construct } = require("constructs");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Vpc } = require("@cdktf/provider-aws/lib/vpc");
  expect([cdktf.App, Construct, Vpc].map((f) => f instanceof Function)).toEqual([false, false, false]);
  expect(tempDir instanceof Function).toBe(true);
});

test("tokens carry no creation stack unless DEBUG=1", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Lazy, Tokenization } = require("cdktf");
  const token = Tokenization.reverseString(Lazy.stringValue({ produce: () => "x" })).firstToken;
  if (process.env.DEBUG === "1") expect(token.creationStack.length).toBeGreaterThan(0);
  else expect(token.creationStack).toEqual([]);
});

test("two files of one worker share one cdktf, and its matchers pass and fail in each", () => {
  const dir = tempDir("jest-runtime");
  const file = (name: string) => `
    const fs = require("fs");
    const path = require("path");
    const cdktf = require("cdktf");
    const { S3Bucket } = require("@cdktf/provider-aws/lib/s3-bucket");
    const { SqsQueue } = require("@cdktf/provider-aws/lib/sqs-queue");
    cdktf.Testing.setupJest();
    test(${JSON.stringify(name)}, () => {
      const seen = (cdktf.__seenBy ??= []);
      fs.writeFileSync(path.join(__dirname, ${JSON.stringify(name)} + ".seen"), JSON.stringify(seen));
      seen.push(${JSON.stringify(name)});
      const synth = cdktf.Testing.synthScope((scope) => new S3Bucket(scope, "b", {}));
      expect(synth).toHaveResource(S3Bucket);
      expect(() => expect(synth).toHaveResource(SqsQueue)).toThrow(/aws_sqs_queue/);
    });`;
  fs.writeFileSync(path.join(dir, "a.test.js"), file("a"));
  fs.writeFileSync(path.join(dir, "b.test.js"), file("b"));
  const config = {
    rootDir: dir,
    testEnvironment: "node",
    transform: {},
    modulePaths: [path.join(ROOT, "node_modules")],
    runtime: path.join(ROOT, "tools", "jest-runtime.js"),
    cacheDirectory: path.join(dir, "cache"),
  };
  const run = spawnSync(process.execPath, [require.resolve("jest/bin/jest"), "--config", JSON.stringify(config), "--runInBand", "--ci"], {
    cwd: dir,
    env: { ...process.env, DEBUG: "" },
    encoding: "utf8",
  });
  expect(run.stderr).toMatch(/Tests:\s+2 passed, 2 total/);
  expect(run.status).toBe(0);
  const seen = ["a", "b"].map((name) => JSON.parse(fs.readFileSync(path.join(dir, `${name}.seen`), "utf8")));
  // Whichever ran second saw the first one's mark on the same cdktf module.
  expect(seen.sort((x, y) => x.length - y.length)).toEqual([[], [expect.stringMatching(/^[ab]$/)]]);
});
