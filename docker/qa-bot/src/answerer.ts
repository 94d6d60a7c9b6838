/**
 * The question-answering model behind a small interface, so the worker is
 * tested with a fake and only the image loads transformers.js (which the
 * root project does not install).
 */

/** The best span of the context that answers the question. */
export interface Answer {
  readonly answer: string;
  /** Model confidence, 0..1. */
  readonly score: number;
}

export interface Answerer {
  answer(question: string, context: string): Promise<Answer>;
}

/** DistilBERT fine-tuned on SQuAD, converted to ONNX for transformers.js (the course's model). */
export const DEFAULT_MODEL = "Xenova/distilbert-base-cased-distilled-squad";
/** Where the image keeps the downloaded model (inside the image: the root filesystem is read-only at run time). */
export const DEFAULT_MODEL_CACHE_DIR = "/app/models";
/** 8-bit quantized weights: ~4x smaller and faster on CPU, same answers on the course's examples. */
export const DEFAULT_DTYPE = "q8";

export interface TransformersAnswererOptions {
  /** @default DEFAULT_MODEL */
  readonly model?: string;
  /** @default DEFAULT_MODEL_CACHE_DIR */
  readonly cacheDir?: string;
  /** Refuse to download (run time in the container). @default true */
  readonly localFilesOnly?: boolean;
  /** @default "q8" */
  readonly dtype?: string;
}

/** The parts of `@huggingface/transformers` this worker uses. */
export interface TransformersModule {
  env: { cacheDir: string | null; allowRemoteModels: boolean; allowLocalModels: boolean };
  pipeline(task: string, model: string, options: Record<string, unknown>): Promise<(question: string, context: string) => Promise<unknown>>;
}

export type ModuleImporter = (name: string) => Promise<unknown>;

// A variable module name keeps TypeScript (and the root project) from resolving the package.
const TRANSFORMERS = "@huggingface/transformers";
const importModule: ModuleImporter = (name) => import(name);

/**
 * Loads the question-answering pipeline. The image's build runs this same
 * code with `localFilesOnly: false` to put the model into `cacheDir`; tasks
 * run it with `localFilesOnly: true` and never touch the network for the model.
 */
export async function loadTransformersAnswerer(options: TransformersAnswererOptions = {}, importer: ModuleImporter = importModule): Promise<Answerer> {
  const model = options.model ?? DEFAULT_MODEL;
  const localFilesOnly = options.localFilesOnly ?? true;
  const transformers = (await importer(TRANSFORMERS)) as TransformersModule;
  transformers.env.cacheDir = options.cacheDir ?? DEFAULT_MODEL_CACHE_DIR;
  transformers.env.allowLocalModels = false;
  transformers.env.allowRemoteModels = !localFilesOnly;
  const qa = await transformers.pipeline("question-answering", model, { dtype: options.dtype ?? DEFAULT_DTYPE, local_files_only: localFilesOnly });
  return {
    async answer(question, context) {
      const output = await qa(question, context);
      const best = (Array.isArray(output) ? output[0] : output) as { answer?: unknown; score?: unknown } | undefined;
      if (!best || typeof best.answer !== "string" || typeof best.score !== "number") {
        throw new Error(`the model returned no answer (${JSON.stringify(output)})`);
      }
      return { answer: best.answer, score: best.score };
    },
  };
}
