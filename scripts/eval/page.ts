/**
 * The evaluation page: embeds every image of a train and a test folder once with the app's Embedder (after the
 * app's centre-square crop to 224), then, for each shot count and repeat, teaches each method a seeded draw of
 * N training images per class and scores it on all test images.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendName } from '../../src/platform/backend';
import { FrameGrabber } from '../../src/camera/frame';
import type { Embedder } from '../../src/models/embedder';
import { expectedCalibrationError } from '../../src/classifier/knn/confidence';
import { COMPACT_METHODS, EXTRA_METHODS, METHODS } from './methods';
import { DEFAULT_UNKNOWN_SENSITIVITY } from '../../src/classifier/knn/unknown';
import { unknownRates } from './unknown';
import { drawShots, mulberry32, shotSeed } from './sampling';
import { progress, setUp, type PageFailure } from './setup';

export interface EvalJob {
  readonly model: string;
  readonly backend: BackendName;
  readonly shots: readonly number[];
  readonly repeats: number;
  /** Also run EXTRA_METHODS (reference variants). */
  readonly extra: boolean;
  /** Also run COMPACT_METHODS (the k-NN taught from compact files' rounded vectors). */
  readonly compact?: boolean;
  /** Also return every embedding (for studying votes offline on exactly what the methods see). */
  readonly dumpEmbeddings: boolean;
  /** Class -> image URLs; the train classes, in this order, are the classes every method is taught. */
  readonly train: Readonly<Record<string, readonly string[]>>;
  readonly test: Readonly<Record<string, readonly string[]>>;
  /** Images of classes never taught (npm run eval --unknown): the app's "none of these" is scored on them. */
  readonly unknown?: Readonly<Record<string, readonly string[]>>;
  /** The sensitivity scored on the unknown images; default: the app's. */
  readonly sensitivity?: number;
}

export interface EvalResult {
  readonly backend: string;
  /** method -> shots -> accuracy of each repeat, 0..1. */
  readonly accuracy: Record<string, Record<string, number[]>>;
  /** method -> shots -> expected calibration error (10 bins) of each repeat, 0..1. */
  readonly ece: Record<string, Record<string, number[]>>;
  /** With job.unknown: shots -> each repeat's rate, 0..1 (see scripts/eval/unknown.ts). */
  readonly unknown?: {
    readonly sensitivity: number;
    readonly caught: Record<string, number[]>;
    readonly falseUnknown: Record<string, number[]>;
  };
  readonly embedSeconds: number;
  readonly classifySeconds: number;
  /** With dumpEmbeddings: each class's embeddings in file order, as base64 of the rows' float32 bytes, end to end. */
  readonly embeddings?: { readonly dim: number; readonly train: Record<string, string>; readonly test: Record<string, string> };
}

const BATCH = 16;

async function loadBitmap(url: string): Promise<ImageBitmap> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  try {
    return await createImageBitmap(await response.blob());
  } catch {
    throw new Error(`${decodeURIComponent(url)} is not a readable image.`);
  }
}

/** Embeddings of `urls`, in order: each image is cropped and resized by the app's FrameGrabber (not mirrored). */
async function embedAll(embedder: Embedder, urls: readonly string[], label: string): Promise<Float32Array[]> {
  const grabber = new FrameGrabber();
  const dim = embedder.spec.embeddingDim;
  const embeddings: Float32Array[] = [];
  let lastReport = 0;
  for (let start = 0; start < urls.length; start += BATCH) {
    const bitmaps = await Promise.all(urls.slice(start, start + BATCH).map(loadBitmap));
    const frames = bitmaps.map((bitmap) => {
      const frame = grabber.grab(bitmap, false);
      bitmap.close();
      if (!frame) throw new Error('An image has no pixels.');
      return frame;
    });
    const batch = tf.tidy(() =>
      embedder.embedBatch(tf.stack(frames.map((frame) => tf.browser.fromPixels(frame))) as tf.Tensor4D),
    );
    const flat = (await batch.data()) as Float32Array;
    batch.dispose();
    for (let i = 0; i < frames.length; i++) embeddings.push(flat.slice(i * dim, (i + 1) * dim));
    if (embeddings.length - lastReport >= 200 || embeddings.length === urls.length) {
      lastReport = embeddings.length;
      progress(`  embedded ${embeddings.length}/${urls.length} ${label} images`);
    }
  }
  return embeddings;
}

