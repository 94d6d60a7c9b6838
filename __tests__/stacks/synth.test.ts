/** The app as a whole: deterministic output, config errors that stop synth with a clear message. */
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { promisify } from "util";
import { loadConfig } from "../../config/load";
import { synthesizeApp } from "../../stacks/synthesize";
import { synthApp } from "../helpers/app";
import { tempDir } from "../helpers/synth";

const ROOT = path.resolve(__dirname, "..", "..");
const run = promisify(execFile);

function files(dir: string, base = dir): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) for (const [k, v] of files(full, base)) out.set(k, v);
    else out.set(path.relative(base, full), fs.readFileSync(full));
  }
  return out;
}

describe("synthesis", () => {
  test("two synths give byte-identical output (no timestamps, no machine paths)", () => {
    const config = loadConfig({ dir: ROOT, env: {} });
    const a = files(synthApp(config));
    const b = files(synthApp(config));
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    for (const [name, bytes] of a) expect({ name, same: bytes.equals(b.get(name)!) }).toEqual({ name, same: true });
    const text = [...a.values()].map((v) => v.toString("utf8")).join("\n");
    expect(text).not.toContain(ROOT);
    expect(text).not.toContain("/tmp/");
  });

  /** Each bad value and the line that must name it. */
  const BAD: [Record<string, string>, RegExp][] = [
    [{ INFRA_SSH_CIDR: "0.0.0.0/0" }, /ssh.ingressCidr \("0.0.0.0\/0", from INFRA_SSH_CIDR\) opens SSH to the internet \(a public range wider than \/16/],
    [{ INFRA_SSH_CIDR: "0.0.0.0/1" }, /ssh.ingressCidr \("0.0.0.0\/1", from INFRA_SSH_CIDR\) opens SSH to the internet \(a public range wider than \/16/],
    [{ INFRA_SSH_KEY_NAME: "" }, /ssh.keyName \("", from INFRA_SSH_KEY_NAME\) is empty/],
    [{ INFRA_SSH_CIDR: "300.1.1.1/32" }, /ssh.ingressCidr \("300.1.1.1\/32", from INFRA_SSH_CIDR\) has an octet above 255/],
  ];

  // The process: one real `npm run synth` (its script's command line), for what only a process shows.
  test("npm run synth with a bad value exits 1, names the field and value on stderr without a stack trace, writes nothing", async () => {
    const [env, message] = BAD[0];
    const outdir = tempDir("badconfig");
    const script = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts.synth;
    expect(script).toBe("node tools/run-app.js main.ts");
    const result = await run(process.execPath, script.split(" ").slice(1), {
      cwd: ROOT,
      env: { ...process.env, ...env, CDKTF_OUTDIR: outdir },
    }).then(
      () => ({ code: 0, stderr: "" }),
      (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/^\s+at /m); // no stack trace
    expect(fs.readdirSync(outdir)).toEqual([]);
  }, 60_000);

  // Every value: what main.ts prints (synthesizeApp's lines are its stderr) and leaves, in-process.
  test.each(BAD)("synth with %j fails naming the field and value, without a stack trace, writing nothing", (env, message) => {
    const outdir = path.join(tempDir("badconfig"), "cdktf.out");
    const lines: string[] = [];
    const result = synthesizeApp({ dir: ROOT, env, outdir, print: (l) => lines.push(l) });
    expect(result.ok).toBe(false);
    expect(lines[0]).toBe("Invalid configuration:");
    expect(lines.join("\n")).toMatch(message);
    expect(lines.join("\n")).not.toMatch(/^\s+at /m);
    expect(fs.readdirSync(path.dirname(outdir))).toEqual([]);
  });
});
