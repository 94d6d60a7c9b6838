import { mockClient } from "aws-sdk-client-mock";
import { InvokeCommand, LambdaClient, ResourceNotFoundException, TooManyRequestsException } from "@aws-sdk/client-lambda";
import { main } from "../../cli/index";
import { decodePayload, invokeMany } from "../../cli/lambda";

const lambdaMock = mockClient(LambdaClient);
/** The SDK types Payload as a Uint8Array with helper methods; the CLI reads only the bytes. */
const payload = (value: unknown) => Buffer.from(JSON.stringify(value)) as never;
const ok = (pokemon: string) => ({ StatusCode: 200, Payload: payload(`Congratulations! You are given ${pokemon}`) });
const functionError = {
  StatusCode: 200,
  FunctionError: "Unhandled",
  Payload: payload({ errorType: "Error", errorMessage: "boom" }),
};
const throttled = () => new TooManyRequestsException({ message: "Rate Exceeded.", $metadata: { httpStatusCode: 429 } });

/** Runs the CLI in-process with captured output; names default to `outputs`. */
async function cli(argv: string[], outputs: Record<string, unknown> = { FunctionName: "fn-from-stack" }) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), progress: false, readOutputs: () => outputs });
  return { code, out, err };
}

beforeEach(() => lambdaMock.reset());

describe("lambda invoke-one", () => {
  test("invokes the stack's function synchronously and prints its answer", async () => {
    lambdaMock.on(InvokeCommand).resolves(ok("Squirtle"));
    const r = await cli(["lambda", "invoke-one"]);
    expect(r.code).toBe(0);
    expect(r.out).toEqual(["Congratulations! You are given Squirtle"]);
    const input = lambdaMock.commandCalls(InvokeCommand)[0].args[0].input;
    expect(input).toMatchObject({ FunctionName: "fn-from-stack", InvocationType: "RequestResponse" });
  });

  test("uses the name given on the command line without reading outputs", async () => {
    lambdaMock.on(InvokeCommand).resolves(ok("Bulbasaur"));
    const r = await cli(["lambda", "invoke-one", "my-fn"], {});
    expect(r.code).toBe(0);
    expect(lambdaMock.commandCalls(InvokeCommand)[0].args[0].input.FunctionName).toBe("my-fn");
  });

  test("calls the region the stack deploys to unless --region says otherwise", async () => {
    lambdaMock.on(InvokeCommand).resolves(ok("Squirtle"));
    const regions: (string | undefined)[] = [];
    const env = {
      out: () => undefined,
      err: () => undefined,
      progress: false,
      readOutputs: () => ({ FunctionName: "fn" }),
      stackRegion: () => "eu-west-1",
      makeLambdaClient: (o: { region?: string }) => {
        regions.push(o.region);
        return new LambdaClient({ region: o.region });
      },
    };
    const saved = process.env.AWS_REGION;
    delete process.env.AWS_REGION;
    try {
      await main(["lambda", "invoke-one"], env);
      await main(["lambda", "invoke-one", "--region", "us-east-1"], env);
    } finally {
      if (saved !== undefined) process.env.AWS_REGION = saved;
    }
    expect(regions).toEqual(["eu-west-1", "us-east-1"]);
  });

  test("reports a function error and exits 1", async () => {
    lambdaMock.on(InvokeCommand).resolves(functionError);
    const r = await cli(["lambda", "invoke-one"]);
    expect(r.code).toBe(1);
    expect(r.err.join("\n")).toMatch(/function error Unhandled: Error: boom/);
  });

  test("prints an AWS error as one line with a hint, and no stack trace without --debug", async () => {
    lambdaMock.on(InvokeCommand).rejects(new ResourceNotFoundException({ message: "Function not found: fn", $metadata: {} }));
    const r = await cli(["lambda", "invoke-one"]);
    expect(r.code).toBe(1);
    expect(r.err).toEqual(["cli lambda invoke-one: ResourceNotFoundException: Function not found: fn (check the name and the region (--region, AWS_REGION))"]);
    const debug = await cli(["--debug", "lambda", "invoke-one"]);
    expect(debug.err.length).toBeGreaterThan(1);
    expect(debug.err[1]).toMatch(/^ResourceNotFoundException: Function not found/);
  });

  test("explains how to pass the name when the stack's outputs cannot be read", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(["lambda", "invoke-one"], {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      progress: false,
      readOutputs: () => {
        throw new Error("cannot read the outputs of stack simple-lambda: terraform output failed: Backend initialization required");
      },
    });
    expect(code).toBe(1);
    expect(err[0]).toMatch(/simple-lambda: .*Backend initialization required; or pass the function name: lambda invoke-one <name>/);
    expect(lambdaMock.calls()).toHaveLength(0);
  });
});

