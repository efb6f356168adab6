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
import { MIN_WORKER_ROWS } from '../../src/classifier/knn/store/store-memory';
import { withoutFeatures } from '../../src/platform/capabilities';
import { progress } from '../../scripts/eval/setup';
import { framesToRecord, loadCorpus, storeData, type Corpus, type DataKind, type StoreData } from './distributions';
import { interleaved } from './timing';

export interface KnnJob {
  readonly n: number;
  readonly dim: number;
  readonly classes: number;
  readonly runs: number;
  readonly warmup: number;
  readonly recordRuns: number;
  readonly recordWarmup: number;
  /** What the stored examples and queries are (bench/page/distributions.ts). */
  readonly data: DataKind;
  /** The store's kernels: 'simd' where the browser has it (kernels.wat), or 'plain' forced (kernels-scalar.wat). */
  readonly kernels: 'simd' | 'plain';
}

export interface KnnResult {
  readonly n: number;
  readonly data: DataKind;
  readonly kernels: 'simd' | 'plain';
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

let corpus: Corpus | null = null;

/** Loads the real embeddings (before the heap is first read, so they are not counted as the store's). */
export async function loadKnnCorpus(url: string | null): Promise<void> {
  corpus = await loadCorpus(url);
}

/** The job's N examples, class by class, and its queries; the same every time. */
function classVectors(job: KnnJob): StoreData {
  return storeData(job.data, job.n, job.classes, job.dim, corpus);
}

interface KnnState {
  readonly job: KnnJob;
  readonly classIds: readonly string[];
  readonly queries: readonly tf.Tensor1D[];
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
  const data = classVectors(job);
  const queries = data.queries.map((q) => tf.tensor1d(q));
  const bytesBefore = tf.memory().numBytes;
  const ours = new KnnClassifier();
  // The store picks its kernels when its memory is made, at the first write.
  const restore = job.kernels === 'plain' ? withoutFeatures('wasmSimd') : () => undefined;
  try {
    data.rows.forEach((rows, c) => ours.setClassVectors(classIds[c], rows, job.dim));
  } finally {
    restore();
  }
  if (ours.simdKernels !== (job.kernels === 'simd')) throw new Error(`the store did not take its ${job.kernels} kernels`);
  await ours.predict(queries[0].dataSync<'float32'>(), classIds);
  // On a cross-origin isolated page (the bench's server sends the headers) the store scans with a worker, and scores
  // a large store's queries in another, started by the first of them: both are up within moments in the app.
  if (crossOriginIsolated) await workersUp(ours, job.n >= MIN_WORKER_ROWS);
  await ours.settled();
  state = { job, classIds, queries, ours, ourBytes: tf.memory().numBytes - bytesBefore + ours.memoryBytes };
  return { bytes: state.ourBytes };
}

/** Waits until the store scans with its scan worker and, if `voting`, scores in its vote worker. */
async function workersUp(store: KnnClassifier, voting: boolean): Promise<void> {
  const started = performance.now();
  while (!(store.parallelScan && (store.votesInWorker || !voting))) {
    if (performance.now() - started > 20_000) throw new Error('the k-NN store did not start its vote and scan workers');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Fills the package with the same examples, then times both, interleaved. */
export async function compareKnn(): Promise<Omit<KnnResult, 'heap_bytes_per_example' | 'memory_mb'>> {
  if (!state) throw new Error('fillKnn has not run on this page');
  const { job, classIds, queries, ours, ourBytes } = state;
  state = null;

  // The same unit vectors through the package's own dataset setter (as N addExample calls would leave it).
  const bytesBefore = tf.memory().numBytes;
  const baseline = knnClassifier.create();
  const dataset: Record<string, tf.Tensor2D> = {};
  classVectors(job).rows.forEach((rows, c) => (dataset[classIds[c]] = tf.tensor2d(rows, [rows.length / job.dim, job.dim])));
  baseline.setClassifierDataset(dataset);
  await baseline.predictClass(queries[0], 3);
  const baselineBytes = tf.memory().numBytes - bytesBefore;

  // Each run asks the next query in turn, both sides the same ones.
  let ourQueries = 0;
  let baselineQueries = 0;
  const next = (count: number) => queries[count % queries.length];
  const predict = await interleaved(job.runs, job.warmup, {
    // The app reads each embedding's numbers once and hands them to the k-NN: that read is timed with it.
    ours: () => ours.predict(next(ourQueries++).dataSync<'float32'>(), classIds),
    baseline: () => baseline.predictClass(next(baselineQueries++), 3),
  });

  // Each recorded example is a new vector, made before the clock starts; both sides record the same ones.
  let ourRecords = 0;
  let baselineRecords = 0;
  const toRecord = framesToRecord(job.data, queries.map((q) => q.dataSync() as Float32Array), job.recordRuns + job.recordWarmup, job.dim).map((row) => tf.tensor1d(row));
  const record = await interleaved(job.recordRuns, job.recordWarmup, {
    ours: async () => {
      const i = ourRecords++;
      ours.addExample(classIds[i % job.classes], toRecord[i].dataSync<'float32'>());
      await ours.predict(next(i).dataSync<'float32'>(), classIds);
    },
    baseline: async () => {
      const i = baselineRecords++;
      baseline.addExample(toRecord[i], classIds[i % job.classes]);
      await baseline.predictClass(next(i), 3);
    },
  });

  tf.dispose([...queries, ...toRecord]);
  ours.dispose();
  baseline.dispose();
  return {
    n: job.n,
    data: job.data,
    kernels: job.kernels,
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
