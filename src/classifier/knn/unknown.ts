/**
 * "None of these": when a frame is far from every taught class, say so instead of naming the nearest class.
 *
 * The winning class's score (ClassVote.similarity, the score the vote ranks classes by) is compared with a threshold
 * calibrated on the user's own examples: each class's examples are held out a stretch at a time and scored against
 * the rest of their class, in the space that the other examples make, exactly as a new frame of that class would be
 * scored. The threshold is a low quantile of those held-out scores, so about that fraction of frames like the taught
 * ones is called unknown (a frame's winning score is at least its own class's score). The sensitivity picks the
 * quantile. Everything is plain JavaScript on vectors already read from the classifier, and is only redone when
 * the examples change.
 */
import { classStats, dot, foldSpace, powerTransform, statsWithout, unitLength, whitenedCosine, type WhitenedRow } from '../analysis/feature-space';
import { exampleCount, exampleRow, type TrainingData } from '../training-data';
import { fitSharpness, type HeldOutVote } from './confidence';
import { DEFAULT_VOTE, meanOfLargest, SOFT_NEAREST_TEMPERATURE, softMaximum, type VoteOptions } from './vote';

/**
 * The quantile of the held-out scores that sensitivity 1 puts the threshold at; sensitivity s uses s x this.
 * At s = 1 about a fifth of frames like the taught examples would be called unknown.
 */
export const MAX_HELD_OUT_QUANTILE = 0.2;

/**
 * 0: never unknown; 1: the most eager. The default reads the threshold at the 4% quantile: on the tuning class sets
 * it called at most 4.5% of known images unknown from 10 examples per class up (docs/accuracy.md has the measured
 * rates, which go above 5% on one dataset at 50 examples).
 */
export const DEFAULT_UNKNOWN_SENSITIVITY = 0.2;

export interface CalibrationOptions {
  readonly vote?: VoteOptions;
  /** Consecutive stretches each class is cut into; each is held out in turn (recorded frames are near copies). */
  readonly folds?: number;
  /**
   * At most this many examples per class (spread evenly over the recording) are scored and scored against, which
   * bounds the cost. A class score is a mean over examples (vote.ts), so an even sample estimates it; the space
   * is still built from every example.
   */
  readonly maxRowsPerClass?: number;
}

export interface UnknownCalibration {
  /** Held-out examples' scores against the rest of their own class, ascending. Empty: nothing to calibrate on. */
  readonly heldOutScores: Float32Array;
  /**
   * The vote's softmax sharpness that best predicts the held-out examples' own classes (confidence.ts), or null
   * while there are too few of them to fit it (the vote then keeps its default).
   */
  readonly sharpness: number | null;
}

const DEFAULT_FOLDS = 5;
const DEFAULT_MAX_ROWS = 50;

/** At most `max` of the indices 0..n-1, spread evenly, in order. */
function spread(n: number, max: number): number[] {
  return Array.from({ length: Math.min(n, max) }, (_, i) => (n <= max ? i : Math.floor(((i + 0.5) * n) / max)));
}

/**
 * Scores each class's examples held out a stretch at a time. Fold f holds out the f-th consecutive stretch of every
 * class (as evaluate.ts's k-fold does); the space is rebuilt without them and each held-out example is scored
 * against the kept examples of its own class with the vote's class score. Classes with a single example give no
 * score (nothing of their class would be left).
 * Cost: about 3 x (number of examples) x dim, plus (folds + sampled rows) x (sampled rows) x dim per class.
 */
