/**
 * How well each mode recognises examples it did not learn from: accuracy per class and a confusion matrix.
 * - k-NN: k-fold cross-validation over the stored examples (or leave-one-out), with the app's vote.
 * - Dense head: the validation examples it held out while training.
 */
import type { DenseHead } from '../dense-head/dense-head';
import { classStats, foldSpace, powerTransform, statsWithout, unitLength } from './feature-space';
import { dot, whitenedCosine } from './whitening';
import { checkTrainingData, exampleCount, exampleRow, type TrainingData } from '../training-data';
import { classicVote } from '../knn/classic-vote';
import { DEFAULT_VOTE, topVote, vote, type VoteOptions } from '../knn/vote';

export interface ClassAccuracy {
  readonly classId: string;
  /** Held-out examples of this class, and how many were recognised. */
  readonly total: number;
  readonly correct: number;
  /** correct / total, or null when none of its examples were held out. */
  readonly accuracy: number | null;
}

export interface Evaluation {
  readonly classIds: readonly string[];
  /** confusion[actual][predicted]: counts, classes in classIds order. */
  readonly confusion: readonly (readonly number[])[];
  readonly perClass: readonly ClassAccuracy[];
  readonly total: number;
  readonly correct: number;
  /** Examples no class could be predicted for (nothing left to learn from): counted as wrong, in no column. */
  readonly unpredicted: number;
  /** correct / total, or null when nothing was held out. */
  readonly accuracy: number | null;
}

/**
 * Scores predictions: `actual[i]` and `predicted[i]` are indices into `classIds`; a predicted -1 means no prediction.
 */
export function evaluation(classIds: readonly string[], actual: readonly number[], predicted: readonly number[]): Evaluation {
  if (actual.length !== predicted.length) throw new Error(`${actual.length} actual classes but ${predicted.length} predictions.`);
  const size = classIds.length;
  const confusion = classIds.map(() => new Array<number>(size).fill(0));
  const totals = new Array<number>(size).fill(0);
  let unpredicted = 0;
  actual.forEach((a, i) => {
    const p = predicted[i];
    if (!(a >= 0 && a < size) || !(p >= -1 && p < size)) throw new RangeError(`Class index out of range at ${i}: ${a} -> ${p}.`);
    totals[a]++;
    if (p === -1) unpredicted++;
    else confusion[a][p]++;
  });
  const perClass = classIds.map((classId, c) => ({
    classId,
    total: totals[c],
    correct: confusion[c][c],
    accuracy: totals[c] ? confusion[c][c] / totals[c] : null,
  }));
  const correct = perClass.reduce((n, c) => n + c.correct, 0);
  return { classIds: [...classIds], confusion, perClass, total: actual.length, correct, unpredicted, accuracy: actual.length ? correct / actual.length : null };
}

export interface KnnEvaluationOptions {
  readonly vote?: VoteOptions;
  /**
   * Number of folds, or 'leave-one-out'. A fold holds out one stretch of consecutive examples of every class:
   * frames recorded one after another are near copies, and holding out single frames (leave-one-out) lets their
   * neighbours answer for them, which flatters the k-NN.
   */
  readonly folds?: number | 'leave-one-out';
}

/** The fold of each example, per class. */
function foldsOf(data: TrainingData, folds: number | 'leave-one-out'): { count: number; foldOf: number[][] } {
  const counts = data.classIds.map((_, c) => exampleCount(data, c));
  if (folds === 'leave-one-out') {
    let next = 0;
    const foldOf = counts.map((n) => Array.from({ length: n }, () => next++));
    return { count: next, foldOf };
  }
  if (!Number.isInteger(folds) || folds < 2) throw new RangeError(`folds must be a whole number of at least 2 or 'leave-one-out', not ${folds}.`);
  return { count: folds, foldOf: counts.map((n) => Array.from({ length: n }, (_, r) => Math.floor((r * folds) / n))) };
}

