/**
 * k-NN at N stored examples of `dim` numbers in `classes` classes: the app's KnnClassifier (src/classifier/knn/knn.ts)
 * against @tensorflow-models/knn-classifier used directly, as its README shows (addExample, predictClass(x, 3)).
 * - predict: one query against all N, until the answer is in JS.
 * - record: add one example, then predict (what every frame does while a class button is held).
 * - memory: bytes held per stored example, once each has answered a query: tensor bytes (knn-classifier keeps a
 *   concatenated copy from then on), the WebAssembly memory and arrays KnnClassifier reports (memoryBytes), plus
 *   the JS heap they hold (read by the Node side).
 */
import * as tf from '@tensorflow/tfjs';
import * as knnClassifier from '@tensorflow-models/knn-classifier';
import { KnnClassifier } from '../../src/classifier/knn/knn';
import { mulberry32 } from '../../scripts/eval/sampling';
import { progress } from '../../scripts/eval/setup';
import { interleaved } from './timing';
import { perClass, unitRows } from './vectors';

export interface KnnJob {
  readonly n: number;
  readonly dim: number;
  readonly classes: number;
  readonly runs: number;
  readonly warmup: number;
  readonly recordRuns: number;
  readonly recordWarmup: number;
}

export interface KnnResult {
  readonly n: number;
  readonly dim: number;
  readonly classes: number;
  readonly predict_ms: number;
  readonly baseline_predict_ms: number;
  readonly record_ms: number;
  readonly baseline_record_ms: number;
  readonly bytes_per_example: number;
  readonly baseline_bytes_per_example: number;
  /** JS heap (after GC, read by the Node side) per stored example in KnnClassifier. */
  readonly heap_bytes_per_example: number;
  /** Everything KnnClassifier holds for N examples (tensor bytes + JS heap), in MB (10^6 bytes). */
  readonly memory_mb: number;
  readonly predict_runs: number;
  readonly record_runs: number;
}

/** The job's N examples, class by class; the same every time (seeded by N). */
function classVectors(job: KnnJob): Float32Array[] {
  return unitRows(job.n, perClass(job.n, job.classes), job.dim);
}

function randomVector(dim: number, seed: number): tf.Tensor1D {
  const random = mulberry32(seed);
  return tf.tensor1d(Float32Array.from({ length: dim }, () => random()));
}

interface KnnState {
  readonly job: KnnJob;
  readonly classIds: readonly string[];
  readonly query: tf.Tensor1D;
  readonly ours: KnnClassifier;
  readonly ourBytes: number;
}

let state: KnnState | null = null;

/**
 * Fills the app's KnnClassifier with N examples, alone in memory so that its footprint can be read: the tensor
 * bytes here, the JS heap by the Node side (over CDP) around this call.
 */
export async function fillKnn(job: KnnJob): Promise<{ bytes: number }> {
  progress(`k-NN: N = ${job.n}, ${job.dim} numbers, ${job.classes} classes`);
  const classIds = Array.from({ length: job.classes }, (_, i) => `class-${i}`);
  const query = randomVector(job.dim, 1);
  const bytesBefore = tf.memory().numBytes;
  const ours = new KnnClassifier();
  classVectors(job).forEach((rows, c) => ours.setClassVectors(classIds[c], rows, job.dim));
  await ours.predict(query.dataSync<'float32'>(), classIds);
  state = { job, classIds, query, ours, ourBytes: tf.memory().numBytes - bytesBefore + ours.memoryBytes };
  return { bytes: state.ourBytes };
}

/** Fills the package with the same examples, then times both, interleaved. */
export async function compareKnn(): Promise<Omit<KnnResult, 'heap_bytes_per_example' | 'memory_mb'>> {
  if (!state) throw new Error('fillKnn has not run on this page');
  const { job, classIds, query, ours, ourBytes } = state;
  state = null;

  // The same unit vectors through the package's own dataset setter (as N addExample calls would leave it).
  const bytesBefore = tf.memory().numBytes;
  const baseline = knnClassifier.create();
  const dataset: Record<string, tf.Tensor2D> = {};
  classVectors(job).forEach((rows, c) => (dataset[classIds[c]] = tf.tensor2d(rows, [rows.length / job.dim, job.dim])));
  baseline.setClassifierDataset(dataset);
  await baseline.predictClass(query, 3);
  const baselineBytes = tf.memory().numBytes - bytesBefore;

  const predict = await interleaved(job.runs, job.warmup, {
    // The app reads each embedding's numbers once and hands them to the k-NN: that read is timed with it.
    ours: () => ours.predict(query.dataSync<'float32'>(), classIds),
    baseline: () => baseline.predictClass(query, 3),
  });

  // Each recorded example is a new vector, made before the clock starts; both sides record the same ones.
  let ourRecords = 0;
  let baselineRecords = 0;
  const toRecord = Array.from({ length: job.recordRuns + job.recordWarmup }, (_, i) => randomVector(job.dim, 1000 + i));
  const record = await interleaved(job.recordRuns, job.recordWarmup, {
    ours: async () => {
      const i = ourRecords++;
      ours.addExample(classIds[i % job.classes], toRecord[i].dataSync<'float32'>());
      await ours.predict(query.dataSync<'float32'>(), classIds);
    },
    baseline: async () => {
      const i = baselineRecords++;
      baseline.addExample(toRecord[i], classIds[i % job.classes]);
      await baseline.predictClass(query, 3);
    },
  });

  tf.dispose([query, ...toRecord]);
  ours.dispose();
  baseline.dispose();
  return {
    n: job.n,
    dim: job.dim,
    classes: job.classes,
    predict_ms: predict.ours.median_ms,
    baseline_predict_ms: predict.baseline.median_ms,
    record_ms: record.ours.median_ms,
    baseline_record_ms: record.baseline.median_ms,
    bytes_per_example: ourBytes / job.n,
    baseline_bytes_per_example: baselineBytes / job.n,
    predict_runs: job.runs,
    record_runs: job.recordRuns,
  };
}
