/**
 * The vote that turns cosine similarities into class confidences.
 *
 * Each class is scored by the mean similarity of its own k nearest examples (k bounded by how many the class
 * has), and scores become confidences through a softmax with `sharpness`. Unlike a plain top-k majority
 * (knn-classifier's `predictClass`), this never ties when classes have fewer than k examples, is not
 * biased towards the class with the most examples, and gives graded confidences from the first example.
 */

export interface VoteOptions {
  /** Nearest examples per class that count. */
  readonly k: number;
  /** Softmax sharpness over mean cosine similarities; higher means more decisive confidences. */
  readonly sharpness: number;
}

export const DEFAULT_VOTE: VoteOptions = { k: 3, sharpness: 20 };

export interface ClassVote {
  readonly classId: string;
  /** Mean cosine similarity of this class's k nearest examples. */
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
  const k = Math.floor(options.k);
  const scored = [...similaritiesByClass].map(([classId, sims]) => ({
    classId,
    similarity: sims.length ? meanOfLargest(sims, k) : Number.NEGATIVE_INFINITY,
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
