import * as tf from '@tensorflow/tfjs';
import * as knnClassifier from '@tensorflow-models/knn-classifier';
import {
  classSpace,
  disposeClassSpace,
  disposeFittedSpace,
  extendClassSpace,
  extendFittedSpace,
  fitSpace,
  spaceSimilarities,
  type ClassSpace,
  type FittedSpace,
} from './space-tensors';
import { DEFAULT_VOTE, topVote, vote, type ClassVote, type VoteOptions } from './vote';

export interface KnnPrediction {
  /** The winning class, or null when no class has examples. */
  readonly classId: string | null;
  /** Every class asked about, in the order asked. */
  readonly votes: readonly ClassVote[];
}

/** A copy of `vectors` whose rows have unit length (rows already of unit length are left bit for bit). */
function unitRows(vectors: Float32Array, dim: number): Float32Array {
  const unit = vectors.slice();
  for (let start = 0; start < unit.length; start += dim) {
    const row = unit.subarray(start, start + dim);
    let sumSquares = 0;
    for (let i = 0; i < dim; i++) sumSquares += row[i] * row[i];
    const norm = Math.sqrt(sumSquares);
    if (norm > 0 && Math.abs(norm - 1) > 1e-6) for (let i = 0; i < dim; i++) row[i] /= norm;
  }
  return unit;
}

/**
 * Stores activations in `@tensorflow-models/knn-classifier` (unit-normalised, one matrix per class). The default
 * vote compares them in the space of feature-space.ts, 'mean-of-k' by plain cosine as knn-classifier does; the
 * vote on top is ours (see vote.ts).
 */
export class KnnClassifier {
  private readonly store = knnClassifier.create();
  private dim: number | null = null;
  /**
   * Each class's examples prepared for the 'soft-nearest' space, built on first use. Keyed by the class matrix it
   * was built from: any change to a class replaces its (immutable) matrix, so a stale entry cannot be used.
   */
  private readonly spaces = new Map<string, { readonly source: tf.Tensor2D; readonly space: ClassSpace }>();
  /**
   * The space of the classes last voted among, the class spaces (in vote order) it holds, and whether it was
   * fitted to them (exact) or extended to their recorded rows with the parameters of an earlier fit.
   */
  private fitted: { readonly from: readonly ClassSpace[]; readonly space: FittedSpace; readonly exact: boolean } | null = null;
  /** Each class space made by extending another while recording, to the one it extends. */
  private readonly grownFrom = new WeakMap<ClassSpace, ClassSpace>();

  /** Adds a copy of `embedding` to `classId`; the caller keeps ownership of `embedding`. */
  addExample(classId: string, embedding: tf.Tensor): void {
    if (this.dim !== null && embedding.size !== this.dim) {
      throw new Error(`This classifier holds ${this.dim}-number examples; got ${embedding.size}.`);
    }
    this.dim = embedding.size;
    const before = this.store.getClassifierDataset()[classId];
    this.store.addExample(embedding, classId);
    const cached = this.spaces.get(classId);
    const after = this.store.getClassifierDataset()[classId];
    if (cached && cached.source === before && after !== before) {
      // Recording adds one example per frame: extend the prepared rows rather than rebuild them.
      const grown = extendClassSpace(cached.space, after);
      this.grownFrom.set(grown, cached.space);
      this.spaces.set(classId, { source: after, space: grown });
      disposeClassSpace(cached.space);
    } else {
      this.forgetSpace(classId);
    }
  }

  exampleCount(classId: string): number {
    return this.store.getClassExampleCount()[classId] ?? 0;
  }

  get totalExamples(): number {
    return Object.values(this.store.getClassExampleCount()).reduce((a, b) => a + b, 0);
  }

  clearClass(classId: string): void {
    if (this.exampleCount(classId) > 0) this.store.clearClass(classId);
    this.forgetSpace(classId);
  }

