import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { tempDir } from "../../helpers/synth";
import { USERDATA_DIR } from "../../../modules/compute/user-data";

const SCRIPT = path.join(USERDATA_DIR, "web-fleet.sh");
const INSTANCE_ID = "i-0123456789abcdef0";

/** Stub `curl` (IMDSv2 + the local app), `aws` (records its arguments) and `sleep` (instant) on PATH. */
function stubs(): string {
  const dir = tempDir("web-fleet-userdata");
  const write = (name: string, body: string) => fs.writeFileSync(path.join(dir, name), `#!/bin/bash\n${body}\n`, { mode: 0o755 });
  write(
    "curl",
    `url="\${@: -1}"
case "$url" in
  */api/token) echo token ;;
  */meta-data/instance-id) echo ${INSTANCE_ID} ;;
  */meta-data/placement/region) echo ap-northeast-1 ;;
  */meta-data/placement/availability-zone) echo ap-northeast-1a ;;
  */meta-data/autoscaling/target-lifecycle-state) [ -n "$TARGET_STATE" ] && echo "$TARGET_STATE" || exit 22 ;;
  http://127.0.0.1:*) [ "$APP_UP" = yes ] || exit 7 ;;
  *) echo "unexpected url $url" >&2; exit 99 ;;
esac`,
  );
  write(
    "aws",
    `echo "$*" >> "$AWS_LOG"
n=$(wc -l < "$AWS_LOG")
case "$AWS_MODE" in
  ok) exit 0 ;;
  no-active) echo "An error occurred (ValidationError): No active Lifecycle Action found with instance ID ${INSTANCE_ID}" >&2; exit 254 ;;
  denied-once) [ "$n" -gt 1 ] && exit 0; echo "AccessDenied" >&2; exit 254 ;;
esac`,
  );
  write("sleep", "exit 0");
  return dir;
}

function run(mode: string, env: Record<string, string>): { status: number | null; out: string; awsCalls: string[] } {
  const bin = stubs();
  const awsLog = path.join(bin, "aws.log");
  fs.writeFileSync(awsLog, "");
  const r = spawnSync("bash", [SCRIPT, mode], {
    env: { PATH: `${bin}:${process.env.PATH}`, AWS_LOG: awsLog, APP_UP: "yes", AWS_MODE: "ok", ...env },
    encoding: "utf8",
  });
  return { status: r.status, out: r.stdout + r.stderr, awsCalls: fs.readFileSync(awsLog, "utf8").split("\n").filter(Boolean) };
}

const HOOK = { ASG_NAME: "fleet-base", LIFECYCLE_HOOK_NAME: "launch" };

describe("userdata/web-fleet.sh", () => {
  test("passes shellcheck", () => {
    // shellcheck exits non-zero with findings; apt-get install -y shellcheck if missing
    expect(() => execFileSync("shellcheck", ["--shell=bash", SCRIPT], { encoding: "utf8" })).not.toThrow();
  });

  test("is strict (set -euo pipefail) and installs an enabled systemd service, so the app survives a warm-pool stop/start", () => {
    const text = fs.readFileSync(SCRIPT, "utf8");
    expect(text.startsWith("#!/bin/bash\n")).toBe(true);
    expect(text).toMatch(/^set -euo pipefail$/m);
    expect(text).toMatch(/systemctl enable web-fleet\.service web-fleet-lifecycle\.service/);
    expect(text).toContain("WantedBy=multi-user.target");
    expect(text).toContain("X-aws-ec2-metadata-token");
  });

  test.each([
    ["Warmed:Stopped", "Warmed:Pending:Wait (on the way into the pool)"],
    ["InService", "Pending:Wait (new launch or start from the pool)"],
  ])("target state %s: completes the hook once with CONTINUE (%s), via IMDSv2 instance id and region", (state) => {
    const r = run("complete-lifecycle", { ...HOOK, TARGET_STATE: state });
    expect(r.status).toBe(0);
    expect(r.awsCalls).toEqual([
      `autoscaling complete-lifecycle-action --region ap-northeast-1 --auto-scaling-group-name fleet-base --lifecycle-hook-name launch --instance-id ${INSTANCE_ID} --lifecycle-action-result CONTINUE`,
    ]);
  });

  test("'No active Lifecycle Action' (reboot in service, second run) is success: idempotent", () => {
    const r = run("complete-lifecycle", { ...HOOK, TARGET_STATE: "InService", AWS_MODE: "no-active" });
    expect(r.status).toBe(0);
    expect(r.awsCalls).toHaveLength(1);
    expect(r.out).toContain("nothing to do");
  });

  test("retries while the instance role's policy propagates", () => {
    const r = run("complete-lifecycle", { ...HOOK, TARGET_STATE: "InService", AWS_MODE: "denied-once" });
    expect(r.status).toBe(0);
    expect(r.awsCalls).toHaveLength(2);
  });

  test("an app that never answers abandons the launch instead of joining the pool or the service", () => {
    const r = run("complete-lifecycle", { ...HOOK, TARGET_STATE: "Warmed:Stopped", APP_UP: "no" });
    expect(r.status).toBe(0);
    expect(r.awsCalls).toEqual([expect.stringContaining("--lifecycle-action-result ABANDON")]);
  });

  test("no hook configured (the spot group): no call", () => {
    const r = run("complete-lifecycle", { ASG_NAME: "", LIFECYCLE_HOOK_NAME: "", TARGET_STATE: "InService" });
    expect(r.status).toBe(0);
    expect(r.awsCalls).toEqual([]);
  });

  test("a terminating instance completes nothing", () => {
    const r = run("complete-lifecycle", { ...HOOK, TARGET_STATE: "Terminated" });
    expect(r.status).toBe(0);
    expect(r.awsCalls).toEqual([]);
  });

  test("an unknown mode is a usage error", () => {
    expect(run("explode", HOOK).status).toBe(2);
  });
});
