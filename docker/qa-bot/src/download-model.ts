/**
 * Build step of the image: downloads the model into MODEL_CACHE_DIR with
 * the same loading code the worker uses, then answers the course's Einstein
 * question once, so a broken model fails the build rather than a task.
 */
import { loadTransformersAnswerer } from "./answerer";
import { QA_WORKER_ENV } from "./environment";

const CONTEXT =
  "Albert Einstein was a German-born theoretical physicist who developed the theory of relativity. " +
  "He received the 1921 Nobel Prize in Physics for his services to theoretical physics, and especially " +
  "for his discovery of the law of the photoelectric effect.";
const QUESTION = "In what year did Einstein win the Nobel prize?";

async function main(): Promise<void> {
  const answerer = await loadTransformersAnswerer({
    model: process.env[QA_WORKER_ENV.modelId] || undefined,
    cacheDir: process.env[QA_WORKER_ENV.modelCacheDir] || undefined,
    localFilesOnly: false,
  });
  const result = await answerer.answer(QUESTION, CONTEXT);
  console.log(`model ready: "${QUESTION}" -> ${JSON.stringify(result)}`);
  if (!result.answer.includes("1921")) throw new Error(`unexpected answer ${JSON.stringify(result)}`);
}

main().catch((e) => {
  console.error(`download-model failed: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