  /**
   * Votes among `classIds` (classes not listed are ignored, listed classes with no examples get 0).
   * Tensor-neutral: everything it allocates is released before it resolves.
   */
  async predict(embedding: tf.Tensor, classIds: readonly string[], options: VoteOptions = DEFAULT_VOTE): Promise<KnnPrediction> {
    const matrices = this.store.getClassifierDataset();
    // Counts are read before the await: examples added meanwhile must not shift the offsets.
    const counts = classIds.map((id) => this.exampleCount(id));
    const withExamples = classIds.filter((_, i) => counts[i] > 0);
    if (withExamples.length === 0) {
      return { classId: null, votes: classIds.map((classId) => ({ classId, similarity: 0, confidence: 0 })) };
    }
    const spaces = options.method !== 'mean-of-k' ? withExamples.map((id) => this.spaceOf(id, matrices[id])) : null;
    const fitted = spaces ? await this.fittedSpace(spaces) : null;
    // From here to the read nothing awaits, so the fitted space cannot be replaced and disposed under it.
    const similarities = tf.tidy(() => {
      if (fitted) return spaceSimilarities(fitted, embedding);
      const query = tf.reshape(embedding, [-1, 1]);
      const unit = tf.div(query, tf.norm(query).add(1e-12));
      return tf.concat(withExamples.map((id) => tf.matMul(matrices[id], unit).reshape([-1])));
    });
    const flat = (await similarities.data()) as Float32Array;
    similarities.dispose();
    const byClass = new Map<string, Float32Array>();
    let offset = 0;
    classIds.forEach((id, i) => {
      byClass.set(id, flat.subarray(offset, offset + counts[i]));
      offset += counts[i];
    });
    const votes = vote(byClass, options);
    return { classId: topVote(votes)?.classId ?? null, votes };
  }

  /** The dimension of the stored examples, or null before the first one. */
  get dimension(): number | null {
    return this.dim;
  }

  /** A copy of a class's stored examples: n unit vectors of `dimension` numbers, row after row. */
  classVectors(classId: string): Float32Array {
    const matrix = this.store.getClassifierDataset()[classId];
    return matrix ? (matrix.dataSync() as Float32Array).slice() : new Float32Array(0);
  }

  /**
   * Rows `fromRow` onwards of a class's examples, read at once (dataSync): for a page that is closing, which gets
   * no later task to finish an asynchronous read in.
   */
  classVectorsNow(classId: string, fromRow = 0): Float32Array {
    const matrix = this.store.getClassifierDataset()[classId];
    const rows = matrix?.shape[0] ?? 0;
    if (!matrix || fromRow >= rows) return new Float32Array(0);
    const part = tf.slice(matrix, [fromRow, 0], [rows - fromRow, -1]);
    try {
      return (part.dataSync() as Float32Array).slice();
    } finally {
      part.dispose();
    }
  }

  /**
   * Rows `fromRow` onwards of a class's examples, read without blocking the page (no dataSync). The rows are
   * picked when this is called, so examples added or cleared while the read is pending do not change the result.
   */
  readClassVectors(classId: string, fromRow = 0): Promise<Float32Array> {
    const matrix = this.store.getClassifierDataset()[classId];
    const rows = matrix?.shape[0] ?? 0;
    if (!matrix || fromRow >= rows) return Promise.resolve(new Float32Array(0));
    const part = tf.slice(matrix, [fromRow, 0], [rows - fromRow, -1]);
    return part.data().then(
      (data) => {
        part.dispose();
        return data as Float32Array;
      },
      (error: unknown) => {
        part.dispose();
        throw error;
      },
    );
  }

  /**
   * Replaces a class's examples with `vectors` (n rows of `dim` numbers). Rows are scaled to unit length
   * unless they already are, so vectors read with classVectors come back bit for bit.
   */
  setClassVectors(classId: string, vectors: Float32Array, dim: number): void {
    this.writeClasses(new Map([[classId, vectors]]), dim, 'replace');
  }