describe("lambda invoke-many", () => {
  test("counts successes, function errors and throttles and prints latency percentiles", async () => {
    let call = 0;
    lambdaMock.on(InvokeCommand).callsFake(async () => {
      const i = call++;
      if (i % 10 === 3) return functionError;
      if (i % 10 === 7) throw throttled();
      return ok(["Charmander", "Bulbasaur", "Squirtle"][i % 3]);
    });
    const r = await cli(["lambda", "invoke-many", "20", "--concurrency", "5"]);
    expect(lambdaMock.commandCalls(InvokeCommand)).toHaveLength(20);
    expect(r.out[0]).toMatch(/^20 invocations of fn-from-stack in [\d.]+ s \(concurrency 5\)$/);
    expect(r.out).toContain("  successes:       16");
    expect(r.out).toContain("  function errors: 2");
    expect(r.out).toContain("  throttles:       2");
    expect(r.out).toContain("  other errors:    0");
    expect(r.out.find((l) => l.includes("latency p50/p95"))).toMatch(/\d+ ms \/ \d+ ms$/);
    expect(r.out.some((l) => /x Congratulations! You are given (Charmander|Bulbasaur|Squirtle)/.test(l))).toBe(true);
    expect(r.code).toBe(1); // not every invocation succeeded
  });

  test("keeps at most --concurrency invocations in flight", async () => {
    let inFlight = 0;
    let peak = 0;
    lambdaMock.on(InvokeCommand).callsFake(async () => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setImmediate(r));
      inFlight--;
      return ok("Squirtle");
    });
    const summary = await invokeMany(new LambdaClient({ region: "ap-northeast-1" }), "fn", 30, 4);
    expect(summary.successes).toBe(30);
    expect(peak).toBe(4);
  });

  test("exits 0 when all succeed, with the name before n", async () => {
    lambdaMock.on(InvokeCommand).resolves(ok("Charmander"));
    const r = await cli(["lambda", "invoke-many", "named-fn", "3"], {});
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(/^3 invocations of named-fn/);
    expect(r.out).toContain("      3 x Congratulations! You are given Charmander");
  });

  test("reports one line when nothing reaches the function", async () => {
    lambdaMock.on(InvokeCommand).rejects(new ResourceNotFoundException({ message: "Function not found", $metadata: {} }));
    const r = await cli(["lambda", "invoke-many", "5"]);
    expect(r.code).toBe(1);
    expect(r.out).toEqual([]);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(/all 5 invocations failed: ResourceNotFoundException: Function not found/);
  });

  test.each([
    [["lambda", "invoke-many"], /missing argument n/],
    [["lambda", "invoke-many", "0"], /n \(0\) must be a positive integer/],
    [["lambda", "invoke-many", "-3"], /n \(-3\) must be a positive integer/],
    [["lambda", "invoke-many", "fn", "ten"], /n \(ten\) must be a positive integer/],
    [["lambda", "invoke-many", "5", "--concurrency", "0"], /--concurrency \(0\)/],
    [["lambda", "invoke-one", "--payload", "{"], /--payload \(\{\) is not JSON/],
    [["lambda", "invoke-all"], /unknown command 'invoke-all'/],
  ])("usage error %j exits 2 without calling AWS", async (argv, message) => {
    const r = await cli(argv);
    expect(r.code).toBe(2);
    expect(r.err.join("\n")).toMatch(message);
    expect(lambdaMock.calls()).toHaveLength(0);
  });

  test("decodes JSON string payloads and keeps others as JSON", () => {
    expect(decodePayload(Buffer.from('"hi"'))).toBe("hi");
    expect(decodePayload(Buffer.from('{"a":1}'))).toBe('{"a":1}');
    expect(decodePayload(undefined)).toBe("");
  });
});
