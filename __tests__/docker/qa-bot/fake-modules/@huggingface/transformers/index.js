// Test stand-in for @huggingface/transformers: the real package lives only in the worker image.
// Answers "1921" for anything, and records how it was configured in the answer's score context.
const env = { cacheDir: null, allowRemoteModels: true, allowLocalModels: true };
async function pipeline(task, model, options) {
  if (task !== "question-answering") throw new Error(`unexpected task ${task}`);
  if (process.env.FAKE_PIPELINE_FAIL) throw new Error(process.env.FAKE_PIPELINE_FAIL);
  return async () => ({ answer: `1921 (${model}, local_files_only=${options.local_files_only}, remote=${env.allowRemoteModels})`, score: 0.5 });
}
module.exports = { env, pipeline };
