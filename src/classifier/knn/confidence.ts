/**
 * Honest confidences: the vote turns class scores into confidences with a softmax whose sharpness decides how sure
 * it sounds. A fixed sharpness cannot suit every set of examples: scores spread further apart as classes get more
 * examples, so one that suits 5 examples per class reads 40% for a class that is right 90% of the time at 50.
 * The calibration (unknown.ts) scores each example held out from the rest, exactly as a new frame is scored, and
 * the sharpness is fitted to those held-out votes by maximum likelihood (temperature scaling), so that "80%" is
 * right about 80% of the time on frames like the examples. Measured in docs/accuracy.md.
 */

/** One held-out example: its score for every class (vote order; -Infinity: a class with nothing to score against). */
export interface HeldOutVote {
  readonly classScores: readonly number[];
  readonly classIndex: number;
}

/** Fewer held-out examples than this fit nothing: the default sharpness stays. */
export const MIN_HELD_OUT_VOTES = 20;
/** The range searched; above it confidences are 100% for any margin worth the name. */
export const MIN_SHARPNESS = 5;
export const MAX_SHARPNESS = 300;
/** Steps of the search on a log scale: 1% apart. */
const LOG_STEP = 0.01;

/** Mean negative log-likelihood of the held-out examples' own classes under the softmax with `sharpness`. */
export function heldOutLogLoss(votes: readonly HeldOutVote[], sharpness: number): number {
  let total = 0;
  for (const { classScores, classIndex } of votes) {
    let top = 0;
    for (let c = 1; c < classScores.length; c++) if (classScores[c] > classScores[top]) top = c;
    // log(sum of exp) as the top term (1) plus the others, through log1p: a loss of 1e-30 is not rounded to 0,
    // so an easy set keeps asking for more sharpness instead of stopping where 1 + tiny rounds to 1.
    let others = 0;
    for (let c = 0; c < classScores.length; c++) {
      if (c !== top && Number.isFinite(classScores[c])) others += Math.exp(sharpness * (classScores[c] - classScores[top]));
    }
    // log softmax, kept finite: a hopeless example costs a lot, not infinitely much.
    total -= Math.max(sharpness * (classScores[classIndex] - classScores[top]) - Math.log1p(others), -50);
  }
  return total / votes.length;
}

/**
 * The sharpness in [MIN_SHARPNESS, MAX_SHARPNESS] with the lowest held-out log loss (a 1-D search on a log grid:
 * the loss is smooth in it and a few hundred evaluations cost milliseconds), or null with fewer than
 * MIN_HELD_OUT_VOTES votes or fewer than 2 classes to choose between.
 */
export function fitSharpness(votes: readonly HeldOutVote[]): number | null {
  const usable = votes.filter((v) => v.classScores.filter(Number.isFinite).length >= 2 && Number.isFinite(v.classScores[v.classIndex]));
  if (usable.length < MIN_HELD_OUT_VOTES) return null;
  let best = MIN_SHARPNESS;
  let bestLoss = Number.POSITIVE_INFINITY;
  for (let log = Math.log(MIN_SHARPNESS); log <= Math.log(MAX_SHARPNESS) + 1e-9; log += LOG_STEP) {
    const sharpness = Math.exp(log);
    const loss = heldOutLogLoss(usable, sharpness);
    if (loss < bestLoss) {
      bestLoss = loss;
      best = sharpness;
    }
  }
  return best;
}

/** A prediction's top confidence and whether it was right, for expectedCalibrationError. */
export interface ScoredPrediction {
  readonly confidence: number;
  readonly correct: boolean;
}

/**
 * Expected calibration error: predictions binned by their top confidence into `bins` equal bins; the mean over
 * predictions of |accuracy - mean confidence| of their bin. 0 is perfectly calibrated. NaN for no predictions.
 */
export function expectedCalibrationError(predictions: readonly ScoredPrediction[], bins = 10): number {
  const count = new Array<number>(bins).fill(0);
  const confidence = new Array<number>(bins).fill(0);
  const correct = new Array<number>(bins).fill(0);
  for (const p of predictions) {
    const bin = Math.min(bins - 1, Math.floor(p.confidence * bins));
    count[bin]++;
    confidence[bin] += p.confidence;
    if (p.correct) correct[bin]++;
  }
  let error = 0;
  for (let b = 0; b < bins; b++) if (count[b]) error += Math.abs(correct[b] - confidence[b]) / predictions.length;
  return predictions.length ? error : Number.NaN;
}
