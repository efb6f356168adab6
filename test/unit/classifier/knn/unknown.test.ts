import { expect } from '@open-wc/testing';
import { spaceSimilarities } from '../../../../src/classifier/analysis/feature-space';
import { mulberry32, type TrainingData } from '../../../../src/classifier/training-data';
import { calibrateUnknown, isUnknown, MAX_HELD_OUT_QUANTILE, unknownThreshold } from '../../../../src/classifier/knn/unknown';
import { SOFT_NEAREST_TEMPERATURE, softMaximum } from '../../../../src/classifier/knn/vote';

const at = (degrees: number[]) => Float32Array.from(degrees.flatMap((d) => [Math.cos((d * Math.PI) / 180), Math.sin((d * Math.PI) / 180)]));
const cos = (degrees: number) => Math.cos((degrees * Math.PI) / 180);
const calibration = (scores: number[]) => ({ heldOutScores: Float32Array.from(scores).sort() });

/** `count` non-negative vectors around a random centre of their own (as post-ReLU activations are). */
function cluster(random: () => number, dim: number, count: number, spreadBy: number): Float32Array {
  const centre = Array.from({ length: dim }, () => random());
  return Float32Array.from({ length: count * dim }, (_, i) => Math.max(0, centre[i % dim] + spreadBy * (random() - 0.5)));
}

describe('calibrateUnknown', () => {
  it('scores each held-out stretch against the rest of its own class (1-nearest cosine by hand)', () => {
    // 2 folds: a's examples 0, 10 | 20, 30 degrees; b's 80 | 90.
    const data: TrainingData = { classIds: ['a', 'b'], vectors: [at([0, 10, 20, 30]), at([80, 90])], dim: 2 };
    const { heldOutScores } = calibrateUnknown(data, { folds: 2, vote: { k: 1, sharpness: 20, method: 'mean-of-k' } });
    // Fold 0: 0 -> nearest of {20, 30} is 20 away, 10 -> 10 away, 80 -> 90 is 10 away. Fold 1: 20 and 30 against
    // {0, 10}: 10 and 20 away; 90 against {80}: 10 away.
    const expected = [cos(20), cos(20), cos(10), cos(10), cos(10), cos(10)];
    expect(heldOutScores.length).to.equal(6);
    heldOutScores.forEach((s, i) => expect(s).to.be.closeTo(expected[i], 1e-6));
  });

  it('matches the vote: soft maximum of own-class similarities in the space the kept examples make', () => {
    const random = mulberry32(7);
    const dim = 6;
    const data: TrainingData = { classIds: ['a', 'b', 'c'], vectors: [cluster(random, dim, 6, 0.6), cluster(random, dim, 3, 0.6), cluster(random, dim, 1, 0.6)], dim };
    const folds = 3;
    const rowsOf = (c: number) => Array.from({ length: data.vectors[c].length / dim }, (_, r) => data.vectors[c].subarray(r * dim, (r + 1) * dim));
    const expected: number[] = [];
    for (let fold = 0; fold < folds; fold++) {
      const foldOf = (c: number, r: number) => Math.floor((r * folds) / rowsOf(c).length);
      const kept = data.classIds.map((_, c) => rowsOf(c).filter((_, r) => foldOf(c, r) !== fold));
      const flat = kept.map((rows) => Float32Array.from(rows.flatMap((row) => [...row])));
      data.classIds.forEach((_, c) => {
        if (kept[c].length === 0) return;
        rowsOf(c)
          .filter((_, r) => foldOf(c, r) === fold)
          .forEach((query) => expected.push(softMaximum(spaceSimilarities(flat, dim, query)[c], SOFT_NEAREST_TEMPERATURE)));
      });
    }
    const { heldOutScores } = calibrateUnknown(data, { folds });
    // a gives 6 scores and b 3; c, with one example, none.
    expect(heldOutScores.length).to.equal(9);
    expected.sort((x, y) => x - y).forEach((s, i) => expect(heldOutScores[i]).to.be.closeTo(s, 1e-5));
  });

  it('gives no scores when no class has two examples, and scores at most maxRowsPerClass per class', () => {
    const random = mulberry32(3);
    const single: TrainingData = { classIds: ['a', 'b'], vectors: [cluster(random, 4, 1, 0.2), cluster(random, 4, 1, 0.2)], dim: 4 };
    expect(calibrateUnknown(single).heldOutScores.length).to.equal(0);
    const many: TrainingData = { classIds: ['a', 'b'], vectors: [cluster(random, 4, 30, 0.2), cluster(random, 4, 7, 0.2)], dim: 4 };
    expect(calibrateUnknown(many, { maxRowsPerClass: 10 }).heldOutScores.length).to.equal(10 + 7);
    expect(calibrateUnknown(many).heldOutScores.length).to.equal(30 + 7);
  });

  it('leaves most taught-like vectors above the threshold and puts a cluster never taught below it', () => {
    const random = mulberry32(11);
    const dim = 16;
    const a = cluster(random, dim, 40, 0.3);
    const b = cluster(random, dim, 40, 0.3);
    const data: TrainingData = { classIds: ['a', 'b'], vectors: [a.subarray(0, 30 * dim), b.subarray(0, 30 * dim)], dim };
    const threshold = unknownThreshold(calibrateUnknown(data), 0.5);
    expect(threshold).to.be.a('number');
    const stranger = cluster(random, dim, 10, 0.3);
    const best = (query: Float32Array) => Math.max(...spaceSimilarities(data.vectors as Float32Array[], dim, query).map((s) => softMaximum(s, SOFT_NEAREST_TEMPERATURE)));
    const rows = (flat: Float32Array, from: number, to: number) => Array.from({ length: to - from }, (_, i) => flat.subarray((from + i) * dim, (from + i + 1) * dim));
    const knownCalled = [...rows(a, 30, 40), ...rows(b, 30, 40)].filter((q) => isUnknown(best(q), threshold)).length;
    const strangersCalled = rows(stranger, 0, 10).filter((q) => isUnknown(best(q), threshold)).length;
    // Sensitivity 0.5 aims at 10% of taught-like vectors (2 of these 20), give or take sampling.
    expect(knownCalled).to.be.at.most(4);
    expect(strangersCalled).to.equal(10);
  });
});