/** Embeds each class's images, keeping the class structure. */
async function embedClasses(
  embedder: Embedder,
  byClass: Readonly<Record<string, readonly string[]>>,
  label: string,
): Promise<Map<string, Float32Array[]>> {
  const classIds = Object.keys(byClass);
  const flat = await embedAll(embedder, classIds.flatMap((id) => byClass[id]), label);
  const result = new Map<string, Float32Array[]>();
  let offset = 0;
  for (const id of classIds) {
    result.set(id, flat.slice(offset, offset + byClass[id].length));
    offset += byClass[id].length;
  }
  return result;
}

/** Each class's rows end to end, as base64 of their float32 bytes (the page has no Buffer). */
function base64Classes(byClass: ReadonlyMap<string, readonly Float32Array[]>): Record<string, string> {
  const encoded: Record<string, string> = {};
  for (const [classId, rows] of byClass) {
    const flat = new Float32Array(rows.reduce((n, row) => n + row.length, 0));
    let offset = 0;
    for (const row of rows) {
      flat.set(row, offset);
      offset += row.length;
    }
    const bytes = new Uint8Array(flat.buffer);
    let binary = '';
    // In chunks: String.fromCharCode takes its bytes as arguments.
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    encoded[classId] = btoa(binary);
  }
  return encoded;
}

async function runEval(job: EvalJob): Promise<EvalResult | PageFailure> {
  const setup = await setUp(job.backend, job.model);
  if ('error' in setup) return setup;
  const { embedder, backend } = setup;
  progress(`${job.model} on ${backend}`);

  const embedStart = performance.now();
  const train = await embedClasses(embedder, job.train, 'training');
  const testByClass = await embedClasses(embedder, job.test, 'test');
  const unknownImages = job.unknown ? [...(await embedClasses(embedder, job.unknown, 'unknown')).values()].flat() : null;
  const embedSeconds = (performance.now() - embedStart) / 1000;
  const dim = embedder.spec.embeddingDim;
  embedder.dispose();
  const embeddings = job.dumpEmbeddings ? { dim, train: base64Classes(train), test: base64Classes(testByClass) } : undefined;
  const labels = [...testByClass].flatMap(([classId, xs]) => xs.map(() => classId));
  const flat = [...testByClass.values()].flat();
  const test = { tensors: flat.map((x) => tf.tensor1d(x)), rows: new Float32Array(flat.length * (flat[0]?.length ?? 0)) };
  flat.forEach((x, i) => test.rows.set(x, i * x.length));

  const methods = { ...METHODS, ...(job.extra ? EXTRA_METHODS : {}), ...(job.compact ? COMPACT_METHODS : {}) };
  const classifyStart = performance.now();
  const accuracy: Record<string, Record<string, number[]>> = {};
  const ece: Record<string, Record<string, number[]>> = {};
  for (const name of Object.keys(methods)) {
    accuracy[name] = {};
    ece[name] = {};
  }
  const unknownTensors = unknownImages?.map((x) => tf.tensor1d(x)) ?? null;
  const sensitivity = job.sensitivity ?? DEFAULT_UNKNOWN_SENSITIVITY;
  const unknown = unknownTensors ? { sensitivity, caught: {} as Record<string, number[]>, falseUnknown: {} as Record<string, number[]> } : undefined;
  for (const shots of job.shots) {
    for (let repeat = 0; repeat < job.repeats; repeat++) {
      const draw = drawShots(train, shots, mulberry32(shotSeed(shots, repeat)));
      const scores: string[] = [];
      for (const [name, method] of Object.entries(methods)) {
        const predicted = await method(draw, test);
        const scored = predicted.map((p, i) => ({ confidence: p.confidence, correct: p.label === labels[i] }));
        const correct = scored.filter((p) => p.correct).length;
        (accuracy[name][shots] ??= []).push(correct / labels.length);
        (ece[name][shots] ??= []).push(expectedCalibrationError(scored));
        scores.push(`${name} ${((100 * correct) / labels.length).toFixed(1)}%`);
      }
      if (unknown && unknownTensors) {
        const rates = await unknownRates(draw, test.tensors, unknownTensors, sensitivity);
        (unknown.caught[shots] ??= []).push(rates.caught);
        (unknown.falseUnknown[shots] ??= []).push(rates.falseUnknown);
        scores.push(`unknowns caught ${(100 * rates.caught).toFixed(1)}%, known called unknown ${(100 * rates.falseUnknown).toFixed(1)}%`);
      }
      progress(`  ${shots} shots, repeat ${repeat + 1}/${job.repeats}: ${scores.join(', ')}`);
    }
  }
  tf.dispose(test.tensors);
  if (unknownTensors) tf.dispose(unknownTensors);
  return { backend, accuracy, ece, unknown, embedSeconds, classifySeconds: (performance.now() - classifyStart) / 1000, embeddings };
}

declare global {
  interface Window {
    runEval?: typeof runEval;
  }
}
window.runEval = runEval;
