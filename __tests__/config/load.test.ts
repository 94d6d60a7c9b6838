import * as fs from "fs";
import * as path from "path";
import { ConfigError, loadConfig, placeholderWarnings } from "../../config/load";
import { tempDir } from "../helpers/synth";

const SHIPPED = path.resolve(__dirname, "..", "..", "infra.config.json");

/** A config folder holding the shipped file (and optionally a local one). */
function folder(local?: unknown, base: string = fs.readFileSync(SHIPPED, "utf8")): string {
  const dir = tempDir("config");
  fs.writeFileSync(path.join(dir, "infra.config.json"), base);
  if (local !== undefined) fs.writeFileSync(path.join(dir, "infra.config.local.json"), JSON.stringify(local));
  return dir;
}

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return [...e.problems];
    throw e;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig", () => {
  test("the shipped configuration is valid, in the course's region, and not world-open", () => {
    const config = loadConfig({ dir: folder(), env: {} });
    expect(config.region).toBe("ap-northeast-1");
    expect(config.ssh.ingressCidr).not.toBe("0.0.0.0/0");
    expect(config.ssh.allowWorldOpen).toBe(false);
    expect(config.stacks.firstEc2.instanceType).toBe("t3.micro");
  });

  test("warns about every placeholder left in the shipped file", () => {
    const warnings = placeholderWarnings(loadConfig({ dir: folder(), env: {} }));
    expect(warnings.join("\n")).toMatch(/ssh.ingressCidr is "203.0.113.10\/32".*INFRA_SSH_CIDR/);
    expect(warnings.join("\n")).toMatch(/state.bucket is "aws-course-tfstate-change-me"/);
  });

  test("layers: local file over the shipped file, environment over both", () => {
    const dir = folder({ ssh: { keyName: "from-local", ingressCidr: "198.51.100.0/24" }, stacks: { firstEc2: { instanceType: "t2.micro" } } });
    const config = loadConfig({ dir, env: { INFRA_SSH_KEY_NAME: "from-env", INFRA_REGION: "us-east-1" } });
    expect(config.ssh.keyName).toBe("from-env");
    expect(config.ssh.ingressCidr).toBe("198.51.100.0/24");
    expect(config.region).toBe("us-east-1");
    expect(config.stacks.firstEc2.instanceType).toBe("t2.micro");
    expect(placeholderWarnings(config).join()).not.toMatch(/ingressCidr/);
  });

  test("a later layer's tags replace the earlier layer's map whole; other objects merge key by key", () => {
    const shipped = JSON.parse(fs.readFileSync(SHIPPED, "utf8"));
    const dir = folder({ tags: { CostCenter: "42" } }, JSON.stringify({ ...shipped, tags: { Team: "infra", Owner: "a" } }));
    expect(loadConfig({ dir, env: {} }).tags).toEqual({ CostCenter: "42" });
    expect(loadConfig({ dir: folder(undefined, JSON.stringify({ ...shipped, tags: { Team: "infra" } })), env: {} }).tags).toEqual({ Team: "infra" });
  });

  test.each(["0.0.0.0/0", "0.0.0.0/1", "128.0.0.0/1", "1.0.0.0/8"])("SSH from %s needs the explicit opt-in, with one message", (cidr) => {
    const dir = folder();
    const escaped = cidr.replace(/[./]/g, "\\$&");
    expect(problemsOf(() => loadConfig({ dir, env: { INFRA_SSH_CIDR: cidr } }))).toEqual([
      expect.stringMatching(new RegExp(`^ssh.ingressCidr \\("${escaped}", from INFRA_SSH_CIDR\\) opens SSH to the internet \\(a public range wider than /16`)),
    ]);
    const open = loadConfig({ dir, env: { INFRA_SSH_CIDR: cidr, INFRA_SSH_ALLOW_WORLD_OPEN: "true" } });
    expect(open.ssh.ingressCidr).toBe(cidr);
  });

  test.each(["203.0.113.10/32", "198.51.100.0/24", "8.8.0.0/16", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"])("SSH from %s is one person's, one office's or a private range: no opt-in", (cidr) => {
    expect(loadConfig({ dir: folder(), env: { INFRA_SSH_CIDR: cidr } }).ssh.ingressCidr).toBe(cidr);
  });

  test.each([
    [{ INFRA_SSH_KEY_NAME: "" }, /^ssh.keyName \("", from INFRA_SSH_KEY_NAME\) is empty\. Set ssh.keyName in infra.config.local.json or INFRA_SSH_KEY_NAME/],
    [{ INFRA_SSH_CIDR: "" }, /^ssh.ingressCidr \(""/],
    [{ INFRA_SSH_CIDR: "203.0.113.10" }, /ssh.ingressCidr \("203.0.113.10", from INFRA_SSH_CIDR\) is not an IPv4 CIDR block/],
    [{ INFRA_SSH_CIDR: "10.0.0.1/16" }, /has host bits set \(did you mean 10.0.0.0\/16\?\)/],
    [{ INFRA_REGION: "tokyo" }, /^region \("tokyo", from INFRA_REGION\) is not an AWS region/],
    [{ INFRA_ENVIRONMENT: "Prod_1" }, /^environment \("Prod_1", from INFRA_ENVIRONMENT\) must be 1-16 lowercase/],
    [{ INFRA_STATE_BUCKET: "My_Bucket" }, /^state.bucket \("My_Bucket", from INFRA_STATE_BUCKET\)/],
    [{ INFRA_STATE_KEY_PREFIX: "team" }, /^state.keyPrefix \("team", .*\) must be empty or end with '\/'/],
    [{ INFRA_SSH_ALLOW_WORLD_OPEN: "yes" }, /^INFRA_SSH_ALLOW_WORLD_OPEN \("yes"\) must be true or false/],
  ])("environment %j fails naming the field and value", (env, message) => {
    const problems = problemsOf(() => loadConfig({ dir: folder(), env }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  test.each([
    [{ ssh: { keyname: "typo" } }, /^ssh.keyname is not a known setting \(from infra.config.local.json\)/],
    [{ stacks: { firstEC2: {} } }, /^stacks.firstEC2 is not a known setting/],
    [{ regoin: "us-east-1" }, /^regoin is not a known setting/],
    [{ stacks: { firstEc2: { instanceType: "t3-micro" } } }, /^stacks.firstEc2.instanceType \("t3-micro", from infra.config.local.json\) is not an EC2 instance type/],
    [{ stacks: { firstEc2: { rootVolumeGiB: 4 } } }, /^stacks.firstEc2.rootVolumeGiB \(4, from infra.config.local.json\)/],
    [{ stacks: { firstEc2: { rootVolumeGiB: "8" } } }, /^stacks.firstEc2.rootVolumeGiB \("8", .*\) must be a number/],
    [{ tags: { "aws:owner": "me" } }, /aws:/],
  ])("local file %j fails naming the field", (local, message) => {
    const problems = problemsOf(() => loadConfig({ dir: folder(local), env: {} }));
    expect(problems.join("\n")).toMatch(message);
  });

  test("a base file that sets one key keeps every schema default; the placeholders are defaults with their warning", () => {
    const dir = folder(undefined, JSON.stringify({ environment: "prod" }));
    const config = loadConfig({ dir, env: {} });
    const shipped = loadConfig({ dir: folder(), env: {} });
    expect(config.environment).toBe("prod");
    expect({ ...config, environment: shipped.environment, $schema: shipped.$schema }).toEqual(shipped);
    expect(placeholderWarnings(config)).toEqual([
      expect.stringMatching(/^ssh.ingressCidr is "203.0.113.10\/32", a documentation address/),
      expect.stringMatching(/^state.bucket is "aws-course-tfstate-change-me", a placeholder/),
    ]);
    // INFRA_CONFIG too: an empty object is a whole configuration.
    fs.writeFileSync(path.join(dir, "one-key.json"), JSON.stringify({ stacks: { webFleet: { appPort: 9000 } } }));
    expect(loadConfig({ dir, env: { INFRA_CONFIG: "one-key.json" } }).stacks.webFleet.appPort).toBe(9000);
  });

  test("a missing required value says how to set it", () => {
    const local = { stacks: { bashoutter: { customDomain: {} } } };
    const problems = problemsOf(() => loadConfig({ dir: folder(local), env: {} }));
    expect(problems.join("\n")).toMatch(/^stacks\.bashoutter\.customDomain\.\w+ is missing\. Set stacks\.bashoutter\.customDomain\.\w+ in infra\.config\.local\.json\./m);
  });

  test("malformed JSON names the file", () => {
    const dir = folder();
    fs.writeFileSync(path.join(dir, "infra.config.local.json"), "{ ssh: ");
    expect(problemsOf(() => loadConfig({ dir, env: {} }))[0]).toMatch(/^infra.config.local.json is not valid JSON/);
  });

  test("INFRA_CONFIG points at another base file; a missing one is reported", () => {
    const dir = folder();
    fs.copyFileSync(path.join(dir, "infra.config.json"), path.join(dir, "prod.json"));
    expect(loadConfig({ dir, env: { INFRA_CONFIG: "prod.json", INFRA_ENVIRONMENT: "prod" } }).environment).toBe("prod");
    expect(problemsOf(() => loadConfig({ dir, env: { INFRA_CONFIG: "nope.json" } }))[0]).toMatch(/^nope.json not found/);
  });
});
