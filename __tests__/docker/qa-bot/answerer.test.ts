import { DEFAULT_MODEL, loadTransformersAnswerer, TransformersModule } from "../../../docker/qa-bot/src/answerer";

/** A stand-in for @huggingface/transformers that records how the pipeline was built. */
function fakeTransformers(output: unknown) {
  const calls: { task: string; model: string; options: Record<string, unknown> }[] = [];
  const mod: TransformersModule = {
    env: { cacheDir: null, allowRemoteModels: true, allowLocalModels: true },
    async pipeline(task, model, options) {
      calls.push({ task, model, options });
      return async () => output;
    },
  };
  return { mod, calls };
}

describe("loadTransformersAnswerer", () => {
  test("loads the DistilBERT SQuAD question-answering pipeline from the image's cache only", async () => {
    // GIVEN the module as the container sees it
    const { mod, calls } = fakeTransformers({ answer: "1921", score: 0.98 });
    const names: string[] = [];
    // WHEN the worker loads the model
    const answerer = await loadTransformersAnswerer({}, async (name) => {
      names.push(name);
      return mod;
    });
    // THEN it asks for the right package, task and model, with no downloads
    expect(names).toEqual(["@huggingface/transformers"]);
    expect(calls).toEqual([{ task: "question-answering", model: DEFAULT_MODEL, options: { dtype: "q8", local_files_only: true } }]);
    expect(DEFAULT_MODEL).toBe("Xenova/distilbert-base-cased-distilled-squad");
    expect(mod.env).toEqual({ cacheDir: "/app/models", allowRemoteModels: false, allowLocalModels: false });
    expect(await answerer.answer("q", "c")).toEqual({ answer: "1921", score: 0.98 });
  });

  test("the build step may download into the given cache dir", async () => {
    const { mod, calls } = fakeTransformers([{ answer: "a", score: 0.5 }]);
    const answerer = await loadTransformersAnswerer({ localFilesOnly: false, cacheDir: "/tmp/m" }, async () => mod);
    expect(mod.env.allowRemoteModels).toBe(true);
    expect(mod.env.cacheDir).toBe("/tmp/m");
    expect(calls[0].options.local_files_only).toBe(false);
    // top-k output (an array) gives the best answer
    expect(await answerer.answer("q", "c")).toEqual({ answer: "a", score: 0.5 });
  });

  test("an output without an answer is an error", async () => {
    const { mod } = fakeTransformers({});
    const answerer = await loadTransformersAnswerer({}, async () => mod);
    await expect(answerer.answer("q", "c")).rejects.toThrow(/the model returned no answer/);
  });
});