  /**
   * Replaces ('replace') or adds to ('append') the examples of several classes, all or nothing: every new
   * matrix is built before any old one is released, so an error (bad shape, out of memory) changes nothing.
   * Rows are scaled to unit length as in setClassVectors.
   */
  writeClasses(vectorsByClass: ReadonlyMap<string, Float32Array>, dim: number, mode: 'replace' | 'append'): void {
    if (!(Number.isSafeInteger(dim) && dim > 0)) throw new Error(`${dim} is not a dimension.`);
    for (const vectors of vectorsByClass.values()) {
      if (vectors.length % dim !== 0) throw new Error(`${vectors.length} numbers do not make rows of ${dim}.`);
    }
    const kept = Object.keys(this.store.getClassifierDataset()).filter((id) => mode === 'append' || !vectorsByClass.has(id));
    if (this.dim !== null && dim !== this.dim && kept.some((id) => this.exampleCount(id) > 0)) {
      throw new Error(`This classifier holds ${this.dim}-number examples; got ${dim}.`);
    }
    const current = this.store.getClassifierDataset();
    const built = new Map<string, tf.Tensor2D>();
    try {
      for (const [classId, vectors] of vectorsByClass) {
        const rows = vectors.length / dim;
        if (rows === 0) continue;
        const old = mode === 'append' ? current[classId] : undefined;
        built.set(
          classId,
          tf.tidy(() => {
            const fresh = tf.tensor2d(unitRows(vectors, dim), [rows, dim]);
            return old ? tf.concat([old, fresh]) : fresh;
          }),
        );
      }
    } catch (error) {
      built.forEach((t) => t.dispose());
      throw error;
    }
    // Nothing below can fail: the swap happens whole.
    for (const classId of vectorsByClass.keys()) {
      if (!built.has(classId) && mode === 'replace') this.clearClass(classId);
    }
    const replaced = [...built.keys()].map((id) => current[id]).filter((t) => t !== undefined);
    this.store.setClassifierDataset({ ...this.store.getClassifierDataset(), ...Object.fromEntries(built) });
    replaced.forEach((t) => t.dispose());
    if (built.size > 0) this.dim = dim;
  }

  /** Each class's examples as [n, dim] unit vectors, in knn-classifier's own dataset shape (not copies). */
  dataset(): Readonly<Record<string, tf.Tensor2D>> {
    return this.store.getClassifierDataset();
  }

  dispose(): void {
    this.store.dispose();
    for (const id of [...this.spaces.keys()]) this.forgetSpace(id);
    if (this.fitted) disposeFittedSpace(this.fitted.space);
    this.fitted = null;
  }

  /**
   * The space for `spaces`. Fitting costs about (examples) x dim x 256 multiplications, too much for every frame
   * of a recording, so: while examples are being appended to classes (a recording, one per frame), the last space
   * is extended to the new rows with its parameters; once a predict finds nothing changed since the one before
   * (the recording is over), the space is fitted again, and it is then exactly what fitting all examples at once
   * gives. Any other change (a class cleared, replaced or added) is fitted at once.
   */
  private async fittedSpace(spaces: readonly ClassSpace[]): Promise<FittedSpace> {
    const last = this.fitted;
    const same = last !== null && last.from.length === spaces.length && last.from.every((s, i) => s === spaces[i]);
    if (last && same && last.exact) return last.space;
    if (last && !same && last.from.length === spaces.length && spaces.every((s, i) => this.grew(s, last.from[i]))) {
      let space = last.space;
      spaces.forEach((s, i) => {
        if (s === last.from[i]) return;
        const extended = extendFittedSpace(space, i, s);
        if (space !== last.space) disposeFittedSpace(space);
        space = extended;
      });
      this.replaceFitted({ from: spaces, space, exact: false });
      return space;
    }
    const space = await fitSpace(spaces);
    this.replaceFitted({ from: spaces, space, exact: true });
    return space;
  }

  /** Whether `space` is `earlier` or was made from it by appending rows (extendClassSpace). */
  private grew(space: ClassSpace, earlier: ClassSpace): boolean {
    for (let s: ClassSpace | undefined = space; s; s = this.grownFrom.get(s)) if (s === earlier) return true;
    return false;
  }

  /** Predicts use a fitted space synchronously right after getting it, so the one replaced is free to go. */
  private replaceFitted(fitted: NonNullable<KnnClassifier['fitted']>): void {
    const previous = this.fitted;
    this.fitted = fitted;
    if (previous && previous.space !== fitted.space) disposeFittedSpace(previous.space);
  }

  private spaceOf(classId: string, matrix: tf.Tensor2D): ClassSpace {
    const cached = this.spaces.get(classId);
    if (cached?.source === matrix) return cached.space;
    this.forgetSpace(classId);
    const space = classSpace(matrix);
    this.spaces.set(classId, { source: matrix, space });
    return space;
  }

  /** Releases a class's prepared examples early; spaceOf would replace them anyway. */
  private forgetSpace(classId: string): void {
    const cached = this.spaces.get(classId);
    if (cached) disposeClassSpace(cached.space);
    this.spaces.delete(classId);
  }
}
