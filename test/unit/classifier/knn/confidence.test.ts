import { expect } from '@open-wc/testing';
import { mulberry32, type TrainingData } from '../../../../src/classifier/training-data';
import {
  expectedCalibrationError,
  fitSharpness,
  heldOutLogLoss,
  MAX_SHARPNESS,
  MIN_HELD_OUT_VOTES,
  type HeldOutVote,
} from '../../../../src/classifier/knn/confidence';
import { calibrateUnknown } from '../../../../src/classifier/knn/unknown';

/** Votes whose classes are drawn from the softmax of random scores at `sharpness`: the fit should find it again. */
function votesAt(sharpness: number, count: number, classes: number, seed: number): HeldOutVote[] {
  const random = mulberry32(seed);
  return Array.from({ length: count }, () => {
    const classScores = Array.from({ length: classes }, () => random() * 0.1);
    const weights = classScores.map((s) => Math.exp(sharpness * s));
    let pick = random() * weights.reduce((a, b) => a + b, 0);
    let classIndex = 0;
    while (pick > weights[classIndex]) pick -= weights[classIndex++];
    return { classScores, classIndex };
  });
}

describe('confidence calibration', () => {
  it('finds again the sharpness that drew the held-out classes', () => {
    for (const truth of [20, 60, 150]) {
      const fitted = fitSharpness(votesAt(truth, 4000, 4, truth))!;
      expect(fitted / truth, `drawn at ${truth}, fitted ${fitted}`).to.be.within(0.85, 1.18);
    }
  });

  it('computes the log loss of the own class under the softmax', () => {
    const votes: HeldOutVote[] = [
      { classScores: [0.5, 0.4], classIndex: 0 },
      { classScores: [0.2, 0.3, Number.NEGATIVE_INFINITY], classIndex: 0 },
    ];
    const expected = (-Math.log(1 / (1 + Math.exp(-1))) - Math.log(1 / (1 + Math.exp(1)))) / 2;
    expect(heldOutLogLoss(votes, 10)).to.be.closeTo(expected, 1e-12);
  });

  it('fits nothing from too few votes or from votes with one class to choose', () => {
    expect(fitSharpness(votesAt(50, MIN_HELD_OUT_VOTES - 1, 3, 1))).to.equal(null);
    expect(fitSharpness(votesAt(50, MIN_HELD_OUT_VOTES, 3, 1))).to.be.a('number');
    const lonely = Array.from({ length: 50 }, () => ({ classScores: [0.9, Number.NEGATIVE_INFINITY], classIndex: 0 }));
    expect(fitSharpness(lonely)).to.equal(null);
  });

  it('stays within its range when every held-out example is right by a wide margin', () => {
    const easy = Array.from({ length: 40 }, (_, i) => ({ classScores: i % 2 ? [0.2, 0.9] : [0.9, 0.2], classIndex: i % 2 }));
    expect(fitSharpness(easy)).to.be.closeTo(MAX_SHARPNESS, MAX_SHARPNESS * 0.011);
  });

  it('measures the expected calibration error bin by bin', () => {
    // Bin 0.9-1: 4 predictions at 0.95, 3 right (0.75): |0.75 - 0.95| x 4/6. Bin 0.5-0.6: 2 at 0.55, 1 right: 0.05 x 2/6.
    const predictions = [
      ...[true, true, true, false].map((correct) => ({ confidence: 0.95, correct })),
      { confidence: 0.55, correct: true },
      { confidence: 0.55, correct: false },
    ];
    expect(expectedCalibrationError(predictions)).to.be.closeTo((0.2 * 4) / 6 + (0.05 * 2) / 6, 1e-12);
    expect(expectedCalibrationError([{ confidence: 1, correct: true }])).to.equal(0);
    expect(Number.isNaN(expectedCalibrationError([]))).to.equal(true);
  });

  it('is fitted by the calibration: sharper for classes far apart than for classes that overlap', () => {
    const random = mulberry32(3);
    const dim = 8;
    const centre = () => Array.from({ length: dim }, () => random());
    const cluster = (middle: number[], count: number, spread: number) =>
      Float32Array.from({ length: count * dim }, (_, i) => Math.max(0, middle[i % dim] + spread * (random() - 0.5)));
    const a = centre();
    const b = centre();
    const apart: TrainingData = { classIds: ['a', 'b'], vectors: [cluster(a, 15, 0.2), cluster(b, 15, 0.2)], dim };
    const near = a.map((x, i) => (x + b[i]) / 2);
    const overlapping: TrainingData = { classIds: ['a', 'b'], vectors: [cluster(a, 15, 1.5), cluster(near, 15, 1.5)], dim };
    const sharpApart = calibrateUnknown(apart).sharpness!;
    const sharpOverlapping = calibrateUnknown(overlapping).sharpness!;
    expect(sharpApart).to.be.greaterThan(sharpOverlapping);
    expect(calibrateUnknown({ classIds: ['a', 'b'], vectors: [cluster(a, 3, 0.2), cluster(b, 3, 0.2)], dim }).sharpness, 'too few held-out votes').to.equal(null);
  });
});
