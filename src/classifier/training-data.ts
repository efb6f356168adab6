/**
 * Examples as plain vectors, independent of where the app keeps them: one flat Float32Array per class (n rows of
 * `dim` numbers, row after row), which is what KnnClassifier.classVectors returns.
 */
import { mulberry32 } from '../platform/random.mjs';

/** The app's seeded PRNG (src/platform/random.mjs), which the dense head's training imports from here. */
export { mulberry32 };

export interface TrainingData {
  readonly classIds: readonly string[];
  /** vectors[i] holds the examples of classIds[i]. */
  readonly vectors: readonly Float32Array[];
  readonly dim: number;
}

/** Why some examples cannot be learned from; `reason` lets a UI react without parsing the message. */
export class TrainingDataError extends Error {
  override name = 'TrainingDataError';
  constructor(
    readonly reason: 'too-few-classes' | 'empty-class' | 'shape' | 'not-finite',
    message: string,
    /** The class the problem is in, when it is in one. */
    readonly classId: string | null = null,
  ) {
    super(message);
  }
}

export function exampleCount(data: TrainingData, classIndex: number): number {
  return data.dim > 0 ? Math.floor(data.vectors[classIndex].length / data.dim) : 0;
}

/** One example, without copying. */
export function exampleRow(data: TrainingData, classIndex: number, row: number): Float32Array {
  return data.vectors[classIndex].subarray(row * data.dim, (row + 1) * data.dim);
}

/**
 * Throws a TrainingDataError unless there are at least `minClasses` classes, each with at least one example
 * (unless `allowEmptyClasses`), all rows complete and every number finite.
 */
export function checkTrainingData(data: TrainingData, minClasses = 2, allowEmptyClasses = false): void {
  const { classIds, vectors, dim } = data;
  if (classIds.length !== vectors.length) {
    throw new TrainingDataError('shape', `${classIds.length} class ids but ${vectors.length} sets of vectors.`);
  }
  if (classIds.length < minClasses) {
    throw new TrainingDataError(
      'too-few-classes',
      `Training needs at least ${minClasses} classes with examples; there ${classIds.length === 1 ? 'is' : 'are'} ${classIds.length}.`,
    );
  }
  if (new Set(classIds).size !== classIds.length) throw new TrainingDataError('shape', 'Two classes have the same id.');
  if (!Number.isInteger(dim) || dim < 1) throw new TrainingDataError('shape', `The vector size must be a positive whole number, not ${dim}.`);
  vectors.forEach((v, i) => {
    if (v.length === 0 && !allowEmptyClasses) throw new TrainingDataError('empty-class', `Class "${classIds[i]}" has no examples: record some or remove it.`, classIds[i]);
    if (v.length % dim !== 0) throw new TrainingDataError('shape', `Class "${classIds[i]}" has ${v.length} numbers, not rows of ${dim}.`, classIds[i]);
    for (let j = 0; j < v.length; j++) {
      if (!Number.isFinite(v[j])) {
        throw new TrainingDataError('not-finite', `Example ${Math.floor(j / dim) + 1} of class "${classIds[i]}" holds ${v[j]}.`, classIds[i]);
      }
    }
  });
}

/**
 * A fingerprint of exactly these examples: equal data gives the same string whatever the order of the classes,
 * and any added, removed or changed example (or class) gives another. A trained head remembers the fingerprint of
 * what it learned from, so the app knows it is stale when the current examples' fingerprint differs.
 * Two independent 32-bit hashes over every number's bits: a few ms for a thousand 1,280-number examples.
 */
export function trainingFingerprint(data: TrainingData): string {
  const order = data.classIds.map((_, i) => i).sort((a, b) => (data.classIds[a] < data.classIds[b] ? -1 : 1));
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  const mix = (word: number) => {
    h1 = Math.imul(h1 ^ word, 0x01000193);
    h2 = Math.imul(h2 ^ word, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  };
  mix(data.dim);
  for (const i of order) {
    const id = data.classIds[i];
    mix(id.length);
    for (let c = 0; c < id.length; c++) mix(id.charCodeAt(c));
    const bits = new Uint32Array(data.vectors[i].buffer, data.vectors[i].byteOffset, data.vectors[i].length);
    mix(bits.length);
    for (let j = 0; j < bits.length; j++) mix(bits[j]);
  }
  const hex = (h: number) => (h >>> 0).toString(16).padStart(8, '0');
  return hex(h1) + hex(h2);
}


/** Fisher-Yates, in place. */
export function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/** An example's place in a TrainingData. */
export interface ExampleRef {
  readonly classIndex: number;
  readonly row: number;
}

export interface Split {
  readonly train: readonly ExampleRef[];
  readonly validation: readonly ExampleRef[];
}

/**
 * Holds out `fraction` of every class (rounded up, as Teachable Machine does) but always leaves a class at least
 * one training example, so a class with a single example is only trained on. Rows are picked at random with `seed`.
 */
export function validationSplit(data: TrainingData, fraction: number, seed: number): Split {
  if (!(fraction >= 0 && fraction < 1)) throw new RangeError(`The validation fraction must be in [0, 1), not ${fraction}.`);
  const random = mulberry32(seed);
  const train: ExampleRef[] = [];
  const validation: ExampleRef[] = [];
  data.classIds.forEach((_, classIndex) => {
    const n = exampleCount(data, classIndex);
    const rows = shuffle(
      Array.from({ length: n }, (_, row) => row),
      random,
    );
    const held = Math.min(n - 1, Math.ceil(fraction * n));
    rows.forEach((row, i) => (i < held ? validation : train).push({ classIndex, row }));
  });
  return { train, validation };
}
