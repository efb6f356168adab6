/**
 * The "Classic k-NN" vote: @tensorflow-models/knn-classifier's own KNNClassifier and its predictClass (a majority of
 * the k nearest examples by cosine), fed from the app's store of the current model. The store stays the one place
 * examples live; this keeps the package's tensors in step with it (appends row by row as they are recorded; a class
 * cleared, deleted or replaced is reloaded whole) and is disposed, with every tensor, when another vote is chosen.
 */
import * as tf from '@tensorflow/tfjs';
import { KNNClassifier } from '@tensorflow-models/knn-classifier';
import type { KnnClassifier, KnnPrediction } from './knn';
import type { VoteOptions } from './vote';

/** What the classic vote reads: the store of the current model (KnnClassifier). */
export type ExampleStore = Pick<KnnClassifier, 'exampleCount' | 'classVectors' | 'dimension' | 'predict'>;

/** predictClass with no k: the package's default, and the app's k while the classic vote is first chosen. */
export const CLASSIC_DEFAULT_K = 3;

/** The nearest example's plain cosine per class, from the store (the 'mean-of-k' vote with k = 1). */
const NEAREST: VoteOptions = { k: 1, sharpness: 1, method: 'mean-of-k' };

export class ClassicKnn {
  private knn = new KNNClassifier();
  private source: ExampleStore | null = null;
  /** Rows of each class the package holds (classes with none are not in it). */
  private readonly held = new Map<string, number>();
  private disposed = false;

  /** Drops a class (cleared or deleted), or every class (an import, a restore): reread from the store at the next predict. */
  forget(classId?: string): void {
    for (const id of classId === undefined ? [...this.held.keys()] : [classId]) this.drop(id);
  }

  /**
   * The package's predictClass(embedding, k) over the store's examples of `classIds`. Each vote's confidence is the
   * package's (its share of the k nearest); its similarity is the class's nearest example's cosine, which "none of
   * these" compares with its threshold. The answer is as of the call, as the store's own predict is.
   */
  async predict(store: ExampleStore, embedding: Float32Array, classIds: readonly string[], k: number): Promise<KnnPrediction> {
    if (this.disposed) throw new Error('This classic k-NN was disposed.');
    this.follow(store, classIds);
    if (this.held.size === 0) return { classId: null, votes: classIds.map((classId) => ({ classId, similarity: 0, confidence: 0 })) };
    // The package takes a tensor; the store the numbers read once from the embedding.
    const query = tf.tensor1d(embedding);
    try {
      const [result, nearest] = await Promise.all([this.knn.predictClass(query, k), store.predict(embedding, classIds, NEAREST)]);
      const similarity = new Map(nearest.votes.map((v) => [v.classId, v.similarity]));
      return {
        classId: result.label ?? null,
        votes: classIds.map((classId) => ({ classId, similarity: similarity.get(classId) ?? 0, confidence: result.confidences[classId] ?? 0 })),
      };
    } finally {
      query.dispose();
    }
  }

  dispose(): void {
    this.disposed = true;
    this.knn.dispose();
    this.held.clear();
  }

  /** Brings the package's classes in line with the store's examples of `classIds`, in that order. */
  private follow(store: ExampleStore, classIds: readonly string[]): void {
    if (store !== this.source) {
      // Another model (or a store rebuilt by an import): the package also remembers the first example's shape.
      this.knn.dispose();
      this.knn = new KNNClassifier();
      this.held.clear();
      this.source = store;
    }
    const wanted = classIds.filter((id) => store.exampleCount(id) > 0);
    for (const [id, rows] of this.held) if (!wanted.includes(id) || store.exampleCount(id) < rows) this.drop(id);
    const dim = store.dimension;
    if (dim === null) return;
    for (const id of wanted) {
      const have = this.held.get(id) ?? 0;
      const rows = store.exampleCount(id);
      if (rows === have) continue;
      const vectors = store.classVectors(id, have);
      if (have === 0) {
        // A whole class at once; the package has no call for that but setClassifierDataset.
        this.knn.setClassifierDataset({ ...this.knn.getClassifierDataset(), [id]: tf.tensor2d(vectors, [rows - have, dim]) });
      } else {
        for (let r = 0; r < rows - have; r++) {
          const row = tf.tensor1d(vectors.subarray(r * dim, (r + 1) * dim));
          this.knn.addExample(row, id);
          row.dispose();
        }
      }
      this.held.set(id, rows);
    }
    // The package breaks ties for the first class in its own order: keep it the app's.
    const dataset = this.knn.getClassifierDataset();
    const order = Object.keys(dataset);
    const inOrder = wanted.filter((id) => this.held.has(id));
    if (order.length === inOrder.length && order.some((id, i) => id !== inOrder[i])) {
      this.knn.setClassifierDataset(Object.fromEntries(inOrder.map((id) => [id, dataset[id]])));
    }
  }

  private drop(classId: string): void {
    if (!this.held.delete(classId)) return;
    this.knn.clearClass(classId);
  }
}

/** The classic vote while it is the chosen one: built at its first prediction, disposed once another vote is chosen. */
export class ClassicChoice {
  private knn: ClassicKnn | null = null;

  /** Whether the package's classifier is built (tests; it holds tensors then). */
  get built(): boolean {
    return this.knn !== null;
  }

  /** Call when the vote changes: any vote but 'knn-classifier' lets the package's classifier go. */
  follow(vote: VoteOptions): void {
    if (vote.method !== 'knn-classifier') this.dispose();
  }

  forget(classId?: string): void {
    this.knn?.forget(classId);
  }

  predict(store: ExampleStore, embedding: Float32Array, classIds: readonly string[], k: number): Promise<KnnPrediction> {
    this.knn ??= new ClassicKnn();
    return this.knn.predict(store, embedding, classIds, k);
  }

  dispose(): void {
    this.knn?.dispose();
    this.knn = null;
  }
}
