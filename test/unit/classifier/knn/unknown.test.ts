import { expect } from '@open-wc/testing';
import { spaceSimilarities } from '../../../../src/classifier/analysis/feature-space';
import { mulberry32, type TrainingData } from '../../../../src/classifier/training-data';
import { calibrateUnknown, isUnknown, isUnknownVote, MARGIN_WEIGHT, MAX_HELD_OUT_QUANTILE, unknownRule, unknownScore, unknownThreshold } from '../../../../src/classifier/knn/unknown';
import { DEFAULT_VOTE, SOFT_NEAREST_TEMPERATURE, softMaximum, vote } from '../../../../src/classifier/knn/vote';

const at = (degrees: number[]) => Float32Array.from(degrees.flatMap((d) => [Math.cos((d * Math.PI) / 180), Math.sin((d * Math.PI) / 180)]));
const cos = (degrees: number) => Math.cos((degrees * Math.PI) / 180);
const calibration = (scores: number[]) => ({ heldOutScores: Float32Array.from(scores).sort() });
/** The unknown score by its definition: winner s1, runner-up s2, the winner's spread r. */
const byDefinition = (s1: number, s2: number, r: number) => -((1 - s1) - MARGIN_WEIGHT * (s1 - s2)) / r;
/** A held-out example's unknown score from its class scores (-Infinity: the class has nothing kept) and the spreads. */
function heldOut(classScores: number[], spreads: number[]): number {
  const winner = classScores.indexOf(Math.max(...classScores));
  const others = classScores.filter((s, c) => c !== winner && Number.isFinite(s));
  return byDefinition(classScores[winner], others.length ? Math.max(...others) : classScores[winner], spreads[winner]);
}

/** `count` non-negative vectors around a random centre of their own (as post-ReLU activations are). */
function cluster(random: () => number, dim: number, count: number, spreadBy: number): Float32Array {
  const centre = Array.from({ length: dim }, () => random());
  return Float32Array.from({ length: count * dim }, (_, i) => Math.max(0, centre[i % dim] + spreadBy * (random() - 0.5)));
}

