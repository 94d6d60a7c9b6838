import * as fs from "fs";
import * as path from "path";
import { App } from "cdktf";
import { Construct } from "constructs";
import { describeConstructError, settingsKey, synthesizeApp } from "../../stacks/synthesize";
import { loadConfigWithSources } from "../../config/load";
import { tempDir } from "../helpers/synth";

const SHIPPED = path.resolve(__dirname, "..", "..", "infra.config.json");

/** A config folder with the shipped file and an optional local layer. */
function configDir(local?: unknown): string {
  const dir = tempDir("synth-config");
  fs.copyFileSync(SHIPPED, path.join(dir, "infra.config.json"));
  if (local !== undefined) fs.writeFileSync(path.join(dir, "infra.config.local.json"), JSON.stringify(local));
  return dir;
}

/** Every file under `dir` with its bytes and modification time. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else out.set(path.relative(dir, full), `${fs.statSync(full).mtimeMs} ${fs.readFileSync(full).toString("base64")}`);
    }
  };
  walk(dir);
  return out;
}

function run(options: { local?: unknown; env?: Record<string, string>; outdir: string; only?: string[] }) {
  const lines: string[] = [];
  const result = synthesizeApp({ dir: configDir(options.local), env: { ...options.env }, outdir: options.outdir, only: options.only, print: (l) => lines.push(l) });
  return { ...result, lines };
}

/** A previous good output, with terraform's working files in one stack folder. */
function previousOutput(): string {
  const outdir = path.join(tempDir("synth-out"), "cdktf.out");
  expect(run({ outdir, only: ["state", "simple-dynamodb"] }).ok).toBe(true);
  fs.mkdirSync(path.join(outdir, "stacks", "simple-dynamodb", ".terraform", "providers"), { recursive: true });
  fs.writeFileSync(path.join(outdir, "stacks", "simple-dynamodb", ".terraform", "providers", "marker"), "init was here");
  fs.writeFileSync(path.join(outdir, "stacks", "simple-dynamodb", ".terraform.lock.hcl"), "# lock");
  return outdir;
}

const leftovers = (outdir: string) => fs.readdirSync(path.dirname(outdir)).filter((f) => f !== path.basename(outdir));

describe("synthesizeApp: a failed synth changes nothing", () => {
  test("a configuration error leaves the previous output byte for byte, with no partial folder", () => {
    const outdir = previousOutput();
    const before = snapshot(outdir);
    const r = run({ outdir, local: { stacks: { webFleet: { appPort: 70000 } } }, only: ["state", "simple-dynamodb"] });
    expect(r.ok).toBe(false);
    expect(r.lines).toEqual(["Invalid configuration:", expect.stringMatching(/^ {2}- stacks\.webFleet\.appPort \(70000, from infra\.config\.local\.json\) must be at most 65535\. Set stacks\.webFleet\.appPort in infra\.config\.local\.json\.$/)]);
    expect(snapshot(outdir)).toEqual(before);
    expect(leftovers(outdir)).toEqual([]);
  });

  test("an error a construct raises mid-build leaves the previous output too, and names the user's key", () => {
    const outdir = previousOutput();
    const before = snapshot(outdir);
    // gpu-jupyter's image needs a larger root volume than 5 GiB, whichever layer says so.
    const r = run({ outdir, local: { stacks: { gpuJupyter: { rootVolumeGiB: 5 } } }, only: ["simple-dynamodb", "gpu-jupyter"] });
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual([expect.stringMatching(/^stacks\.gpuJupyter\.rootVolumeGiB \(5, from infra\.config\.local\.json\) .*Set stacks\.gpuJupyter\.rootVolumeGiB in infra\.config\.local\.json\.$/)]);
    expect(r.lines.join("\n")).not.toMatch(/\n\s+at /);
    expect(snapshot(outdir)).toEqual(before);
    expect(leftovers(outdir)).toEqual([]);
  });

  test("INFRA_STRICT=1 turns warnings into errors and keeps the previous output", () => {
    const outdir = previousOutput();
    const before = snapshot(outdir);
    const r = run({ outdir, env: { INFRA_STRICT: "1" }, only: ["state"] });
    expect(r.ok).toBe(false);
    expect(r.lines).toEqual(
      expect.arrayContaining([expect.stringMatching(/^warning: ssh\.ingressCidr is "203\.0\.113\.10\/32"/), expect.stringMatching(/INFRA_STRICT=1 turns the 2 warning\(s\) above into errors/)]),
    );
    expect(snapshot(outdir)).toEqual(before);
  });
});

