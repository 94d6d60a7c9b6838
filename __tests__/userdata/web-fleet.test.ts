import { execFileSync, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { tempDir } from "../helpers/synth";
import { USERDATA_DIR } from "../../modules/compute/user-data";

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
const HEARTBEAT = `autoscaling record-lifecycle-action-heartbeat --region ap-northeast-1 --auto-scaling-group-name fleet-base --lifecycle-hook-name launch --instance-id ${INSTANCE_ID}`;
const REAL_SLEEP = execFileSync("bash", ["-c", "command -v sleep"], { encoding: "utf8" }).trim();

/**
 * Runs the first-boot `setup` with fakes for everything it touches: files
 * under a temp dir (WEB_FLEET_DIR/LOG/UNIT_DIR), `dnf`, `python3 -m venv`
 * whose `pip install` (the slow PyTorch install) takes PIP_SECONDS, or
 * lasts until PIP_UNTIL happened: `heartbeats:<n>` sent, or `log:<text>`
 * written to the setup log (at most 10 s),
 * `systemctl` (starting the lifecycle unit runs the installed script's
 * complete-lifecycle, as systemd would), `sleep` that waits 0.02 s for the
 * heartbeat interval (and records that in `intervals`) and nothing otherwise,
 * `aws` and `curl` as above. Resolves once the script and everything that
 * holds its output have ended: the setup's log `tee` (which ends only when
 * every process writing to it has, the heartbeat loop and its sleeps too),
 * so the setup log is complete. `survivors()`: what of this run still runs.
 */
async function runSetup(env: Record<string, string>): Promise<{ status: number | null; out: string; awsCalls: () => string[]; intervals: () => number; survivors: () => string[]; dir: string }> {
  const bin = stubs();
  const dir = tempDir("web-fleet-setup");
  const write = (name: string, body: string) => fs.writeFileSync(path.join(bin, name), `#!/bin/bash\n${body}\n`, { mode: 0o755 });
  const intervals = path.join(bin, "intervals.log");
  write("sleep", `if [ "$1" = "$HEARTBEAT_SECONDS" ]; then echo "$1" >> "${intervals}"; exec ${REAL_SLEEP} 0.02; fi; exit 0`);
  write("dnf", "exit 0");
  write(
    "fake-pip",
    `[ "$PIP_FAILS" = yes ] && exit 1
case "\${PIP_UNTIL:-}" in
  heartbeats:*) file="$AWS_LOG"; text="record-lifecycle-action-heartbeat"; count="\${PIP_UNTIL#heartbeats:}" ;;
  log:*) file="$WEB_FLEET_LOG"; text="\${PIP_UNTIL#log:}"; count=1 ;;
  *) exec ${REAL_SLEEP} "$PIP_SECONDS" ;;
esac
for _ in $(seq 200); do
  [ "$(grep -c -F -e "$text" "$file" 2>/dev/null)" -ge "$count" ] 2>/dev/null && exit 0
  ${REAL_SLEEP} 0.05
done
echo "fake pip: no $PIP_UNTIL after 10 s" >&2`,
  );
  write(
    "python3",
    `[ "$1 $2" = "-m venv" ] || exit 3
mkdir -p "$3/bin"
cp "${path.join(bin, "fake-pip")}" "$3/bin/pip"
printf '#!/bin/bash\\necho torch 2.0\\n' > "$3/bin/python"
chmod +x "$3/bin/pip" "$3/bin/python"`,
  );
  write("systemctl", `[ "$*" = "start web-fleet-lifecycle.service" ] && exec "$WEB_FLEET_DIR/web-fleet.sh" complete-lifecycle; exit 0`);
  const awsLog = path.join(bin, "aws.log");
  fs.writeFileSync(awsLog, "");
  for (const d of ["app", "units"]) fs.mkdirSync(path.join(dir, d));
  // Its own process group, so a run that hangs is stopped whole.
  const child = spawn("bash", [SCRIPT, "setup"], {
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      PATH: `${bin}:${process.env.PATH}`,
      AWS_LOG: awsLog,
      APP_UP: "yes",
      AWS_MODE: "ok",
      TARGET_STATE: "Warmed:Stopped",
      WEB_FLEET_DIR: path.join(dir, "app"),
      WEB_FLEET_LOG: path.join(dir, "setup.log"),
      WEB_FLEET_UNIT_DIR: path.join(dir, "units"),
      HEARTBEAT_SECONDS: "7",
      PIP_SECONDS: "0",
      ...env,
    },
  });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // gone meanwhile
    }
  }, 20000);
  // "close": the script exited and its output pipes are closed, i.e. the tee holding them ended too.
  const status = await new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  clearTimeout(timer);
  return {
    status,
    out,
    awsCalls: () => fs.readFileSync(awsLog, "utf8").split("\n").filter(Boolean),
    intervals: () => (fs.existsSync(intervals) ? fs.readFileSync(intervals, "utf8").split("\n").filter(Boolean).length : 0),
    survivors: () => survivors(`AWS_LOG=${awsLog}`),
    dir,
  };
}

