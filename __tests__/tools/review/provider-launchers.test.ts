/**
 * The provider launchers of review and plan roots: terraform's schema read
 * is answered by the schema-only provider with the root's types, the walks
 * run the provider itself, and terraform still checks the package it runs
 * against the root's lock file.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { planFromEmpty } from "../../../tools/review/engine";
import { captureSchemaAnswer } from "../../../tools/review/provider-answers";
import { launchersServe, packageHash, rootSchemaTypes } from "../../../tools/review/provider-launchers";
import { cacheRoot } from "../../../tools/review/install";
import { runTerraform, terraformEnv } from "../../../tools/terraform";
import { tempDir } from "../../helpers/synth";

const ROOT = path.resolve(__dirname, "..", "..", "..");

const stack = {
  terraform: { required_providers: { aws: { source: "aws", version: "5.100.0" } } },
  provider: { aws: [{ region: "ap-northeast-1" }] },
  resource: { aws_sqs_queue: { Jobs: { name: "aws-course-launcher-jobs", sqs_managed_sse_enabled: true } } },
  data: { aws_partition: { Current: {} } },
};

describe("a root planned through the launchers", () => {
  const workDir = tempDir("launchers");
  let plan: Awaited<ReturnType<typeof planFromEmpty>>[number];
  beforeAll(async () => {
    [plan] = await planFromEmpty([{ id: "tiny", source: { json: stack, dir: workDir } }], { workDir, env: terraformEnv(workDir, "offline"), cacheDir: cacheRoot(ROOT) });
  }, 300_000);

  test("plans as terraform does, its schema read answered by the schema-only provider (one mark per terraform process)", () => {
    expect(plan.error).toBeUndefined();
    expect(plan.changes.filter((c) => c.mode === "managed").map((c) => `${c.address} ${c.change.actions}`)).toEqual(["aws_sqs_queue.Jobs create"]);
    const marks = fs.readdirSync(path.join(workDir, ".schema-only")).filter((f) => f.startsWith("started-"));
    expect(marks).toHaveLength(1);
    expect(JSON.parse(fs.readFileSync(path.join(workDir, ".schema-only", "types.json"), "utf8"))).toEqual({ resources: ["aws_sqs_queue"], dataSources: ["aws_partition"], ephemeralResources: [] });
  });

  test("the root's lock file holds the launcher's package hash, and terraform refuses a launcher that differs from it", async () => {
    const providers = fs.realpathSync(path.join(workDir, ".terraform", "providers"));
    const pkg = path.join(providers, "registry.terraform.io", "hashicorp", "aws", "5.100.0", "linux_amd64");
    expect(fs.readFileSync(path.join(workDir, ".terraform.lock.hcl"), "utf8")).toContain(`"${packageHash(pkg)}"`);
    // GIVEN a copy of the launchers with the script changed, linked into the root
    const copy = tempDir("launchers-tampered");
    fs.cpSync(providers, copy, { recursive: true });
    const script = path.join(copy, "registry.terraform.io", "hashicorp", "aws", "5.100.0", "linux_amd64", "terraform-provider-aws_v5.100.0_x5");
    fs.appendFileSync(script, "# changed\n");
    fs.rmSync(path.join(workDir, ".terraform", "providers"));
    fs.symlinkSync(copy, path.join(workDir, ".terraform", "providers"));
    // WHEN terraform plans THEN it stops before starting any provider
    const run = await runTerraform(["plan", "-input=false", "-no-color", "-lock=false", "-refresh=false"], workDir, terraformEnv(workDir, "offline"));
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/does not match any of the checksums recorded in the dependency lock file/);
  }, 60_000);
});

test("the types of a root: every module's resources, data sources and ephemeral resources, and the state's", () => {
  const types = rootSchemaTypes(
    [{ json: { resource: { aws_vpc: {}, aws_subnet: {} }, data: { aws_region: {} } } }, { json: { resource: { aws_vpc: {} }, ephemeral: { aws_secretsmanager_secret_version: {} } } }],
    { resources: [{ mode: "managed", type: "aws_instance" }, { mode: "data", type: "aws_ami" }] },
  );
  expect(types).toEqual({ resources: ["aws_instance", "aws_subnet", "aws_vpc"], dataSources: ["aws_ami", "aws_region"], ephemeralResources: ["aws_secretsmanager_secret_version"] });
});

test("a provider binary that never shakes hands: the capture fails with its exit code and what it said", async () => {
  const fake = path.join(tempDir("fake-provider"), "terraform-provider-fake");
  fs.writeFileSync(fake, "#!/bin/sh\necho 'this is not a plugin' >&2\nexit 3\n", { mode: 0o755 });
  await expect(captureSchemaAnswer(fake, process.env)).rejects.toThrow("terraform-provider-fake exited (3) before its handshake: this is not a plugin");
});

test("terraform's package hash (Go's dirhash Hash1): the SHA-256 of each file's SHA-256 and path, sorted", () => {
  const dir = tempDir("package-hash");
  fs.mkdirSync(path.join(dir, "sub"));
  fs.writeFileSync(path.join(dir, "b"), "two\n");
  fs.writeFileSync(path.join(dir, "sub", "a"), "one\n");
  // sha256("one\n") and sha256("two\n"), as `sha256sum` prints them, in path order
  const summary = "27dd8ed44a83ff94d557f9fd0412ed5a8cbca69ea04922d88c01184a07300a5a  b\n" + "2c8b08da5ce60398e1f19af0e5dccc744df274b826abe585eaba68c525434806  sub/a\n";
  expect(packageHash(dir)).toBe(`h1:${crypto.createHash("sha256").update(summary).digest("base64")}`);
});

test("only terraform versions whose schema read is known to be the schema call alone go through the launchers", () => {
  expect(["1.10.5", "1.11.4"].map((v) => launchersServe(v, "linux"))).toEqual([true, true]);
  expect(["1.9.8", "1.12.0", "1.14.1", "unknown"].map((v) => launchersServe(v))).toEqual([false, false, false, false]);
  expect(launchersServe("1.11.4", "win32")).toBe(false); // sh scripts
});
