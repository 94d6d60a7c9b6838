import * as fs from "fs";
import * as path from "path";
import { App } from "cdktf";
import { SimpleLambdaStack } from "../../../stacks/simple-lambda";
import { bundleEntry, RUNTIME_PROVIDED_MODULES } from "../../../modules/serverless/bundle";
import { createZip, crc32, readZip } from "../../../modules/serverless/zip";
import { testConfig } from "../../helpers/config";
import { stackJson } from "../../helpers/app";
import { tempDir } from "../../helpers/synth";

/** Synthesizes simple-lambda into a fresh folder under `umask`, returns the function's zip bytes and config. */
function synthUnder(umask: number): { zip: Buffer; fn: any } {
  const previous = process.umask(umask);
  try {
    const outdir = tempDir(`bundle-${umask.toString(8)}`);
    const app = new App({ outdir, stackTraces: false });
    new SimpleLambdaStack(app, "simple-lambda", testConfig());
    app.synth();
    const json = stackJson(outdir, "simple-lambda");
    const fn = Object.values(json.resource!.aws_lambda_function)[0];
    return { zip: fs.readFileSync(path.join(outdir, "stacks", "simple-lambda", fn.filename)), fn };
  } finally {
    process.umask(previous);
  }
}

describe("Lambda bundles", () => {
  test("two synths in different folders under umask 0002 and 0022 give byte-identical zips and the same hash", () => {
    const a = synthUnder(0o002);
    const b = synthUnder(0o022);
    expect(a.zip.equals(b.zip)).toBe(true);
    expect(a.fn.filename).toBe(b.fn.filename);
    expect(a.fn.source_code_hash).toBe(b.fn.source_code_hash);
    // and the synthesized path leaks no machine path
    expect(a.fn.filename.startsWith("assets/")).toBe(true);
  });

  test("the bundle does not depend on where the project lives", () => {
    const dir = tempDir("moved");
    fs.cpSync(path.join(__dirname, "..", "..", "..", "lambdas", "simple-lambda"), path.join(dir, "simple-lambda"), { recursive: true });
    const here = bundleEntry("simple-lambda");
    const moved = bundleEntry("simple-lambda", { lambdasDir: dir });
    expect(moved.zip.equals(here.zip)).toBe(true);
    expect(here.code.toString()).not.toContain(path.resolve(__dirname, "..", "..", ".."));
  });

  test("bundles are minified CommonJS with the AWS SDK left to the runtime", () => {
    // An entry that imports the SDK (the project's Lambdas no longer do: lambdas/lib/aws)
    const dir = tempDir("sdk-entry");
    fs.mkdirSync(path.join(dir, "uses-sdk"));
    fs.symlinkSync(path.join(__dirname, "..", "..", "..", "node_modules"), path.join(dir, "node_modules"), "dir");
    fs.writeFileSync(path.join(dir, "uses-sdk", "index.ts"), 'import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";\nexport const handler = async () => typeof DynamoDBDocumentClient;\n');
    const external = bundleEntry("uses-sdk", { lambdasDir: dir });
    const bundled = bundleEntry("uses-sdk", { lambdasDir: dir, bundleAwsSdk: true });
    const code = external.code.toString();
    expect(code).toMatch(/require\("@aws-sdk\/lib-dynamodb"\)/);
    expect(code).not.toMatch(/\n\s+\S/); // minified: no indented lines
    expect(bundled.code.length).toBeGreaterThan(external.code.length * 10);
    expect(RUNTIME_PROVIDED_MODULES).toContain("@aws-sdk/*");
  });

  test("a haiku function's bundle carries its own AWS client: under 20 KB, no package required", () => {
    const code = bundleEntry("haiku-create").code.toString();
    expect(code).toContain("DynamoDB_20120810.");
    expect(code).toContain("AWS4-HMAC-SHA256");
    expect([...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]).filter((m) => !/^(node:)?(crypto|http|https)$/.test(m))).toEqual([]);
    expect(code.length).toBeLessThan(20 * 1024);
  });

  test("names the entry and the line when esbuild cannot bundle it", () => {
    const dir = tempDir("lambdas");
    fs.mkdirSync(path.join(dir, "broken"));
    fs.writeFileSync(path.join(dir, "broken", "index.ts"), "export const handler = (;\n");
    expect(() => bundleEntry("broken", { lambdasDir: dir })).toThrow(/entry \(broken\): esbuild failed at .*index\.ts:1: /);
  });

  test("the zip is sorted, 0644, dated 1980-01-01, and readable back", () => {
    const zip = createZip([
      { name: "b.js", data: Buffer.from("b") },
      { name: "a.js", data: Buffer.from("a") },
    ]);
    expect(readZip(zip).map((e) => [e.name, e.data.toString(), e.mode.toString(8)])).toEqual([
      ["a.js", "a", "100644"],
      ["b.js", "b", "100644"],
    ]);
    expect(zip.readUInt16LE(10)).toBe(0); // DOS time 00:00
    expect(zip.readUInt16LE(12)).toBe(33); // DOS date 1980-01-01
    expect(crc32(Buffer.from("123456789"))).toBe(0xcbf43926);
    expect(() => createZip([{ name: "../x", data: Buffer.alloc(0) }])).toThrow(/zip entry name \(\.\.\/x\)/);
    expect(() =>
      createZip([
        { name: "x", data: Buffer.alloc(0) },
        { name: "x", data: Buffer.alloc(0) },
      ])
    ).toThrow(/appears twice/);
  });
});
