/**
 * Embedding speed: the app's Embedder (src/models) against the same network run the plain way its own docs
 * show: `tf.loadLayersModel(url).predict` for the Keras V2 0.35, `mobilenet.infer(img, true)` from
 * @tensorflow-models/mobilenet for the two TF Hub graph models. Both start from the same 224 x 224 ImageData
 * and end when the numbers are read back, so each pays for its own preprocessing.
 */
import * as tf from '@tensorflow/tfjs';
import * as mobilenet from '@tensorflow-models/mobilenet';
import type { BackendName } from '../../src/platform/backend';
import { findModel, INPUT_SIZE, modelUrl, type ModelId, type ModelSpec } from '../../src/models/catalog';
import { mulberry32 } from '../../scripts/eval/sampling';
import { progress, setUp, type PageFailure } from '../../scripts/eval/setup';
import { interleaved } from './timing';

export interface EmbedJob {
  readonly model: string;
  readonly backend: BackendName;
  readonly runs: number;
  readonly warmup: number;
}

export interface EmbedResult {
  readonly model: string;
  readonly backend: BackendName;
  /** e.g. "wasm (SIMD, threads)". */
  readonly backend_detail: string;
  readonly ms: number;
  readonly baseline_ms: number;
  readonly p90_ms: number;
  readonly baseline_p90_ms: number;
  readonly runs: number;
  /** The baseline as called. */
  readonly baseline_call: string;
  /** Largest difference between the two embeddings of the same image: both must compute the same thing. */
  readonly max_abs_diff: number;
}

interface RawModel {
  readonly how: string;
  embed(image: ImageData): tf.Tensor;
  dispose(): void;
}

/** The package's (version, alpha) for each graph model: version picks the embedding node `infer` reads. */
const PACKAGE_MODELS: Partial<Record<ModelId, { version: 1 | 2; alpha: 0.25 | 1.0 }>> = {
  'mobilenet-v1-0.25': { version: 1, alpha: 0.25 },
  'mobilenet-v2-1.0': { version: 2, alpha: 1.0 },
};

async function loadRaw(spec: ModelSpec): Promise<RawModel> {
  const { url } = modelUrl(spec, '/models/');
  if (spec.format === 'layers') {
    const model = await tf.loadLayersModel(url);
    const [low, high] = spec.inputRange;
    return {
      how: 'tf.loadLayersModel(url).predict',
      embed: (image) =>
        tf.tidy(() => {
          const x = tf.browser.fromPixels(image).toFloat().mul((high - low) / 255).add(low).expandDims(0);
          return model.predict(x) as tf.Tensor;
        }),
      dispose: () => model.dispose(),
    };
  }
  const config = PACKAGE_MODELS[spec.id];
  if (!config) throw new Error(`no @tensorflow-models/mobilenet configuration for ${spec.id}`);
  // A modelUrl makes the package assume [-1, 1] input unless told otherwise (see ../shared/models/README.md).
  const model = await mobilenet.load({ ...config, modelUrl: url, inputRange: [0, 1] });
  return {
    how: `mobilenet.load({version: ${config.version}, alpha: ${config.alpha}, modelUrl, inputRange: [0, 1]}).infer(img, true)`,
    embed: (image) => model.infer(image, true),
    // The package has no dispose; its GraphModel is reachable only through this field.
    dispose: () => (model as unknown as { model?: tf.GraphModel }).model?.dispose(),
  };
}

/** A fixed noise image: embedding cost does not depend on what the picture shows. */
export function noiseImage(seed: number): ImageData {
  const random = mulberry32(seed);
  const image = new ImageData(INPUT_SIZE, INPUT_SIZE);
  for (let i = 0; i < image.data.length; i++) image.data[i] = i % 4 === 3 ? 255 : Math.floor(random() * 256);
  return image;
}

async function readAndDispose(tensor: tf.Tensor): Promise<Float32Array> {
  const values = (await tensor.data()) as Float32Array;
  tensor.dispose();
  return values;
}

export async function runEmbed(job: EmbedJob): Promise<EmbedResult | PageFailure> {
  const spec = findModel(job.model);
  if (!spec) return { error: `unknown model ${job.model}` };
  const setup = await setUp(job.backend, job.model);
  if ('error' in setup) return setup;
  const { embedder } = setup;
  progress(`embed: ${job.model} on ${setup.backend}, ${job.runs} runs each`);
  let raw: RawModel;
  try {
    raw = await loadRaw(spec);
  } catch (error) {
    embedder.dispose();
    return { error: `baseline did not load: ${error instanceof Error ? error.message : String(error)}` };
  }
  try {
    const image = noiseImage(1);
    const ours = await readAndDispose(embedder.embed(image));
    const theirs = await readAndDispose(raw.embed(image));
    const maxAbsDiff =
      ours.length === theirs.length ? ours.reduce((m, v, i) => Math.max(m, Math.abs(v - theirs[i])), 0) : Number.POSITIVE_INFINITY;
    const timings = await interleaved(job.runs, job.warmup, {
      ours: () => readAndDispose(embedder.embed(image)),
      baseline: () => readAndDispose(raw.embed(image)),
    });
    return {
      model: job.model,
      backend: job.backend,
      backend_detail: setup.backend,
      ms: timings.ours.median_ms,
      baseline_ms: timings.baseline.median_ms,
      p90_ms: timings.ours.p90_ms,
      baseline_p90_ms: timings.baseline.p90_ms,
      runs: job.runs,
      baseline_call: raw.how,
      max_abs_diff: maxAbsDiff,
    };
  } finally {
    embedder.dispose();
    raw.dispose();
  }
}
