/**
 * "None of these": when a frame is far from every taught class, say so instead of naming the nearest class.
 *
 * A frame's unknown score (unknownScore) is how far it is from the winning class, relative to how far that class's
 * own examples are from each other, less half its lead over the runner-up: with s1 and s2 the vote's two highest
 * class scores (ClassVote.similarity) and r the winning class's spread (the mean of 1 - score of its held-out
 * examples), the score is -((1 - s1) - (s1 - s2) / 2) / r. Higher is more like the taught examples. Compared with
 * the winning class's score alone, at the same rate of known frames called unknown it catches about twice as many
 * never-taught sign digits, and about as many webcam gestures (docs/accuracy.md): a tight class no longer lets through what a loose class would keep, and a frame that falls
 * between two classes (as a new gesture often does) counts as further away.
 *
 * The threshold is calibrated on the user's own examples: each class's examples are held out a stretch at a time
 * and voted on against the rest, in the space that the other examples make, exactly as a new frame would be. The
 * threshold is a low quantile of those held-out frames' unknown scores, so about that fraction of frames like the
 * taught ones is called unknown. The sensitivity picks the quantile. Everything is plain JavaScript on vectors
 * already read from the classifier, and is only redone when the examples change.
 */
import { classStats, foldSpace, powerTransform, statsWithout, unitLength } from '../analysis/feature-space';
import { dot, whitenedCosine, type WhitenedRow } from '../analysis/whitening';
import { exampleCount, exampleRow, type TrainingData } from '../training-data';
import { fitSharpness, type HeldOutVote } from './confidence';
import { DEFAULT_VOTE, meanOfLargest, SOFT_NEAREST_TEMPERATURE, softMaximum, type ClassVote, type VoteOptions } from './vote';

/**
 * The quantile of the held-out scores that sensitivity 1 puts the threshold at; sensitivity s uses s x this.
 * At s = 1 about a fifth of frames like the taught examples would be called unknown.
 */
export const MAX_HELD_OUT_QUANTILE = 0.2;

/**
 * 0: never unknown; 1: the most eager. The default reads the threshold at the 4% quantile: on the tuning class sets
 * it called at most 4.9% of known images unknown from 10 examples per class up (docs/accuracy.md has the measured
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
  /** Held-out examples' unknown scores (unknownScore) when voted on against the rest, ascending. Empty: nothing to calibrate on. */
  readonly heldOutScores: Float32Array;
  /**
   * Each calibrated class's spread: the mean of 1 - (score of its held-out examples against the rest of their class).
   * Classes missing here (a single example, or added since) count with the mean spread of the others.
   */
  readonly classSpreads: Readonly<Record<string, number>>;
  /**
   * The vote's softmax sharpness that best predicts the held-out examples' own classes (confidence.ts), or null
   * while there are too few of them to fit it (the vote then keeps its default).
   */
  readonly sharpness: number | null;
}

const DEFAULT_FOLDS = 5;
/** How much of the winner's lead over the runner-up counts as closeness (the 1/2 of the score above). */
export const MARGIN_WEIGHT = 0.5;
/** A spread never below this, so identical examples do not divide by zero. */
const MIN_SPREAD = 1e-6;

/**
 * A voted frame's unknown score: -((1 - s1) - MARGIN_WEIGHT x (s1 - s2)) / r, where s1 is the score of the winning
 * class `classId`, s2 the highest score of the other classes with examples (those calibrated, or with a confidence
 * above 0: a class with no examples is listed with score 0 and confidence 0; the classic vote gives 0 to classes
 * with none of the k nearest), and r the winning class's spread. With no other class, s2 = s1.
 * Higher is more like the taught examples; a frame is unknown below the calibrated threshold.
 */
export function unknownScore(votes: readonly ClassVote[], classId: string, calibration: Pick<UnknownCalibration, 'classSpreads'>): number {
  const top = votes.find((v) => v.classId === classId);
  if (!top) return Number.NEGATIVE_INFINITY;
  let second = Number.NEGATIVE_INFINITY;
  for (const v of votes) {
    if (v.classId !== classId && (v.confidence > 0 || v.classId in calibration.classSpreads)) second = Math.max(second, v.similarity);
  }
  if (!Number.isFinite(second)) second = top.similarity;
  return -((1 - top.similarity) - MARGIN_WEIGHT * (top.similarity - second)) / spreadOf(calibration.classSpreads, classId);
}

