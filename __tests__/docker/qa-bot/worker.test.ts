import { execFile, execFileSync } from "child_process";
import * as fs from "fs";
import { tempDir } from "../../helpers/temp";
import * as path from "path";
import { cachedBuild } from "../../../modules/core/build-cache";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { InputError, readInput, runWorker } from "../../../docker/qa-bot/src/worker";
import type { Answerer } from "../../../docker/qa-bot/src/answerer";
import { LocalDynamo, localClient, startLocalDynamo } from "./local-dynamodb";

const EINSTEIN =
  "Albert Einstein received the 1921 Nobel Prize in Physics for his services to theoretical physics, " +
  "and especially for his discovery of the law of the photoelectric effect.";
const QUESTION = "In what year did Einstein win the Nobel prize?";

/** Answers like the model would, and records what it was asked. */
function fakeAnswerer(): Answerer & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    async answer(question, context) {
      calls.push([question, context]);
      return { answer: "1921", score: 0.988 };
    },
  };
}

describe("qa-bot worker", () => {
  let db: LocalDynamo;
  const getItem = async (id: string) => (await DynamoDBDocumentClient.from(db.client).send(new GetCommand({ TableName: db.tableName, Key: { item_id: id } }))).Item;
  beforeAll(async () => {
    db = await startLocalDynamo();
  });
  afterAll(async () => {
    await db.stop();
  });

  function run(env: Record<string, string>, argv: string[] = [], overrides: { answerer?: Answerer; endpoint?: string } = {}) {
    const lines: { out: string[]; err: string[] } = { out: [], err: [] };
    const answerer = overrides.answerer ?? fakeAnswerer();
    const code = runWorker({
      argv,
      env: { TABLE_NAME: db.tableName, ...env },
      loadAnswerer: async () => answerer,
      dynamodb: overrides.endpoint ? localClient(overrides.endpoint) : db.client,
      log: (l) => lines.out.push(l),
      logError: (l) => lines.err.push(l),
      now: () => new Date("2026-11-22T10:00:00.000Z"),
    });
    return { code, lines };
  }

  test("answers from the environment and writes the whole record to the table", async () => {
    // GIVEN the inputs ECS passes as container overrides
    const answerer = fakeAnswerer();
    const { code, lines } = run({ CONTEXT: EINSTEIN, QUESTION, ITEM_ID: "q-1" }, [], { answerer });
    // WHEN it runs / THEN exit 0, one success line, the item in the table
    expect(await code).toBe(0);
    expect(answerer.calls).toEqual([[QUESTION, EINSTEIN]]);
    expect(lines.err).toEqual([]);
    expect(JSON.parse(lines.out[0])).toMatchObject({ message: "answered", item_id: "q-1", answer: "1921" });
    const item = await getItem("q-1");
    expect(item).toEqual({
      item_id: "q-1",
      context: EINSTEIN,
      question: QUESTION,
      answer: "1921",
      score: 0.988,
      created_at: "2026-11-22T10:00:00.000Z",
    });
  });

  test("takes input from argv too, argv winning over the environment", async () => {
    const { code } = run({ CONTEXT: "ignored", QUESTION: "ignored" }, ["--context", EINSTEIN, `--question=${QUESTION}`, "--item-id", "q-argv"]);
    expect(await code).toBe(0);
    const item = await getItem("q-argv");
    expect(item?.context).toBe(EINSTEIN);
  });

  test("missing input: exit 2 with one clear line, nothing written, the model never loaded", async () => {
    let loaded = false;
    const lines: string[] = [];
    const code = await runWorker({
      argv: [],
      env: { TABLE_NAME: db.tableName, CONTEXT: EINSTEIN, ITEM_ID: "q-missing" },
      loadAnswerer: async () => {
        loaded = true;
        return fakeAnswerer();
      },
      dynamodb: db.client,
      log: () => undefined,
      logError: (l) => lines.push(l),
    });
    expect(code).toBe(2);
    expect(loaded).toBe(false);
    expect(lines).toEqual(["qa-bot: reading input failed: QUESTION is missing or empty (set QUESTION or pass --question)"]);
    const item = await getItem("q-missing");
    expect(item).toBeUndefined();
  });

  test("missing TABLE_NAME is an input error", async () => {
    const lines: string[] = [];
    const code = await runWorker({ argv: [], env: { CONTEXT: "c", QUESTION: "q" }, loadAnswerer: async () => fakeAnswerer(), logError: (l) => lines.push(l) });
    expect(code).toBe(2);
    expect(lines[0]).toMatch(/TABLE_NAME is not set/);
  });

  test("DynamoDB failure: exit 1 with one line naming the table and the item", async () => {
    // GIVEN a table that does not exist
    const { code, lines } = run({ CONTEXT: EINSTEIN, QUESTION, ITEM_ID: "q-2", TABLE_NAME: "no-such-table" });
    expect(await code).toBe(1);
    expect(lines.err).toHaveLength(1);
    expect(lines.err[0]).toMatch(/^qa-bot: writing to table no-such-table failed for item q-2: ResourceNotFoundException: /);
  });

  test("DynamoDB unreachable: exit 1, one line", async () => {
    const { code, lines } = run({ CONTEXT: EINSTEIN, QUESTION, ITEM_ID: "q-3" }, [], { endpoint: "http://127.0.0.1:9" });
    expect(await code).toBe(1);
    expect(lines.err).toHaveLength(1);
    expect(lines.err[0]).toMatch(/^qa-bot: writing to table qa-answers failed for item q-3: /);
  });

  test("a model failure is reported as such", async () => {
    const broken: Answerer = { answer: async () => Promise.reject(new Error("onnx session failed")) };
    const { code, lines } = run({ CONTEXT: EINSTEIN, QUESTION, ITEM_ID: "q-4" }, [], { answerer: broken });
    expect(await code).toBe(1);
    expect(lines.err).toEqual(["qa-bot: answering failed for item q-4: onnx session failed"]);
  });

  describe("readInput", () => {
    test("generates an item id when none is given", () => {
      expect(readInput([], { CONTEXT: "c", QUESTION: "q" }, () => "generated")).toEqual({ itemId: "generated", context: "c", question: "q" });
    });
    test.each([
      [[], { QUESTION: "q" }, /CONTEXT is missing/],
      [[], { CONTEXT: "c", QUESTION: "q", ITEM_ID: "bad id" }, /ITEM_ID \("bad id"\)/],
      [["--nope"], { CONTEXT: "c", QUESTION: "q" }, /unknown argument "--nope"/],
      [["--context"], { QUESTION: "q" }, /--context needs a value/],
      [[], { CONTEXT: "c", QUESTION: "q".repeat(1001) }, /QUESTION \(1001 characters\)/],
    ])("rejects %j %j", (argv, env, message) => {
      expect(() => readInput(argv as string[], env)).toThrow(InputError);
      expect(() => readInput(argv as string[], env)).toThrow(message);
    });
  });
});