describe("synthesizeApp: a good synth", () => {
  test("replaces the output whole, keeping terraform's working files of the stacks still there", () => {
    const outdir = previousOutput();
    const r = run({ outdir, only: ["simple-dynamodb"] });
    expect(r.ok).toBe(true);
    expect(r.summary).toBe(`synthesized 1 stack into ${outdir}`);
    expect(fs.readdirSync(path.join(outdir, "stacks"))).toEqual(["simple-dynamodb"]); // state's folder is gone with the old output
    expect(fs.readFileSync(path.join(outdir, "stacks", "simple-dynamodb", ".terraform", "providers", "marker"), "utf8")).toBe("init was here");
    expect(fs.readFileSync(path.join(outdir, "stacks", "simple-dynamodb", ".terraform.lock.hcl"), "utf8")).toBe("# lock");
    expect(JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "simple-dynamodb", "cdk.tf.json"), "utf8")).resource.aws_dynamodb_table).toBeDefined();
    expect(leftovers(outdir)).toEqual([]);
  });

  test("prints warnings on stderr: placeholders and construct warnings, not only in manifest.json", () => {
    const outdir = path.join(tempDir("synth-out"), "cdktf.out");
    const r = run({ outdir, local: { stacks: { simpleLambda: { reservedConcurrency: 0 } } }, only: ["simple-lambda"] });
    expect(r.ok).toBe(true);
    expect(r.lines).toEqual([
      expect.stringMatching(/^warning: ssh\.ingressCidr is "203\.0\.113\.10\/32"/),
      expect.stringMatching(/^warning: state\.bucket is "aws-course-tfstate-change-me"/),
      expect.stringMatching(/^warning: stacks\.simpleLambda\.reservedConcurrency \(0, from infra\.config\.local\.json\) throttles every invocation .*\(stack simple-lambda, reservedConcurrency\)/),
    ]);
  });

  test("a quota warning from the configuration prints once (not again as the construct's annotation) and counts for INFRA_STRICT", () => {
    const outdir = path.join(tempDir("synth-out"), "cdktf.out");
    const local = { stacks: { simpleLambda: { reservedConcurrency: 950 } } };
    const r = run({ outdir, env: { INFRA_QUIET_PLACEHOLDERS: "1" }, local, only: ["simple-lambda"] });
    expect(r.ok).toBe(true);
    expect(r.lines).toEqual([expect.stringMatching(/^warning: stacks\.simpleLambda\.reservedConcurrency \(950\) reserves more than the 900 .*L-B99A9384/)]);
    const strict = run({ outdir: path.join(tempDir("synth-out"), "cdktf.out"), env: { INFRA_STRICT: "1" }, local, only: ["simple-lambda"] });
    expect(strict.ok).toBe(false);
    expect(strict.problems).toEqual([expect.stringMatching(/INFRA_STRICT=1 turns the 3 warning\(s\) above into errors/)]);
  });

  test("INFRA_QUIET_PLACEHOLDERS=1 silences the placeholder lines only", () => {
    const outdir = path.join(tempDir("synth-out"), "cdktf.out");
    const r = run({ outdir, env: { INFRA_QUIET_PLACEHOLDERS: "1" }, local: { stacks: { simpleLambda: { reservedConcurrency: 0 } } }, only: ["simple-lambda"] });
    expect(r.lines).toEqual([expect.stringMatching(/reservedConcurrency \(0, from infra\.config\.local\.json\) throttles/)]);
  });
});

describe("describeConstructError: a module's words mapped back to the user's key", () => {
  const loaded = loadConfigWithSources({ dir: configDir({ stacks: { webFleet: { base: { minSize: 4, maxSize: 4, desiredCapacity: 4 } } } }), env: { INFRA_REGION: "eu-west-1" } });

  test("by the prop's name and value under the stack's settings", () => {
    expect(describeConstructError(new Error("web-fleet/Fleet/BaseGroup: minSize (4) must be at most 3 here"), "web-fleet", loaded)).toBe(
      "stacks.webFleet.base.minSize (4, from infra.config.local.json) must be at most 3 here (stack web-fleet, minSize). Set stacks.webFleet.base.minSize in infra.config.local.json.",
    );
  });

  test("a top-level key, with the variable it came from", () => {
    expect(describeConstructError(new Error("region (eu-west-1) has no zone use1-az1"), "web-fleet", loaded)).toMatch(
      /^region \("eu-west-1", from INFRA_REGION\) has no zone use1-az1 \(stack web-fleet, region\)\. Set region in infra\.config\.local\.json or INFRA_REGION\.$/,
    );
  });

  test("a default the user never wrote says so", () => {
    expect(describeConstructError(new Error("appPort (8080) is taken"), "web-fleet", loaded)).toMatch(/^stacks\.webFleet\.appPort \(8080, the default\) is taken/);
  });

  test("without a unique match, the construct's words, the stack and where its settings come from", () => {
    expect(describeConstructError(new Error("something odd happened"), "web-fleet", loaded)).toBe(
      "stack web-fleet: something odd happened. Check stacks.webFleet in infra.config.local.json.",
    );
  });

  test("an error cdktf or constructs throws keeps its message, without an \"Error:\" prefix", () => {
    // Thrown inside constructs: an error of another realm under jest (tools/jest-runtime.js), as a
    // synth's are; the message, not String(error), is what the user reads.
    const app = new App();
    new Construct(app, "Twice");
    let thrown: unknown;
    try {
      new Construct(app, "Twice");
    } catch (e) {
      thrown = e;
    }
    expect(describeConstructError(thrown, "web-fleet", loaded)).toMatch(/^stack web-fleet: There is already a Construct with name 'Twice' in App\. Check stacks\.webFleet/);
  });

  test("stack names map to their settings keys", () => {
    expect(settingsKey("web-fleet")).toBe("webFleet");
    expect(settingsKey("gpu-jupyter")).toBe("gpuJupyter");
    expect(settingsKey("state")).toBe("state");
  });
});
