/**
 * Dataset export and import of N x dim examples through the app's path (see DATASET_CODEC): the stored examples
 * -> file bytes (export), and file bytes -> stored examples (import). Sizes are the file's bytes per number.
 */
import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../../src/dataset/types';
import { DEFAULT_MODEL_ID } from '../../src/models/catalog';
import { Teachable } from '../../src/app/teachable';
import { progress } from '../../scripts/eval/setup';
import { DATASET_CODEC, DATASET_NOTE } from './plug-ins';
import { summarise } from './timing';
import { perClass, unitRows } from './vectors';

export interface DatasetJob {
  readonly n: number;
  readonly dim: number;
  readonly classes: number;
  readonly runs: number;
}

export interface DatasetResult {
  readonly export_ms: number;
  readonly import_ms: number;
  readonly bytes_per_float: number;
  readonly file_bytes: number;
  readonly n: number;
  readonly dim: number;
  readonly runs: number;
  readonly api: string;
}

/** N seeded unit-length rows (as the k-NN store keeps them), spread over the classes. */
function randomDataset(job: DatasetJob): Dataset {
  const vectors = unitRows(job.n, perClass(job.n, job.classes), job.dim);
  const classes = vectors.map((rows, c) => ({ label: `Class ${c + 1}`, color: null, vectors: rows, thumbnails: [] }));
  return { model: DEFAULT_MODEL_ID, dimension: job.dim, classes };
}

export async function runDataset(job: DatasetJob): Promise<DatasetResult | { note: string }> {
  const codec = DATASET_CODEC;
  if (!codec) return { note: DATASET_NOTE };
  progress(`dataset: ${job.n} x ${job.dim}, ${job.runs} runs`);
  const teachable = new Teachable(0);
  codec.fill(teachable, randomDataset(job));
  const exportTimes: number[] = [];
  const importTimes: number[] = [];
  let bytes = 0;
  for (let run = 0; run < job.runs; run++) {
    let start = performance.now();
    const file = await codec.exportFile(teachable, DEFAULT_MODEL_ID);
    exportTimes.push(performance.now() - start);
    bytes = file.size;

    start = performance.now();
    const imported = await codec.importFile(teachable, file);
    importTimes.push(performance.now() - start);
    if (imported !== job.n) throw new Error(`import gave ${imported} examples, not ${job.n}`);
  }
  teachable.dispose();
  if (tf.memory().numTensors > 0) progress(`  dataset: ${tf.memory().numTensors} tensors left after dispose`);
  return {
    export_ms: summarise(exportTimes).median_ms,
    import_ms: summarise(importTimes).median_ms,
    bytes_per_float: bytes / (job.n * job.dim),
    file_bytes: bytes,
    n: job.n,
    dim: job.dim,
    runs: job.runs,
    api: codec.api,
  };
}
