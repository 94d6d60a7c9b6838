/** Entry point of the image: `node dist/main.js [--context X --question Y --item-id Z]`. */
import { loadTransformersAnswerer } from "./answerer";
import { runWorker } from "./worker";

runWorker({
  argv: process.argv.slice(2),
  env: process.env,
  loadAnswerer: () =>
    loadTransformersAnswerer({
      model: process.env.MODEL_ID || undefined,
      cacheDir: process.env.MODEL_CACHE_DIR || undefined,
      localFilesOnly: true,
    }),
}).then((code) => {
  process.exitCode = code;
});