describe('calibrateUnknown', () => {
  it('scores each held-out stretch as a frame voted on against the rest (1-nearest cosine by hand)', () => {
    // 2 folds: a's examples 0, 10 | 20, 30 degrees; b's 80 | 90.
    const data: TrainingData = { classIds: ['a', 'b'], vectors: [at([0, 10, 20, 30]), at([80, 90])], dim: 2 };
    const { heldOutScores, classSpreads } = calibrateUnknown(data, { folds: 2, vote: { k: 1, sharpness: 20, method: 'mean-of-k' } });
    // Class scores [a, b] (the nearest kept example's cosine). Fold 0 keeps a {20, 30}, b {90}: 0 -> [cos 20, cos 90],
    // 10 -> [cos 10, cos 80], 80 -> [cos 50, cos 10]. Fold 1 keeps a {0, 10}, b {80}: 20 -> [cos 10, cos 60],
    // 30 -> [cos 20, cos 50], 90 -> [cos 80, cos 10].
    const votes = [[20, 90], [10, 80], [50, 10], [10, 60], [20, 50], [80, 10]].map((degrees) => degrees.map(cos));
    // Spreads: the mean of 1 - own-class score.
    const spreads = [1 - (cos(20) + cos(10) + cos(10) + cos(20)) / 4, 1 - cos(10)];
    expect(classSpreads.a).to.be.closeTo(spreads[0], 1e-6);
    expect(classSpreads.b).to.be.closeTo(spreads[1], 1e-6);
    const expected = votes.map((v) => heldOut(v, spreads)).sort((x, y) => x - y);
    expect(heldOutScores.length).to.equal(6);
    heldOutScores.forEach((s, i) => expect(s).to.be.closeTo(expected[i], 1e-4));
  });

  it("matches the vote: soft maximum of each class's similarities in the space the kept examples make", () => {
    const random = mulberry32(7);
    const dim = 6;
    const data: TrainingData = { classIds: ['a', 'b', 'c'], vectors: [cluster(random, dim, 6, 0.6), cluster(random, dim, 3, 0.6), cluster(random, dim, 1, 0.6)], dim };
    const folds = 3;
    const rowsOf = (c: number) => Array.from({ length: data.vectors[c].length / dim }, (_, r) => data.vectors[c].subarray(r * dim, (r + 1) * dim));
    const held: { scores: number[]; c: number }[] = [];
    for (let fold = 0; fold < folds; fold++) {
      const foldOf = (c: number, r: number) => Math.floor((r * folds) / rowsOf(c).length);
      const kept = data.classIds.map((_, c) => rowsOf(c).filter((_, r) => foldOf(c, r) !== fold));
      const flat = kept.map((rows) => Float32Array.from(rows.flatMap((row) => [...row])));
      data.classIds.forEach((_, c) => {
        if (kept[c].length === 0) return;
        rowsOf(c)
          .filter((_, r) => foldOf(c, r) === fold)
          .forEach((query) =>
            held.push({ c, scores: spaceSimilarities(flat, dim, query).map((s) => (s.length ? softMaximum(s, SOFT_NEAREST_TEMPERATURE) : Number.NEGATIVE_INFINITY)) }),
          );
      });
    }
    const own = data.classIds.map((_, c) => held.filter((h) => h.c === c).map((h) => 1 - h.scores[c]));
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    // c, with one example, has no held-out score of its own: it counts with the mean spread of a and b.
    const spreads = [mean(own[0]), mean(own[1]), (mean(own[0]) + mean(own[1])) / 2];
    const expected = held.map((h) => heldOut(h.scores, spreads)).sort((x, y) => x - y);
    const { heldOutScores, classSpreads } = calibrateUnknown(data, { folds });
    expect(classSpreads.a).to.be.closeTo(spreads[0], 1e-5);
    expect(classSpreads.b).to.be.closeTo(spreads[1], 1e-5);
    expect(classSpreads.c, 'one example: no spread of its own').to.equal(undefined);
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
    const rule = unknownRule(calibrateUnknown(data), 0.5);
    expect(rule.threshold).to.be.a('number');
    const stranger = cluster(random, dim, 10, 0.3);
    const called = (query: Float32Array) => {
      const similarities = spaceSimilarities(data.vectors as Float32Array[], dim, query);
      const votes = vote(new Map(data.classIds.map((id, c) => [id, similarities[c]])), DEFAULT_VOTE);
      const winner = votes.reduce((x, y) => (y.confidence > x.confidence ? y : x));
      return isUnknownVote(votes, winner.classId, rule);
    };
    const rows = (flat: Float32Array, from: number, to: number) => Array.from({ length: to - from }, (_, i) => flat.subarray((from + i) * dim, (from + i + 1) * dim));
    const knownCalled = [...rows(a, 30, 40), ...rows(b, 30, 40)].filter(called).length;
    const strangersCalled = rows(stranger, 0, 10).filter(called).length;
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

describe('unknownScore', () => {
  const votes = [
    { classId: 'a', similarity: 0.9, confidence: 0.8 },
    { classId: 'b', similarity: 0.5, confidence: 0.2 },
    // A class with no examples is listed with score 0 and confidence 0: it takes no part.
    { classId: 'empty', similarity: 0, confidence: 0 },
  ];

  it("is the winner's distance less half its lead over the runner-up, relative to the winner's spread", () => {
    // -((1 - 0.9) - 0.5 x (0.9 - 0.5)) / 0.2 = 0.5.
    expect(unknownScore(votes, 'a', { classSpreads: { a: 0.2, b: 0.4 } })).to.be.closeTo(0.5, 1e-9);
    expect(unknownScore(votes, 'a', { classSpreads: { a: 0.2, b: 0.4 } })).to.be.closeTo(byDefinition(0.9, 0.5, 0.2), 1e-9);
    // The same distance is further from a tight class: 0.4 from a class whose examples are 0.05 apart on average.
    const far = [
      { classId: 'a', similarity: 0.6, confidence: 0.6 },
      { classId: 'b', similarity: 0.5, confidence: 0.4 },
    ];
    expect(unknownScore(far, 'a', { classSpreads: { a: 0.05 } })).to.be.lessThan(unknownScore(far, 'a', { classSpreads: { a: 0.2 } }));
  });

  it('gives a class with no spread of its own the mean spread, and a lone class no runner-up', () => {
    expect(unknownScore(votes, 'a', { classSpreads: { b: 0.1, c: 0.3 } })).to.be.closeTo(byDefinition(0.9, 0.5, 0.2), 1e-9);
    expect(unknownScore(votes, 'a', { classSpreads: {} })).to.be.closeTo(byDefinition(0.9, 0.5, 1), 1e-9);
    expect(unknownScore([votes[0]], 'a', { classSpreads: { a: 0.2 } })).to.be.closeTo(byDefinition(0.9, 0.9, 0.2), 1e-9);
    // The classic vote gives confidence 0 to a class with none of the k nearest: a calibrated class still counts.
    const classic = [
      { classId: 'a', similarity: 0.9, confidence: 1 },
      { classId: 'b', similarity: 0.7, confidence: 0 },
    ];
    expect(unknownScore(classic, 'a', { classSpreads: { a: 0.2, b: 0.4 } })).to.be.closeTo(byDefinition(0.9, 0.7, 0.2), 1e-9);
  });

  it("calls a vote unknown only below the rule's threshold", () => {
    expect(isUnknownVote(votes, 'a', { threshold: 0.6, classSpreads: { a: 0.2 } })).to.equal(true);
    expect(isUnknownVote(votes, 'a', { threshold: 0.4, classSpreads: { a: 0.2 } })).to.equal(false);
    expect(isUnknownVote(votes, 'a', { threshold: null, classSpreads: { a: 0.2 } })).to.equal(false);
  });
});