function spreadOf(spreads: Readonly<Record<string, number>>, classId: string): number {
  const own = spreads[classId];
  if (own !== undefined) return own;
  const all = Object.values(spreads);
  return all.length ? all.reduce((a, b) => a + b, 0) / all.length : 1;
}
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
  if (!counts.some((n) => n >= 2)) return { heldOutScores: new Float32Array(0), classSpreads: {}, sharpness: null };
  const folds = Math.max(2, Math.min(options.folds ?? DEFAULT_FOLDS, Math.max(...counts)));
  const foldOf = (c: number, r: number) => Math.floor((r * folds) / counts[c]);
  const toRow = soft ? powerTransform : unitLength;
  // Every example counts in the space; only the sampled ones are scored and scored against.
  const allRows = soft ? classIds.map((_, c) => Array.from({ length: counts[c] }, (_, r) => toRow(exampleRow(data, c, r)))) : [];
  const fullStats = allRows.map((rows) => classStats(rows, dim));
  const sampled = counts.map((n, c) =>
    spread(n, options.maxRowsPerClass ?? DEFAULT_MAX_ROWS).map((r) => ({ fold: foldOf(c, r), row: soft ? allRows[c][r] : toRow(exampleRow(data, c, r)) })),
  );
  const ownDistances: number[][] = classIds.map(() => []);
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
        // Scored against every class as a new frame would be: its own class's score gives the class's spread, all
        // of them its unknown score and the confidences' sharpness.
        const classScores = kept.map((rows) => classScore(q, rows));
        ownDistances[c].push(1 - classScores[c]);
        votes.push({ classScores, classIndex: c });
      }
    });
  }
  // The classic vote's confidences are the package's shares of its k votes: no softmax to fit.
  const sharpness = voteOptions.method === 'knn-classifier' ? null : fitSharpness(votes);
  const classSpreads: Record<string, number> = {};
  ownDistances.forEach((d, c) => {
    if (d.length) classSpreads[classIds[c]] = Math.max(MIN_SPREAD, d.reduce((a, b) => a + b, 0) / d.length);
  });
  const heldOutScores = Float32Array.from(votes, ({ classScores }) => heldOutUnknownScore(classScores, classIds, classSpreads)).sort();
  return { heldOutScores, classSpreads, sharpness };
}

/** A held-out example's unknown score as a frame voted with these class scores would get (classes with no kept examples do not vote). */
function heldOutUnknownScore(classScores: readonly number[], classIds: readonly string[], classSpreads: Readonly<Record<string, number>>): number {
  let winner = 0;
  classScores.forEach((s, c) => {
    if (s > classScores[winner]) winner = c;
  });
  const votes = classScores.map((s, c) => ({ classId: classIds[c], similarity: s, confidence: Number.isFinite(s) ? 1 : 0 }));
  return unknownScore(votes, classIds[winner], { classSpreads });
}

/**
 * The unknown score below which a frame is unknown, or null when it never is (sensitivity 0, or too few held-out
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

/** Whether a frame's unknown score (unknownScore) means "none of these". */
export function isUnknown(score: number, threshold: number | null): boolean {
  return threshold !== null && score < threshold;
}

/** What decides "none of these" for frames at one sensitivity: the threshold and the class spreads it goes with. */
export interface UnknownRule {
  readonly threshold: number | null;
  readonly classSpreads: Readonly<Record<string, number>>;
}

export const NEVER_UNKNOWN: UnknownRule = { threshold: null, classSpreads: {} };

export function unknownRule(calibration: UnknownCalibration, sensitivity: number): UnknownRule {
  return { threshold: unknownThreshold(calibration, sensitivity), classSpreads: calibration.classSpreads };
}

/** Whether the vote `votes`, won by `classId`, is "none of these" under `rule`. */
export function isUnknownVote(votes: readonly ClassVote[], classId: string, rule: UnknownRule): boolean {
  return rule.threshold !== null && isUnknown(unknownScore(votes, classId, rule), rule.threshold);
}
