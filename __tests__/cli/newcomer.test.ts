/**
 * What a first-time user meets (issue 17.1): the usage line and the error
 * agree, help fits a terminal, a stack that is not deployed says how to
 * deploy it (the one deploy command) or what to pass instead, a dead
 * endpoint names the host and the reason, and progress shows rate and ETA.
 */
import * as fs from "fs";
import * as http from "http";
import type { AddressInfo } from "net";
import * as path from "path";
import { main } from "../../cli/index";
import { describeNetworkError } from "../../cli/lib/errors";
import { readStackOutputs, StackOutputsError } from "../../cli/lib/outputs";
import { formatDuration, rateAndEta, startProgress } from "../../cli/lib/progress";
import { tempDir } from "../helpers/synth";
import { closedPort } from "../helpers/processes";

async function cli(argv: string[], readOutputs: (stack: string) => Promise<Record<string, unknown>> | Record<string, unknown> = () => ({})) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), progress: false, readOutputs });
  return { code, out, err };
}


/** Synthesized but never deployed: a stack folder whose `terraform output` says what terraform says then. */
function undeployedOutdir(stacks: string[]): { outdir: string; terraformBin: string } {
  const outdir = tempDir("undeployed");
  for (const s of stacks) {
    fs.mkdirSync(path.join(outdir, "stacks", s), { recursive: true });
    fs.writeFileSync(path.join(outdir, "stacks", s, "cdk.tf.json"), "{}");
  }
  const terraformBin = path.join(outdir, "terraform");
  fs.writeFileSync(terraformBin, `#!/bin/sh\nprintf '\\n│ Error: Backend initialization required, please run "terraform init"\\n' >&2\nexit 1\n`, { mode: 0o755 });
  return { outdir, terraformBin };
}

describe("a stack that is not deployed", () => {
  const { outdir, terraformBin } = undeployedOutdir(["simple-lambda", "simple-dynamodb", "bashoutter", "qa-bot"]);
  const readOutputs = (stack: string) => readStackOutputs(stack, { outdir, terraformBin });

  test.each([
    [["lambda", "invoke-many", "5"], "simple-lambda", "pass the function name: lambda invoke-many <name> <n>"],
    [["lambda", "invoke-one"], "simple-lambda", "pass the function name: lambda invoke-one <name>"],
    [["ddb", "write", "5"], "simple-dynamodb", "pass the table name: ddb write <table> <n>"],
    [["ddb", "search-under-age", "3"], "simple-dynamodb", "pass the table name: ddb search-under-age <table> <age>"],
    [["haiku", "post-many", "5"], "bashoutter", "pass the endpoint: haiku post-many <endpoint> ..."],
    [["qa", "list-answers"], "qa-bot", "pass --table"],
  ])("%j says the stack has no state, the deploy command, and what to pass instead (the command's own usage)", async (argv, stack, instead) => {
    const r = await cli(argv, readOutputs);
    expect(r.code).toBe(1);
    expect(r.err).toEqual([`cli ${argv[0]} ${argv[1]}: stack ${stack} has no state: deploy it with \`npm run cdktf -- deploy ${stack}\`, or ${instead}`]);
    expect(r.err.join("\n")).not.toMatch(/Backend initialization|npx cdktf/);
  });

  test("StackOutputsError keeps other failures in terraform's words, joined with '; or'", () => {
    const e = new StackOutputsError("s", "terraform output failed: No valid credential sources found").or("pass the name");
    expect(e.message).toBe("cannot read the outputs of stack s: terraform output failed: No valid credential sources found; or pass the name");
    expect(StackOutputsError.from("s", new Error("cannot read the outputs of stack s: boom")).message).toBe("cannot read the outputs of stack s: boom");
  });
});

