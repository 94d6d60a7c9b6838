/**
 * Real processes, as a newcomer starts them (issue 17.2, 17.6): the CLI
 * prints what went wrong and no AWS SDK NodeVersionSupportWarning, with the
 * SDK's switch unset (the jest setup sets it for the test workers, so it is
 * removed here). The dev server and `npm run local:dynamodb` are started so
 * by __tests__/docs/commands.test.ts, which starts each as the docs show it
 * (their ready lines, no warning, the ddb commands against local:dynamodb
 * without AWS credentials): one start of each per test run, not two.
 */
import { execFile } from "child_process";
import * as path from "path";
import { closedPort } from "../helpers/processes";
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

describe("no NodeVersionSupportWarning on start", () => {
  const control = NODE_MAJOR < 22 ? test : test.skip;
  control("(control) on this Node the SDK does print it when nothing silences it", async () => {
    const r = await run(["-e", "new (require('@aws-sdk/client-dynamodb').DynamoDBClient)({ region: 'ap-northeast-1' })"], userEnv());
    expect(r.stderr).toMatch(/NodeVersionSupportWarning/);
  });

  test("the CLI creates an SDK client and prints only its one error line", async () => {
    const port = await closedPort();
    const r = await run(["tools/run-app.js", "cli/index.ts", "ddb", "write", "t", "1", "--endpoint", `http://127.0.0.1:${port}`], userEnv());
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
});