describe("qa-bot worker process (compiled with the image's tsconfig, run as the container runs it)", () => {
  const root = path.join(__dirname, "../../..");
  let db: LocalDynamo;
  let dist: string;
  beforeAll(async () => {
    db = await startLocalDynamo("qa-process");
    // the Dockerfile's build stage: tsc -p tsconfig.json (CommonJS, so import() becomes require())
    dist = tempDir("qa-dist");
    for (const [name, data] of Object.entries(compileImage())) fs.writeFileSync(path.join(dist, name), data);
  });
  afterAll(async () => {
    await db.stop();
  });

  /**
   * tsc's output for the image's tsconfig, from the content-keyed build cache
   * (modules/core/build-cache.ts) when no file tsc read last time changed: the
   * sources, tsconfig.json, the lib and @types declarations (tsc --listFiles);
   * else tsc runs (2 s), and a type error fails it as in the image build.
   */
  function compileImage(): Readonly<Record<string, Buffer>> {
    const tsconfig = path.join(root, "docker/qa-bot/tsconfig.json");
    const tsc = path.join(root, "node_modules/typescript/bin/tsc");
    const version = (JSON.parse(fs.readFileSync(path.join(root, "node_modules/typescript/package.json"), "utf8")) as { version: string }).version;
    return cachedBuild(tsconfig, { tsc: version, outDir: "dist" }, () => {
      const out = tempDir("qa-tsc");
      const listed = execFileSync(process.execPath, [tsc, "-p", tsconfig, "--outDir", out, "--listFiles"], { encoding: "utf8" });
      const inputs = [tsconfig, ...listed.split("\n").filter((l) => l.trim()).map((l) => path.resolve(l.trim()))];
      return { files: Object.fromEntries(fs.readdirSync(out).map((f) => [f, fs.readFileSync(path.join(out, f))])), inputs };
    });
  }

  /** Async on purpose: dynalite runs in this process and must keep answering while the worker runs. */
  function runMain(env: Record<string, string>): Promise<{ status: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(process.execPath, [path.join(dist, "main.js")], { cwd: root, encoding: "utf8", timeout: 20_000, env: makeEnv(env) }, (error, stdout, stderr) =>
        resolve({ status: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
  }

  function makeEnv(env: Record<string, string>): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH,
      // the image's node_modules: the fake transformers, and the AWS SDK from the root project
      NODE_PATH: [path.join(__dirname, "fake-modules"), path.join(root, "node_modules")].join(path.delimiter),
      AWS_REGION: "ap-northeast-1",
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
      AWS_MAX_ATTEMPTS: "1",
      NODE_NO_WARNINGS: "1",
      TABLE_NAME: "qa-process",
      ...env,
    };
  }

  test("loads the model from the image cache only, answers, writes, exits 0", async () => {
    const r = await runMain({ CONTEXT: "Einstein won in 1921.", QUESTION: "When?", ITEM_ID: "proc-1" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout.trim())).toMatchObject({ item_id: "proc-1" });
    const item = (await DynamoDBDocumentClient.from(db.client).send(new GetCommand({ TableName: "qa-process", Key: { item_id: "proc-1" } }))).Item;
    expect(item?.answer).toBe("1921 (Xenova/distilbert-base-cased-distilled-squad, local_files_only=true, remote=false)");
  });

  test("fails with exit code 2 and exactly one stderr line on missing input", async () => {
    const r = await runMain({ CONTEXT: "c" });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toEqual(["qa-bot: reading input failed: QUESTION is missing or empty (set QUESTION or pass --question)"]);
  });

  test("fails with exit code 1 and one line when the model cannot load", async () => {
    const r = await runMain({ CONTEXT: "c", QUESTION: "q", ITEM_ID: "proc-2", FAKE_PIPELINE_FAIL: "model file missing" });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split("\n")).toEqual(["qa-bot: loading the model failed for item proc-2: model file missing"]);
  });
});