/**
 * Processes still running (not zombies) whose environment has `marker` (a
 * run's own AWS_LOG): what is left of that run. The log's `tee` is not
 * counted: it closes its outputs (the end of the run, for runSetup) once
 * every writer is gone, then takes an instant more to exit, sending nothing.
 */
function survivors(marker: string): string[] {
  const found: string[] = [];
  for (const pid of fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      if (!fs.readFileSync(`/proc/${pid}/environ`, "latin1").split("\0").includes(marker)) continue;
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "latin1");
      const comm = /\((.*)\) (\S)/.exec(stat);
      if (comm && comm[2] !== "Z" && comm[1] !== "tee") found.push(`${pid} ${comm[1]}`);
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

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

  describe("setup: lifecycle hook heartbeats while the slow setup runs", () => {
    test("the PyTorch setup sends heartbeats during the install, completes the hook once, then stops the heartbeats", async () => {
      // pip runs until three heartbeats were sent (or gives up after 10 s)
      const r = await runSetup({ ...HOOK, SETUP: "pytorch-cpu", PIP_UNTIL: "heartbeats:3" });
      expect(r.status).toBe(0);
      const calls = r.awsCalls();
      const heartbeats = calls.filter((c) => c === HEARTBEAT);
      // several during the install, not just one
      expect(heartbeats.length).toBeGreaterThanOrEqual(3);
      expect(calls.filter((c) => c !== HEARTBEAT)).toEqual([
        `autoscaling complete-lifecycle-action --region ap-northeast-1 --auto-scaling-group-name fleet-base --lifecycle-hook-name launch --instance-id ${INSTANCE_ID} --lifecycle-action-result CONTINUE`,
      ]);
      expect(fs.readFileSync(path.join(r.dir, "app", "torch-version.txt"), "utf8")).toContain("torch");
      expect(fs.readFileSync(path.join(r.dir, "setup.log"), "utf8")).toContain("heartbeats stopped");
      // the background loop is gone when the setup returns: nothing is left to send a heartbeat later
      expect(r.survivors()).toEqual([]);
    });

    test("a failing setup stops the heartbeats too (the hook then times out with ABANDON)", async () => {
      const r = await runSetup({ ...HOOK, SETUP: "pytorch-cpu", PIP_FAILS: "yes" });
      expect(r.status).not.toBe(0);
      expect(r.awsCalls().some((c) => c.includes("complete-lifecycle-action"))).toBe(false);
      // the loop was started, and stopped on the way out
      const log = fs.readFileSync(path.join(r.dir, "setup.log"), "utf8");
      expect(log).toContain("heartbeats every 7 s");
      expect(log).toContain("heartbeats stopped");
      expect(r.survivors()).toEqual([]);
    });

    test("a hung setup is not kept alive forever: the heartbeats stop after HEARTBEAT_MAX_SECONDS", async () => {
      // pip hangs until the heartbeats gave up; a maximum of 21 s at 7 s each allows 3
      const r = await runSetup({ ...HOOK, SETUP: "pytorch-cpu", HEARTBEAT_MAX_SECONDS: "21", PIP_UNTIL: "log:no more heartbeats" });
      expect(r.status).toBe(0);
      expect(r.awsCalls().filter((c) => c === HEARTBEAT)).toHaveLength(3);
      expect(fs.readFileSync(path.join(r.dir, "setup.log"), "utf8")).toContain("no more heartbeats after 21 s");
    });

    test("no hook (the spot group): no heartbeat and no AWS call at all", async () => {
      const r = await runSetup({ ASG_NAME: "", LIFECYCLE_HOOK_NAME: "", SETUP: "pytorch-cpu" });
      expect(r.status).toBe(0);
      expect(r.awsCalls()).toEqual([]);
      // no heartbeat loop was started: no interval waited, nothing said about heartbeats
      expect(r.intervals()).toBe(0);
      expect(fs.readFileSync(path.join(r.dir, "setup.log"), "utf8")).not.toMatch(/heartbeat/);
    });

    test("refuses a heartbeat interval that is not a positive whole number", async () => {
      const r = await runSetup({ ...HOOK, HEARTBEAT_SECONDS: "0" });
      expect(r.status).toBe(1);
      expect(r.out).toContain("HEARTBEAT_SECONDS ('0') and HEARTBEAT_MAX_SECONDS ('3600') must be whole numbers");
      expect(r.awsCalls()).toEqual([]);
    });
  });

  test("an unknown mode is a usage error", () => {
    expect(run("explode", HOOK).status).toBe(2);
  });
});
