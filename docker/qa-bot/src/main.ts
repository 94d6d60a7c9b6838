/** Entry point of the image: `node dist/main.js [--context X --question Y --item-id Z]`. */
import { loadTransformersAnswerer } from "./answerer";
import { QA_WORKER_ENV } from "./environment";
import { runWorker } from "./worker";

runWorker({
  argv: process.argv.slice(2),
  env: process.env,
  loadAnswerer: () =>
    loadTransformersAnswerer({
      model: process.env[QA_WORKER_ENV.modelId] || undefined,
      cacheDir: process.env[QA_WORKER_ENV.modelCacheDir] || undefined,
      localFilesOnly: true,
    }),
}).then((code) => {
  process.exitCode = code;
});
