/**
 * rescoreNearest picks the rows to compute exactly in one pass: the same rows, in the same order, with the same
 * values written, as sorting every candidate by its upper bound (a stable sort: ties in row order) would give.
 */
import { expect } from '@open-wc/testing';
import { rescoreNearest } from '../../../../../src/classifier/knn/store/rescore';
import { seededRandom } from '../../../../helpers/tiny-model';

/** The rule by a full stable sort of the candidates, as the store applied it before. */
function bySorting(out: Float32Array, bounds: Float32Array, limit: number, exact: (row: number) => number): number {
  const n = out.length;
  let bestLower = Number.NEGATIVE_INFINITY;
  for (let r = 0; r < n; r++) bestLower = Math.max(bestLower, out[r] - bounds[r]);
  const candidates: number[] = [];
  for (let r = 0; r < n; r++) if (out[r] + bounds[r] >= bestLower) candidates.push(r);
  if (candidates.length <= limit) {
    for (const r of candidates) out[r] = exact(r);
    return candidates.length;
  }
  const upper = (r: number) => out[r] + bounds[r];
  candidates.sort((a, b) => upper(b) - upper(a));
  let bestExact = Number.NEGATIVE_INFINITY;
  let done = 0;
  for (; done < limit && upper(candidates[done]) >= bestExact; done++) {
    const r = candidates[done];
    out[r] = exact(r);
    bestExact = Math.max(bestExact, out[r]);
  }
  for (let i = done; i < candidates.length; i++) out[candidates[i]] = Math.min(out[candidates[i]], bestExact);
  return done;
}

/**
 * Scanned similarities of `n` rows: near-duplicates (values on a coarse grid, so upper bounds tie often) drifting
 * up or down, with each row's exact value within its bound.
 */
function scanned(seed: number, n: number, drift: number) {
  const random = seededRandom(seed);
  const out = new Float32Array(n);
  const bounds = new Float32Array(n);
  const exactValues = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    out[r] = Math.round((0.6 + drift * (r / n) + 0.01 * random()) * 2000) / 2000;
    bounds[r] = random() < 0.5 ? 0.004 : 0.005;
    exactValues[r] = out[r] + bounds[r] * (2 * random() - 1);
  }
  return { out, bounds, exact: (row: number) => exactValues[row] };
}

describe('rescoreNearest', () => {
  for (const [n, drift] of [
    [20, 0],
    [300, 0],
    [2000, 0.004],
    [2000, -0.004],
    [5000, 0.001],
  ]) {
    it(`computes the rows a full sort of the candidates would, in its order, with the same values: ${n} rows, drift ${drift}`, () => {
      for (let seed = 1; seed <= 8; seed++) {
        const ours = scanned(seed, n, drift);
        const sorted = scanned(seed, n, drift);
        const oursAsked: number[] = [];
        const sortedAsked: number[] = [];
        const oursDone = rescoreNearest(ours.out, ours.bounds, 32, (r) => (oursAsked.push(r), ours.exact(r)));
        const sortedDone = bySorting(sorted.out, sorted.bounds, 32, (r) => (sortedAsked.push(r), sorted.exact(r)));
        // The rows computed in the same order (ours in row order when at most 32 are candidates; so is the sort's).
        expect(oursAsked).to.deep.equal(sortedAsked);
        expect(oursDone).to.equal(sortedDone);
        expect(Array.from(ours.out)).to.deep.equal(Array.from(sorted.out));
        if (n > 32) expect(oursDone).to.be.at.most(32);
      }
    });
  }

  it('the cases above have more candidates than the limit, ties among them, and stop early as well as at the limit', () => {
    const stops = new Set<string>();
    for (const [n, drift] of [
      [2000, 0.004],
      [2000, -0.004],
      [5000, 0.001],
    ]) {
      for (let seed = 1; seed <= 8; seed++) {
        const { out, bounds, exact } = scanned(seed, n, drift);
        const uppers = Array.from(out, (v, r) => v + bounds[r]);
        expect(new Set(uppers).size).to.be.below(uppers.length);
        const done = rescoreNearest(out, bounds, 32, exact);
        stops.add(done === 32 ? 'limit' : 'early');
      }
    }
    expect([...stops].sort()).to.deep.equal(['early', 'limit']);
  });
});