describe('unknownThreshold', () => {
  const scores = calibration([0.9, 0.1, 0.5, 0.3, 0.7, 0.2, 0.4, 0.6, 0.8, 1.0]);

  it('reads the (sensitivity x max) quantile at rank q (n + 1), interpolating between neighbours', () => {
    // Sensitivity 1: q = 0.2, rank 0.2 x 11 = 2.2, so 20% of the way from the 2nd (0.2) to the 3rd (0.3) lowest.
    expect(MAX_HELD_OUT_QUANTILE).to.equal(0.2);
    expect(unknownThreshold(scores, 1)).to.be.closeTo(0.22, 1e-6);
    // Sensitivity 0.5: rank 1.1.
    expect(unknownThreshold(scores, 0.5)).to.be.closeTo(0.11, 1e-6);
    expect(unknownThreshold(scores, 0.75)!).to.be.lessThan(unknownThreshold(scores, 1)!);
  });

  it('is null at sensitivity 0, with no scores, and while there are too few scores to place the quantile', () => {
    expect(unknownThreshold(scores, 0)).to.equal(null);
    expect(unknownThreshold(calibration([]), 1)).to.equal(null);
    // Sensitivity 0.4 (q = 0.08) needs a rank of at least 1: 0.08 x (n + 1) >= 1 from n = 12 scores up.
    expect(unknownThreshold(calibration(Array.from({ length: 11 }, (_, i) => i)), 0.4)).to.equal(null);
    expect(unknownThreshold(calibration(Array.from({ length: 12 }, (_, i) => i)), 0.4)).to.be.closeTo(0.04, 1e-6);
  });

  it('refuses sensitivities outside 0..1', () => {
    expect(() => unknownThreshold(scores, 1.5)).to.throw(RangeError);
    expect(() => unknownThreshold(scores, Number.NaN)).to.throw(RangeError);
  });
});

describe('isUnknown', () => {
  it('is true only below a threshold, never without one', () => {
    expect(isUnknown(0.2, 0.3)).to.equal(true);
    expect(isUnknown(0.3, 0.3)).to.equal(false);
    expect(isUnknown(-5, null)).to.equal(false);
  });
});
