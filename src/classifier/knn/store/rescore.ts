/**
 * Which scanned similarities of a class to compute exactly, so that its nearest example is exact (see
 * docs/knn-store.md, "Near-duplicates"). The candidates are the rows whose upper bound (scanned value + error bound)
 * reaches the class's best lower bound. Up to `limit` of them, all are computed, in row order. More means
 * near-duplicates the index cannot tell apart: they are computed in order of their upper bounds (ties in row order)
 * until the best exact similarity is above every upper bound left or `limit` are done, and every candidate left keeps
 * its scanned value, held at most at the best exact one.
 *
 * Only the `limit` highest upper bounds are ever visited in order, so they are picked in one pass (a heap of at most
 * `limit`) rather than by sorting every candidate: on held-button data a class has thousands of candidates,
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

/** Whether kept entry i ranks below kept entry j: a lower upper bound, or an equal one and a later row. */
function worse(i: number, j: number): boolean {
  return pickedUpper[i] < pickedUpper[j] || (pickedUpper[i] === pickedUpper[j] && picked[i] > picked[j]);
}

function swap(i: number, j: number): void {
  const row = picked[i];
  const upper = pickedUpper[i];
  picked[i] = picked[j];
  pickedUpper[i] = pickedUpper[j];
  picked[j] = row;
  pickedUpper[j] = upper;
}

/** Restores the heap below entry `i` (the worst kept entry at 0) among the first `size`. */
function siftDown(i: number, size: number): void {
  for (;;) {
    let least = i;
    const left = 2 * i + 1;
    if (left < size && worse(left, least)) least = left;
    if (left + 1 < size && worse(left + 1, least)) least = left + 1;
    if (least === i) return;
    swap(i, least);
    i = least;
  }
}

/**
 * Puts the `limit` candidates with the highest upper bounds (ties: the lower row first) in `picked`, best first, as
 * the first `limit` of a stable sort by upper bound would; returns how many. A heap of the kept ones, the worst on
 * top, so a row costs a comparison unless it displaces one (log `limit` steps); runs drifting towards the query
 * would make a sorted list shift at nearly every row.
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
    if (kept < limit) {
      // Sift up: rows come in order, so an equal upper bound ranks below those kept.
      let at = kept++;
      picked[at] = r;
      pickedUpper[at] = upper;
      while (at > 0 && worse(at, (at - 1) >> 1)) {
        swap(at, (at - 1) >> 1);
        at = (at - 1) >> 1;
      }
    } else if (upper > pickedUpper[0]) {
      picked[0] = r;
      pickedUpper[0] = upper;
      siftDown(0, limit);
    }
  }
  // Best first: take the worst off the heap into the end, one at a time.
  for (let size = kept; size > 1; size--) {
    swap(0, size - 1);
    siftDown(0, size - 1);
  }
  return kept;
}