describe("usage and help", () => {
  test.each([
    [["haiku", "post-many"], "cli haiku post-many [options] [endpoint] <n>"],
    [["lambda", "invoke-many"], "cli lambda invoke-many [options] [name] <n>"],
    [["ddb", "write"], "cli ddb write [options] [table] <n>"],
    [["ddb", "search-under-age"], "cli ddb search-under-age [options] [table] <age>"],
  ])("%j: the usage line shows the count as required, as the 'missing argument' error treats it", async (argv, usage) => {
    const help = await cli([...argv, "--help"]);
    expect(help.out.join("\n")).toContain(`Usage: ${usage}\n`);
    const missing = await cli(argv);
    expect(missing.code).toBe(2);
    expect(missing.err).toEqual([expect.stringMatching(/^error: missing argument (n|age)$/), `Usage: ${usage}`, `Run 'cli ${argv.join(" ")} --help' for details.`]);
  });

  test("every help screen fits 80 columns, long descriptions wrapped beside long command names", async () => {
    const screens: string[][] = [];
    const top = await cli(["--help"]);
    screens.push(top.out);
    for (const group of ["lambda", "ddb", "haiku", "qa"]) {
      const g = await cli([group, "--help"]);
      screens.push(g.out);
      const commands = g.out
        .join("\n")
        .split("Commands:\n")[1]
        .split("\n")
        .map((l) => /^ {2}([a-z-]+) /.exec(l)?.[1])
        .filter((c): c is string => !!c && c !== "help");
      expect(commands.length).toBeGreaterThan(1);
      for (const c of commands) screens.push((await cli([group, c, "--help"])).out);
    }
    const tooWide = screens.flatMap((s) => s.join("\n").split("\n")).filter((l) => l.length > 80);
    expect(tooWide).toEqual([]);
    // The ddb listing that ran past 130 columns: its description now continues on the next line, under itself.
    const ddb = (await cli(["ddb", "--help"])).out.join("\n");
    expect(ddb).toMatch(/\n {2}write \[options\] \[table\] <n> +write n random items \(item_id,\n {20,}first_name/);
  });
});

describe("a dead endpoint", () => {
  test("haiku post-many names the host and ECONNREFUSED instead of 'fetch failed'", async () => {
    const port = await closedPort();
    const r = await cli(["haiku", "post-many", `http://127.0.0.1:${port}/api`, "3"]);
    expect(r.code).toBe(1);
    expect(r.err).toEqual([`  POST /haiku: cannot reach 127.0.0.1:${port}: ECONNREFUSED, connection refused: nothing listens on that port (is the server running, the port right?)`]);
    expect(r.out).toEqual([expect.stringMatching(/^0 posted, 3 failed in /)]);
    expect([...r.err, ...r.out].join("\n")).not.toMatch(/fetch failed/);
  });

  test("https:// to a plain-http server is named a TLS failure", async () => {
    const server = http.createServer((_req, res) => res.end("{}"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const r = await cli(["haiku", "post-many", `https://127.0.0.1:${port}/api`, "1"]);
      expect(r.err).toEqual([`  POST /haiku: cannot reach 127.0.0.1:${port}: ERR_SSL_WRONG_VERSION_NUMBER, TLS handshake failed (an http:// server addressed as https://?)`]);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  test("ddb against a dead --endpoint names it too (the SDK's error)", async () => {
    const port = await closedPort();
    const r = await cli(["ddb", "write", "t", "1", "--endpoint", `http://127.0.0.1:${port}`]);
    expect(r.code).toBe(1);
    expect(r.err).toEqual([`cli ddb write: cannot reach 127.0.0.1:${port}: ECONNREFUSED, connection refused: nothing listens on that port (is the server running, the port right?)`]);
  }, 20_000);

  test("DNS, TLS certificate and happy-eyeballs (AggregateError) causes are unwrapped", () => {
    const failed = (cause: unknown) => new TypeError("fetch failed", { cause });
    const dns = Object.assign(new Error("getaddrinfo ENOTFOUND abc.execute-api.ap-northeast-1.amazonaws.com"), { code: "ENOTFOUND", hostname: "abc.execute-api.ap-northeast-1.amazonaws.com" });
    expect(describeNetworkError(failed(dns))).toBe(
      "cannot reach abc.execute-api.ap-northeast-1.amazonaws.com: ENOTFOUND, DNS: no such host (check the endpoint's spelling; a destroyed stack's endpoint no longer resolves)",
    );
    const cert = Object.assign(new Error("certificate has expired"), { code: "CERT_HAS_EXPIRED" });
    expect(describeNetworkError(failed(cert), "https://example.test/prod")).toBe(
      "cannot reach example.test: CERT_HAS_EXPIRED, TLS: certificate has expired (a certificate problem, or an http:// server addressed as https://)",
    );
    const refused = (address: string) => Object.assign(new Error(`connect ECONNREFUSED ${address}:3000`), { code: "ECONNREFUSED", address, port: 3000 });
    const both = Object.assign(new AggregateError([refused("::1"), refused("127.0.0.1")]), { code: "ECONNREFUSED" });
    expect(describeNetworkError(failed(both), "http://localhost:3000/api/haiku")).toMatch(/^cannot reach localhost:3000: ECONNREFUSED, connection refused/);
    expect(describeNetworkError(failed(new Error("bad port")), "http://127.0.0.1:1/x")).toBe("cannot reach 127.0.0.1:1: bad port");
    expect(describeNetworkError(new Error("ValidationException: nope"))).toBeUndefined();
  });
});

describe("progress on N-item work", () => {
  test("rate is items per second since the start, ETA the rest at that rate", () => {
    expect(rateAndEta(50, 100, 2000)).toEqual({ rate: "25.0", eta: "2s" });
    expect(rateAndEta(10, 1000, 5000)).toEqual({ rate: "2.0", eta: "8m15s" });
    expect(rateAndEta(100, 100, 4000)).toEqual({ rate: "25.0", eta: "0s" });
    expect(rateAndEta(0, 100, 3000)).toEqual({ rate: "-", eta: "-" });
    expect([formatDuration(59.4), formatDuration(65), formatDuration(3725), formatDuration(NaN)]).toEqual(["59s", "1m05s", "1h02m", "-"]);
  });

  test("the bar post-many draws shows count, failures, rate and ETA", () => {
    jest.useFakeTimers({ now: 1_000_000 });
    let drawn = "";
    const stream = Object.assign(Object.create(null), { isTTY: true, columns: 120, write: (s: string) => ((drawn += s), true) });
    try {
      const bar = startProgress(true, 100, "{value}/{total} posted | {failed} failed", { failed: 0 }, { stream: stream as NodeJS.WritableStream });
      jest.advanceTimersByTime(2000);
      bar.increment(50, { failed: 1 });
      bar.stop();
    } finally {
      jest.useRealTimers();
    }
    expect(drawn).toContain("50/100 posted | 1 failed | 25.0/s | ETA 2s");
  });
});
