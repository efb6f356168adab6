/**
 * @tensorflow-models/knn-classifier's predictClass vote, in plain JavaScript, for the places that score many
 * held-out examples off the page (evaluate.ts's cross-validation, unknown.ts's calibration), where building the
 * package's tensors for every fold would cost more than the vote. The live app asks the package itself
 * (classic-knn.ts); test/unit/classic-knn.test.ts checks that the two agree on real photos.
 *
 * The package's rule: the examples of every class, in class order, are ranked by cosine similarity (a stable sort,
 * so an earlier example wins a tie); each of the min(k, examples) nearest is one vote for its class; a class's
 * confidence is its share of the votes, and the winner is the first class (in class order) with the most votes.
 */
import type { ClassVote } from './vote';

export interface ClassicPrediction {
  /** The winning class, or null when no class has examples. */
  readonly classId: string | null;
  /** Every class asked about, in order: confidence = its share of the k votes; similarity = its nearest example's cosine (0 without examples). */
  readonly votes: readonly ClassVote[];
}

/** @param similaritiesByClass cosine similarities of the query to every example, by class, in class order. */
export function classicVote(similaritiesByClass: ReadonlyMap<string, ArrayLike<number>>, k: number): ClassicPrediction {
  if (!(Number.isInteger(k) && k >= 1)) throw new RangeError(`k must be a whole number of at least 1, not ${k}.`);
  const ranked: { readonly similarity: number; readonly classIndex: number }[] = [];
  const classIds = [...similaritiesByClass.keys()];
  const nearest = classIds.map(() => Number.NEGATIVE_INFINITY);
  classIds.forEach((classId, c) => {
    const sims = similaritiesByClass.get(classId)!;
    for (let i = 0; i < sims.length; i++) {
      ranked.push({ similarity: sims[i], classIndex: c });
      nearest[c] = Math.max(nearest[c], sims[i]);
    }
  });
  if (ranked.length === 0) return { classId: null, votes: classIds.map((classId) => ({ classId, similarity: 0, confidence: 0 })) };
  ranked.sort((a, b) => b.similarity - a.similarity);
  const kVal = Math.min(k, ranked.length);
  const counts = classIds.map(() => 0);
  for (let i = 0; i < kVal; i++) counts[ranked[i].classIndex]++;
  let winner = -1;
  counts.forEach((n, c) => {
    if (n > 0 && (winner < 0 || n > counts[winner])) winner = c;
  });
  return {
    classId: classIds[winner],
    votes: classIds.map((classId, c) => ({
      classId,
      similarity: Number.isFinite(nearest[c]) ? nearest[c] : 0,
      confidence: counts[c] / kVal,
    })),
  };
}
