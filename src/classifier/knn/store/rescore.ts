/**
 * Which scanned similarities of a class to compute exactly, so that its nearest example is exact (see
 * docs/knn-store.md, "Near-duplicates"). The candidates are the rows whose upper bound (scanned value + error bound)
 * reaches the class's best lower bound. Up to `limit` of them, all are computed, in row order. More means
 * near-duplicates the index cannot tell apart: they are computed in order of their upper bounds (ties in row order)
 * until the best exact similarity is above every upper bound left or `limit` are done, and every candidate left keeps
 * its scanned value, held at most at the best exact one.
 *
 * Only the `limit` highest upper bounds are ever visited in order, so they are picked in one pass (a sorted list of
 * at most `limit`) rather than by sorting every candidate: on held-button data a class has thousands of candidates,
 * and sorting them cost more than the scan. The rows computed and the values written are those of a stable sort.
 */

/** Reused between calls: the picked rows and their upper bounds, best first. */
let picked = new Int32Array(64);
let pickedUpper = new Float64Array(64);

/**
 * Replaces `out`'s scanned similarities by `exact(row)` where the nearest may be (as described above); `bounds` holds
 * each row's error bound. Returns how many rows it computed exactly.
 */
export function rescoreNearest(out: Float32Array, bounds: Float32Array, limit: number, exact: (row: number) => number): number {
  const n = out.length;
  let bestLower = Number.NEGATIVE_INFINITY;
  for (let r = 0; r < n; r++) bestLower = Math.max(bestLower, out[r] - bounds[r]);
  let candidates = 0;
  for (let r = 0; r < n; r++) if (out[r] + bounds[r] >= bestLower) candidates++;
  if (candidates <= limit) {
    for (let r = 0; r < n; r++) if (out[r] + bounds[r] >= bestLower) out[r] = exact(r);
    return candidates;
  }
  const kept = pickHighest(out, bounds, bestLower, limit);
  let bestExact = Number.NEGATIVE_INFINITY;
  let done = 0;
  for (; done < kept && pickedUpper[done] >= bestExact; done++) {
    const r = picked[done];
    out[r] = exact(r);
    bestExact = Math.max(bestExact, out[r]);
  }
  // Rows computed are at most bestExact already; a computed row may no longer pass the test, which changes nothing.
  for (let r = 0; r < n; r++) if (out[r] + bounds[r] >= bestLower) out[r] = Math.min(out[r], bestExact);
  return done;
}

/**
 * Puts the `limit` candidates with the highest upper bounds (ties: the lower row first) in `picked`, best first, as
 * the first `limit` of a stable sort by upper bound would; returns how many.
 */
function pickHighest(out: Float32Array, bounds: Float32Array, bestLower: number, limit: number): number {
  if (picked.length < limit) {
    picked = new Int32Array(limit);
    pickedUpper = new Float64Array(limit);
  }
  let kept = 0;
  for (let r = 0; r < out.length; r++) {
    const upper = out[r] + bounds[r];
    if (!(upper >= bestLower)) continue;
    // Rows come in order, so an equal upper bound goes after those kept: only a strictly higher one displaces.
    if (kept === limit && !(upper > pickedUpper[limit - 1])) continue;
    let at = kept < limit ? kept++ : limit - 1;
    while (at > 0 && upper > pickedUpper[at - 1]) {
      picked[at] = picked[at - 1];
      pickedUpper[at] = pickedUpper[at - 1];
      at--;
    }
    picked[at] = r;
    pickedUpper[at] = upper;
  }
  return kept;
}
