import { expect } from '@open-wc/testing';
import { useBackend } from '../../../../src/platform/backend';
import { trainDenseHead } from '../../../../src/classifier/dense-head/dense-head';
import { evaluateDenseHead, evaluateKnn, evaluation } from '../../../../src/classifier/analysis/evaluate';
import { spaceSimilarities } from '../../../../src/classifier/analysis/feature-space';
import type { TrainingData } from '../../../../src/classifier/training-data';
import { DEFAULT_VOTE, topVote, vote } from '../../../../src/classifier/knn/vote';

describe('evaluation', () => {
  it('builds the confusion matrix and per-class accuracy of a hand-computed example', () => {
    // Actual:    a a a b b c c c c
    // Predicted: a b a b a c c a -
    const result = evaluation(['a', 'b', 'c'], [0, 0, 0, 1, 1, 2, 2, 2, 2], [0, 1, 0, 1, 0, 2, 2, 0, -1]);
    expect(result.confusion).to.deep.equal([
      [2, 1, 0],
      [1, 1, 0],
      [1, 0, 2],
    ]);
    expect(result.perClass).to.deep.equal([
      { classId: 'a', total: 3, correct: 2, accuracy: 2 / 3 },
      { classId: 'b', total: 2, correct: 1, accuracy: 0.5 },
      { classId: 'c', total: 4, correct: 2, accuracy: 0.5 },
    ]);
    expect(result).to.include({ total: 9, correct: 5, unpredicted: 1, accuracy: 5 / 9 });
  });

  it('gives null accuracies when nothing was held out, and refuses bad indices', () => {
    const empty = evaluation(['a', 'b'], [], []);
    expect(empty.accuracy).to.equal(null);
    expect(empty.perClass.map((c) => c.accuracy)).to.deep.equal([null, null]);
    expect(() => evaluation(['a'], [0], [1])).to.throw(RangeError);
    expect(() => evaluation(['a'], [0], [])).to.throw(/1 actual classes but 0/);
  });
});

describe('evaluateKnn', () => {
  // Two classes of 2-d unit vectors: a at angles 0, 10, 25 degrees, b at 80, 90 and, an outlier, 30 degrees.
  const at = (degrees: number[]) => Float32Array.from(degrees.flatMap((d) => [Math.cos((d * Math.PI) / 180), Math.sin((d * Math.PI) / 180)]));
  const tiny: TrainingData = { classIds: ['a', 'b'], vectors: [at([0, 10, 25]), at([80, 90, 30])], dim: 2 };
  const nearest = { k: 1, sharpness: 20, method: 'mean-of-k' } as const;

  it('leave-one-out with the 1-nearest cosine vote: each example is judged by the others', () => {
    const result = evaluateKnn(tiny, { folds: 'leave-one-out', vote: nearest });
    // Left out: 0 -> 10 (a), 10 -> 0 (a), 25 -> 30 (b: wrong), 80 -> 90 (b), 90 -> 80 (b), 30 -> 25 (a: wrong).
    expect(result.confusion).to.deep.equal([
      [2, 1],
      [1, 2],
    ]);
    expect(result.accuracy).to.equal(4 / 6);
  });

  it('k-fold holds out consecutive examples of every class', () => {
    // 3 folds: fold f holds out example f of each class. Only 30, judged against a {0, 10} and b {80, 90}, fails.
    const three = evaluateKnn(tiny, { folds: 3, vote: nearest });
    expect(three.total).to.equal(6);
    expect(three.correct).to.equal(5);
    // 2 folds: examples 0 and 1 of each class, then example 2. Fold 0 leaves a {25} and b {30}: 0, 10 -> a and
    // 80, 90 -> b, all right; fold 1 is fold 2 above. A leave-one-out fold for 25 would have seen 30 and failed.
    expect(evaluateKnn(tiny, { folds: 2, vote: nearest }).correct).to.equal(5);
    expect(() => evaluateKnn(tiny, { folds: 1 })).to.throw(RangeError);
  });

  it('leave-one-out with the default vote is the app\'s vote on the other examples, one example at a time', () => {
    const rows = (seed: number, n: number) =>
      Float32Array.from({ length: n * 5 }, (_, i) => Math.max(0, Math.sin(seed * 7.1 + i * 1.3) + (i % 5 === seed % 5 ? 1 : 0)));
    const data: TrainingData = { classIds: ['p', 'q', 'r'], vectors: [rows(1, 4), rows(2, 3), rows(3, 4)], dim: 5 };
    const predicted: number[] = [];
    data.vectors.forEach((flat, c) => {
      for (let r = 0; r < flat.length / 5; r++) {
        const others = data.vectors.map((v, k) => (k === c ? Float32Array.from([...v.subarray(0, r * 5), ...v.subarray((r + 1) * 5)]) : v));
        const sims = spaceSimilarities(others, 5, flat.subarray(r * 5, (r + 1) * 5));
        predicted.push(data.classIds.indexOf(topVote(vote(new Map(data.classIds.map((id, k) => [id, sims[k]])), DEFAULT_VOTE))!.classId));
      }
    });
    const result = evaluateKnn(data, { folds: 'leave-one-out' });
    const expected = evaluation(data.classIds, [0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2], predicted);
    expect(result.confusion).to.deep.equal(expected.confusion);
  });

  it('with the default vote: a class whose only example is held out has nothing to be recognised by', () => {
    const result = evaluateKnn({ ...tiny, classIds: ['a', 'b', 'c'], vectors: [...tiny.vectors, at([45])] }, { folds: 'leave-one-out' });
    expect(result.total).to.equal(7);
    // c's only example, held out, leaves c with nothing to be recognised by.
    expect(result.perClass[2]).to.deep.include({ total: 1, correct: 0 });
    expect(result.confusion[2][2]).to.equal(0);
  });
});

describe('evaluateDenseHead', () => {
  before(async () => {
    await useBackend('wasm');
  });

  it('scores the head on its held-out examples and refuses once the examples changed', async () => {
    const rows = (centre: number[], n: number) =>
      Float32Array.from({ length: n * 4 }, (_, i) => centre[i % 4] + 0.05 * Math.sin(i * 12.9898));
    const data: TrainingData = { classIds: ['x', 'y'], vectors: [rows([1, 0, 0, 0], 20), rows([0, 0, 1, 0], 10)], dim: 4 };
    const head = await trainDenseHead(data, { epochs: 30, learningRate: 0.01 });
    const result = await evaluateDenseHead(head, data);
    expect(result.perClass.map((c) => c.total)).to.deep.equal([3, 2]);
    expect(result.accuracy).to.equal(1);
    // The same examples with the classes listed the other way round are still the training set.
    const swapped = await evaluateDenseHead(head, { ...data, classIds: ['y', 'x'], vectors: [data.vectors[1], data.vectors[0]] });
    expect(swapped.accuracy).to.equal(1);
    let message = '';
    await evaluateDenseHead(head, { ...data, vectors: [data.vectors[0], data.vectors[1].subarray(4)] }).catch((e: Error) => (message = e.message));
    expect(message).to.match(/changed after this head was trained/);
    head.dispose();
  });
});
