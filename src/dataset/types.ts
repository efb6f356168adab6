import type { VectorEncoding } from './vector-encoding';
import type { ClassOutput } from '../outputs/class-output';

/** The in-memory dataset every importer produces and the exporter writes: one model's examples, by class. */

export const FORMAT_NAME = 'teachable-knn-dataset';
/** The newest version this app reads: 1 holds float32 vectors, 2 names a compact `encoding` (vector-encoding.ts). */
export const FORMAT_VERSION = 2;
/** The version of files with float32 vectors: what every reader of this format reads. */
export const FLOAT32_FORMAT_VERSION = 1;

export interface DatasetClass {
  /** Clean, unique within the dataset, at most MAX_LABEL_LENGTH characters; plain text, never markup. */
  readonly label: string;
  /** `#rrggbb`, or null when the file had none (ml5.js and label maps): the app picks one. */
  readonly color: string | null;
  /** `examples x dimension` numbers, row after row. */
  readonly vectors: Float32Array;
  /** Small JPEG/PNG/WebP data URLs of recorded frames, oldest first, so the class can be re-embedded. */
  readonly thumbnails: readonly string[];
  /** What the class does when it becomes the stable top class; absent (or none) in most files. */
  readonly output?: ClassOutput;
}

export interface Dataset {
  /** The model whose embeddings these are, or null when the file does not say (ml5.js, label maps). */
  readonly model: string | null;
  /** Numbers per example. */
  readonly dimension: number;
  /** In the order the app shows them. */
  readonly classes: readonly DatasetClass[];
}

export type SourceFormat = 'teachable-knn' | 'ml5' | 'label-map' | 'knn-classifier';

export interface ParsedDataset extends Dataset {
  /** Which kind of file it came from. */
  readonly source: SourceFormat;
  /** How the file stored its vectors (float32 but in this app's compact files). */
  readonly encoding?: VectorEncoding;
}

export function exampleCount(dataset: Dataset, classIndex: number): number {
  return dataset.classes[classIndex].vectors.length / dataset.dimension;
}

export function totalExamples(dataset: Dataset): number {
  return dataset.classes.reduce((sum, c) => sum + c.vectors.length / dataset.dimension, 0);
}
