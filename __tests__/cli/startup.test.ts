/**
 * Real processes, as a newcomer starts them (issue 17.2, 17.6): the CLI, the
 * dev server and `npm run local:dynamodb` print what they are and where,
 * and no AWS SDK NodeVersionSupportWarning, with the SDK's switch unset
 * (the jest setup sets it for the test workers, so it is removed here).
 */
import { ChildProcess, execFile } from "child_process";
import * as path from "path";
import { main } from "../../cli/index";
import { closedPort, startServer } from "../helpers/processes";
import { quietSdkNodeVersionWarning, SDK_NODE_WARNING_SWITCH } from "../../cli/lib/node-warning";

const ROOT = path.resolve(__dirname, "..", "..");
const NODE_MAJOR = Number(process.versions.node.split(".")[0]);

/** The environment of a user's shell: no SDK switch, no AWS credentials. */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  for (const k of [SDK_NODE_WARNING_SWITCH, "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"]) delete env[k];
  return env;
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: ROOT, env, timeout: 25_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Stops `child` (a process that exited or died of a signal already is stopped: its exit event has fired). */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

describe("no NodeVersionSupportWarning on start", () => {
  const control = NODE_MAJOR < 22 ? test : test.skip;
  control("(control) on this Node the SDK does print it when nothing silences it", async () => {
    const r = await run(["-e", "new (require('@aws-sdk/client-dynamodb').DynamoDBClient)({ region: 'ap-northeast-1' })"], userEnv());
    expect(r.stderr).toMatch(/NodeVersionSupportWarning/);
  });

  test("the CLI creates an SDK client and prints only its one error line", async () => {
    const port = await closedPort();
    const r = await run(["--import", "tsx", "cli/index.ts", "ddb", "write", "t", "1", "--endpoint", `http://127.0.0.1:${port}`], userEnv());
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`cli ddb write: cannot reach 127.0.0.1:${port}: ECONNREFUSED, connection refused: nothing listens on that port (is the server running, the port right?)\n`);
  });

  test("the switch is set on Node 20 and 21 only, and a value the user set wins", () => {
    const set = (version: string, env: NodeJS.ProcessEnv = {}) => (quietSdkNodeVersionWarning(env, version), env[SDK_NODE_WARNING_SWITCH]);
    expect(set("v20.20.2")).toBe("true");
    expect(set("v21.7.0")).toBe("true");
    expect(set("v22.11.0")).toBeUndefined();
    expect(set("v18.20.0")).toBeUndefined();
    expect(set("v20.20.2", { [SDK_NODE_WARNING_SWITCH]: "false" })).toBe("false");
  });

  test("npm run dev prints the dynalite endpoint and the table, and no warning", async () => {
    const server = await startServer(process.execPath, ["--import", "tsx", "tools/dev-server.ts", "--no-build"], { cwd: ROOT, env: userEnv({ PORT: "0" }) }, /Press Ctrl\+C/);
    try {
      const lines = server.stdout().split("\n");
      expect(lines).toContainEqual(expect.stringMatching(/^DynamoDB \(dynalite\) at http:\/\/127\.0\.0\.1:\d+, table bashoutter-local-haiku /));
      expect(server.stderr()).not.toMatch(/NodeVersionSupportWarning/);
    } finally {
      await stop(server.child);
    }
  });
});

describe("npm run local:dynamodb", () => {
  test("prints its endpoint and every stack's table, created as synthesized; the ddb client uses them with no AWS credentials", async () => {
    const server = await startServer(process.execPath, ["--import", "tsx", "tools/local-dynamodb.ts"], { cwd: ROOT, env: userEnv({ LOCAL_DYNAMODB_PORT: "0", INFRA_QUIET_PLACEHOLDERS: "1" }) }, /^try: .*\n/m);
    try {
      const lines = server.stdout().trim().split("\n");
      const endpoint = /^DynamoDB \(dynalite\) at (http:\/\/127\.0\.0\.1:\d+), data in memory; Ctrl\+C stops it$/.exec(lines[0])?.[1];
      expect(endpoint).toBeDefined();
      expect(lines.slice(1, -1)).toEqual([
        "  table aws-course-dev-haiku  (stack bashoutter, aws_dynamodb_table.HaikuTable_9C5CA7FB)",
        "  table aws-course-dev-qa-bot-answers  (stack qa-bot, aws_dynamodb_table.Answers_9615456C)",
        "  table aws-course-dev-simple-dynamodb  (stack simple-dynamodb, aws_dynamodb_table.Table_CD117FA1)",
      ]);
      expect(lines[lines.length - 1]).toBe(`try: npm run cli -- ddb write aws-course-dev-simple-dynamodb 100 --endpoint ${endpoint}`);
      expect(server.stderr()).not.toMatch(/NodeVersionSupportWarning/);

      // The printed command, in-process: local endpoint, no credentials in the environment.
      const saved = { ...process.env };
      for (const k of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE", "AWS_REGION"]) delete process.env[k];
      const out: string[] = [];
      const err: string[] = [];
      try {
        const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l), progress: false, readOutputs: () => ({}), stackRegion: () => undefined };
        expect(await main(["ddb", "write", "aws-course-dev-simple-dynamodb", "100", "--endpoint", endpoint!], io)).toBe(0);
        expect(await main(["ddb", "search-under-age", "aws-course-dev-simple-dynamodb", "50", "--endpoint", endpoint!], io)).toBe(0);
      } finally {
        process.env = saved;
      }
      expect(err).toEqual([]);
      expect(out[0]).toMatch(/^100 items written to aws-course-dev-simple-dynamodb in 4 batches/);
      expect(out[out.length - 1]).toMatch(/^100 item\(s\) with age <= 50 \(scanned 100 in 1 page\(s\)\)$/);
    } finally {
      await stop(server.child);
    }
  }, 40_000);
});
