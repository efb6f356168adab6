/**
 * The vote that turns similarities into class confidences: each class gets one score from its own examples'
 * similarities to the query, and scores become confidences through a softmax with `sharpness`. Unlike a plain
 * top-k majority (knn-classifier's `predictClass`), neither method ties when classes have fewer than k examples,
 * is biased towards the class with the most examples, or withholds graded confidences before k examples.
 *
 * - 'soft-nearest' (the default, also when `method` is absent): similarities are cosines in the space of
 *   feature-space.ts, and a class's score is a soft maximum of them (log of the mean of exp(SOFT_NEAREST_TEMPERATURE x similarity), divided
 *   by the temperature). A near-copy of the query dominates it, as in 1-nearest-neighbour; without one, several
 *   good matches beat a single one. k is not used.
 * - 'mean-of-k' (the app's first vote): plain cosines, and a class's score is the mean of its k largest.
 * - 'knn-classifier': @tensorflow-models/knn-classifier's own predictClass, a majority of the k nearest examples
 *   (classic-knn.ts). Not computed here: vote() refuses it.
 * Why the default is what it is: docs/accuracy.md.
 */

export const VOTE_METHODS = ['soft-nearest', 'mean-of-k', 'knn-classifier'] as const;
export type VoteMethod = (typeof VOTE_METHODS)[number];

export function isVoteMethod(value: unknown): value is VoteMethod {
  return (VOTE_METHODS as readonly unknown[]).includes(value);
}

export interface VoteOptions {
  /** Nearest examples per class that count ('mean-of-k'), or in all ('knn-classifier'). */
  readonly k: number;
  /** Softmax sharpness over class scores; higher means more decisive confidences. */
  readonly sharpness: number;
  /** Absent means 'soft-nearest', the default, so saved {k, sharpness} settings get the better vote. */
  readonly method?: VoteMethod;
}

export const SOFT_NEAREST_TEMPERATURE = 40;

/**
 * Sharpness 30 is where confidences start, until the calibration has fitted one to the examples
 * (src/classifier/knn/confidence.ts): how sure a vote may sound depends on how many examples each class has.
 */
export const DEFAULT_VOTE: VoteOptions = { k: 3, sharpness: 30 };

export interface ClassVote {
  readonly classId: string;
  /** The class's score: mean cosine of its k nearest ('mean-of-k') or the soft maximum of its cosines ('soft-nearest'). */
  readonly similarity: number;
  readonly confidence: number;
}

/**
 * @param similaritiesByClass cosine similarities of the query to every example, grouped by class.
 *   Classes with no examples are left out of the vote (they get confidence 0).
 * @returns one entry per class in input order, or an empty array when no class has examples.
 */
export function vote(similaritiesByClass: ReadonlyMap<string, ArrayLike<number>>, options: VoteOptions): ClassVote[] {
  if (!(options.k >= 1) || !Number.isFinite(options.sharpness)) {
    throw new RangeError(`k must be at least 1 and sharpness finite (got k=${options.k}, sharpness=${options.sharpness}).`);
  }
  if (options.method === 'knn-classifier') throw new RangeError("The 'knn-classifier' vote is the package's own (classic-knn.ts).");
  const k = Math.floor(options.k);
  const scored = [...similaritiesByClass].map(([classId, sims]) => ({
    classId,
    similarity: !sims.length
      ? Number.NEGATIVE_INFINITY
      : options.method === 'mean-of-k'
        ? meanOfLargest(sims, k)
        : softMaximum(sims, SOFT_NEAREST_TEMPERATURE),
  }));
  const best = Math.max(...scored.map((s) => s.similarity));
  if (!Number.isFinite(best)) return [];
  // Subtracting the best score keeps exp() in range whatever the sharpness.
  const weights = scored.map((s) => (Number.isFinite(s.similarity) ? Math.exp(options.sharpness * (s.similarity - best)) : 0));
  const total = weights.reduce((a, b) => a + b, 0);
  return scored.map((s, i) => ({
    classId: s.classId,
    similarity: Number.isFinite(s.similarity) ? s.similarity : 0,
    confidence: weights[i] / total,
  }));
}

/** The winner: highest confidence, ties going to the higher similarity then to the earlier class. */
export function topVote(votes: readonly ClassVote[]): ClassVote | null {
  let top: ClassVote | null = null;
  for (const v of votes) {
    if (!top || v.confidence > top.confidence || (v.confidence === top.confidence && v.similarity > top.similarity)) top = v;
  }
  return top;
}

/** Mean of the `k` largest values (all of them when there are fewer), without sorting the whole array. */
export function meanOfLargest(values: ArrayLike<number>, k: number): number {
  const n = Math.min(k, values.length);
  const largest: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (largest.length < n) {
      largest.push(v);
      largest.sort((a, b) => a - b);
    } else if (v > largest[0]) {
      largest[0] = v;
      largest.sort((a, b) => a - b);
    }
  }
  return largest.reduce((a, b) => a + b, 0) / n;
}

/** log(mean(exp(t * v))) / t, computed without overflow: between the mean (t -> 0) and the maximum (t -> inf). */
export function softMaximum(values: ArrayLike<number>, temperature: number): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) max = Math.max(max, values[i]);
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += Math.exp(temperature * (values[i] - max));
  return max + Math.log(sum / values.length) / temperature;
}
