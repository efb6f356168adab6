/**
 * Where the bench meets parts of the app that are still being written. Each is null until its module exists;
 * the bench then reports the figure as null with the note below. To plug one in, import the module's API here
 * and return an adapter: nothing else in the bench changes.
 */
import { trainDenseHead } from '../../src/classifier/dense-head/dense-head';
import { parseDatasetBytes, serializeDataset, type Dataset } from '../../src/dataset';
import type { ModelId } from '../../src/models/catalog';
import type { Teachable } from '../../src/app/teachable';

/** src/dataset with Teachable's export and import: the app's examples to the bytes of a file, and back. */
export interface DatasetCodec {
  /** How the app calls it, for the results file. */
  readonly api: string;
  /** Setup, not timed: gives `teachable` exactly these classes and examples. */
  fill(teachable: Teachable, dataset: Dataset): void;
  exportFile(teachable: Teachable, modelId: ModelId): Promise<Blob>;
  /** Replaces what `teachable` holds with the file's classes and examples; returns how many examples came in. */
  importFile(teachable: Teachable, file: Blob): Promise<number>;
}

/** src/classifier/dense-head/dense-head.ts: trains a head on each class's examples (n x dim, row after row); returns epochs run. */
export interface DenseTrainer {
  readonly api: string;
  train(vectors: readonly Float32Array[], dim: number, epochs: number): Promise<number>;
}

export const DATASET_CODEC: DatasetCodec | null = {
  api: 'export: Teachable.exportDataset + serializeDataset -> Blob; import: Blob.arrayBuffer + parseDatasetBytes + Teachable.importDataset (replace)',
  fill: (teachable, dataset) => void teachable.importDataset(dataset, { mode: 'replace' }),
  exportFile: async (teachable, modelId) => new Blob([serializeDataset(await teachable.exportDataset({ modelId }))]),
  importFile: async (teachable, file) =>
    teachable.importDataset(parseDatasetBytes(new Uint8Array(await file.arrayBuffer())), { mode: 'replace' }).examplesAdded,
};
export const DATASET_NOTE = 'src/dataset does not export a serialize/parse API yet; plug it in at bench/page/plug-ins.ts';

export const DENSE_TRAINER: DenseTrainer | null = {
  // Early stopping off (patience 0) so every run trains exactly `epochs` epochs; the rest are the app's defaults.
  api: 'trainDenseHead(data, {epochs, patience: 0}) with DEFAULT_DENSE_SETTINGS otherwise',
  async train(vectors, dim, epochs) {
    const classIds = vectors.map((_, i) => `class-${i}`);
    const head = await trainDenseHead({ classIds, vectors, dim }, { epochs, patience: 0 });
    const trained = head.history.length;
    head.dispose();
    return trained;
  },
};
export const DENSE_NOTE = 'src/classifier/dense-head/dense-head.ts does not exist yet; plug it in at bench/page/plug-ins.ts';