export function calibrateUnknown(data: TrainingData, options: CalibrationOptions = {}): UnknownCalibration {
  const voteOptions = options.vote ?? DEFAULT_VOTE;
  const soft = voteOptions.method === undefined || voteOptions.method === 'soft-nearest';
  // The classic vote's winning score is its nearest example's cosine (classic-knn.ts).
  const scoredK = voteOptions.method === 'knn-classifier' ? 1 : voteOptions.k;
  const { dim, classIds } = data;
  const counts = classIds.map((_, c) => exampleCount(data, c));
  if (!counts.some((n) => n >= 2)) return { heldOutScores: new Float32Array(0), sharpness: null };
  const folds = Math.max(2, Math.min(options.folds ?? DEFAULT_FOLDS, Math.max(...counts)));
  const foldOf = (c: number, r: number) => Math.floor((r * folds) / counts[c]);
  const toRow = soft ? powerTransform : unitLength;
  // Every example counts in the space; only the sampled ones are scored and scored against.
  const allRows = soft ? classIds.map((_, c) => Array.from({ length: counts[c] }, (_, r) => toRow(exampleRow(data, c, r)))) : [];
  const fullStats = allRows.map((rows) => classStats(rows, dim));
  const sampled = counts.map((n, c) =>
    spread(n, options.maxRowsPerClass ?? DEFAULT_MAX_ROWS).map((r) => ({ fold: foldOf(c, r), row: soft ? allRows[c][r] : toRow(exampleRow(data, c, r)) })),
  );
  const scores: number[] = [];
  const votes: HeldOutVote[] = [];
  for (let fold = 0; fold < folds; fold++) {
    let toSpace = (row: Float32Array) => row;
    let similarity = (x: Float32Array, q: Float32Array) => dot(x, q);
    if (soft) {
      const stats = fullStats.map((s, c) => statsWithout(s, allRows[c].filter((_, r) => foldOf(c, r) === fold)));
      // The vote's whitening, estimated from the sampled kept rows (the app's own fit samples deviations too).
      const whiten = foldSpace(
        stats,
        sampled.map((rows) => rows.filter((x) => x.fold !== fold).map((x) => x.row)),
        dim,
      );
      // Each row stands for itself; its place in the fold's space is looked up by the similarity.
      const whitened = new Map<Float32Array, WhitenedRow>();
      toSpace = (row) => {
        whitened.set(row, whiten(row));
        return row;
      };
      similarity = (x, q) => whitenedCosine(whitened.get(x)!, whitened.get(q)!);
    }
    const kept = sampled.map((rows) => rows.filter((x) => x.fold !== fold).map((x) => toSpace(x.row)));
    const classScore = (q: Float32Array, rows: readonly Float32Array[]): number => {
      if (rows.length === 0) return Number.NEGATIVE_INFINITY;
      const similarities = Float32Array.from(rows, (x) => similarity(x, q));
      return soft ? softMaximum(similarities, SOFT_NEAREST_TEMPERATURE) : meanOfLargest(similarities, scoredK);
    };
    sampled.forEach((rows, c) => {
      if (kept[c].length === 0) return;
      for (const x of rows) {
        if (x.fold !== fold) continue;
        const q = toSpace(x.row);
        // Scored against every class as a new frame would be: its own class's score sets the unknown threshold,
        // all of them the confidences' sharpness.
        const classScores = kept.map((rows) => classScore(q, rows));
        scores.push(classScores[c]);
        votes.push({ classScores, classIndex: c });
      }
    });
  }
  // The classic vote's confidences are the package's shares of its k votes: no softmax to fit.
  const sharpness = voteOptions.method === 'knn-classifier' ? null : fitSharpness(votes);
  return { heldOutScores: Float32Array.from(scores).sort(), sharpness };
}

/**
 * The winning score below which a frame is unknown, or null when it never is (sensitivity 0, or too few held-out
 * scores to place the quantile). The threshold is the (sensitivity x MAX_HELD_OUT_QUANTILE) quantile of the
 * held-out scores, interpolated between neighbours.
 */
export function unknownThreshold(calibration: Pick<UnknownCalibration, 'heldOutScores'>, sensitivity: number): number | null {
  if (!(sensitivity >= 0 && sensitivity <= 1)) throw new RangeError(`Sensitivity must be between 0 and 1, not ${sensitivity}.`);
  const scores = calibration.heldOutScores;
  // The k-th lowest of n scores has, on average, k / (n + 1) of its distribution below it, so the quantile q is
  // read at k = q (n + 1); with too few scores to place it (k < 1), nothing is called unknown yet.
  const position = sensitivity * MAX_HELD_OUT_QUANTILE * (scores.length + 1) - 1;
  if (position < 0) return null;
  const below = Math.floor(position);
  const above = Math.min(below + 1, scores.length - 1);
  return scores[below] + (position - below) * (scores[above] - scores[below]);
}

/** Whether a winning class score means "none of these". */
export function isUnknown(winningScore: number, threshold: number | null): boolean {
  return threshold !== null && winningScore < threshold;
}