/**
 * Cross-validates the k-NN on `data` with the same vote the app uses (KnnClassifier's results match these to
 * float precision; the 'knn-classifier' vote is classic-vote.ts's copy of the package's rule). Cost: about (number of examples)^2 x dim multiplications, whatever the folds, plus per fold
 * the projection and whitening of all examples (examples x 256 x dim): 5 folds of 1,000 examples of 1,280 numbers
 * take seconds, but leave-one-out is a fold per example, so keep it for a few hundred examples.
 */
export function evaluateKnn(data: TrainingData, options: KnnEvaluationOptions = {}): Evaluation {
  checkTrainingData(data, 1, true);
  const voteOptions = options.vote ?? DEFAULT_VOTE;
  const soft = voteOptions.method === undefined || voteOptions.method === 'soft-nearest';
  const winner = (sims: ReadonlyMap<string, Float32Array>) =>
    voteOptions.method === 'knn-classifier' ? classicVote(sims, voteOptions.k).classId : (topVote(vote(sims, voteOptions))?.classId ?? null);
  const { dim, classIds } = data;
  const { count: foldCount, foldOf } = foldsOf(data, options.folds ?? 5);
  // Rows as the vote sees them before the space of each fold is known.
  const rows = classIds.map((_, c) =>
    Array.from({ length: exampleCount(data, c) }, (_, r) => (soft ? powerTransform : unitLength)(exampleRow(data, c, r))),
  );
  const fullStats = soft ? rows.map((classRows) => classStats(classRows, dim)) : [];
  const actual: number[] = [];
  const predicted: number[] = [];
  for (let fold = 0; fold < foldCount; fold++) {
    const held = rows.map((classRows, c) => classRows.map((_, r) => r).filter((r) => foldOf[c][r] === fold));
    if (held.every((h) => h.length === 0)) continue;
    const kept = rows.map((classRows, c) => classRows.filter((_, r) => foldOf[c][r] !== fold));
    let similarities = (row: Float32Array) => kept.map((classRows) => Float32Array.from(classRows, (x) => dot(x, row)));
    if (soft) {
      const stats = fullStats.map((s, c) => statsWithout(s, held[c].map((r) => rows[c][r])));
      const toSpace = foldSpace(stats, kept, dim);
      const whitened = kept.map((classRows) => classRows.map(toSpace));
      similarities = (row) => {
        const q = toSpace(row);
        return whitened.map((classRows) => Float32Array.from(classRows, (x) => whitenedCosine(x, q)));
      };
    }
    held.forEach((heldRows, c) => {
      for (const r of heldRows) {
        const byClass = similarities(rows[c][r]);
        const sims = new Map(classIds.map((id, k) => [id, byClass[k]]));
        const top = winner(sims);
        actual.push(c);
        predicted.push(top === null ? -1 : classIds.indexOf(top));
      }
    });
  }
  return evaluation(classIds, actual, predicted);
}

/**
 * Scores a head on the validation examples it held out. `data` must be what it was trained on (the examples
 * are looked up there); a stale head is refused, since its held-out examples may have changed or gone.
 */
export async function evaluateDenseHead(head: DenseHead, data: TrainingData): Promise<Evaluation> {
  if (head.isStale(data)) throw new Error('The examples changed after this head was trained: train it again to evaluate it.');
  // Same examples, but the classes may be listed in another order.
  const dataIndex = head.classIds.map((id) => data.classIds.indexOf(id));
  const rows = new Float32Array(head.validation.length * data.dim);
  head.validation.forEach((ref, i) => rows.set(exampleRow(data, dataIndex[ref.classIndex], ref.row), i * data.dim));
  const probabilities = await head.predictRows(rows);
  const classes = head.classIds.length;
  const predicted = head.validation.map((_, i) => {
    let best = 0;
    for (let c = 1; c < classes; c++) if (probabilities[i * classes + c] > probabilities[i * classes + best]) best = c;
    return best;
  });
  return evaluation(head.classIds, head.validation.map((ref) => ref.classIndex), predicted);
}
