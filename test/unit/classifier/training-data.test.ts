import { expect } from '@open-wc/testing';
import { checkTrainingData, TrainingDataError, trainingFingerprint, validationSplit, type TrainingData } from '../../../src/classifier/training-data';

const data = (vectors: number[][], classIds = vectors.map((_, i) => `c${i}`), dim = 2): TrainingData => ({
  classIds,
  vectors: vectors.map((v) => Float32Array.from(v)),
  dim,
});

describe('trainingFingerprint', () => {
  const base = data([
    [1, 0, 0.5, 0.5],
    [0, 1],
  ]);

  it('is the same for the same examples, whatever the order of the classes', () => {
    const again = data([
      [1, 0, 0.5, 0.5],
      [0, 1],
    ]);
    const reordered = data([[0, 1], [1, 0, 0.5, 0.5]], ['c1', 'c0']);
    expect(trainingFingerprint(again)).to.equal(trainingFingerprint(base));
    expect(trainingFingerprint(reordered)).to.equal(trainingFingerprint(base));
    expect(trainingFingerprint(base)).to.match(/^[0-9a-f]{16}$/);
  });

  it('changes when an example is added, removed or changed, or a class is renamed or added', () => {
    const seen = new Set([trainingFingerprint(base)]);
    const variants = [
      data([[1, 0, 0.5, 0.5, 0, 1], [0, 1]]), // added
      data([[1, 0], [0, 1]]), // removed
      data([[1, 0, 0.5, 0.5000001], [0, 1]]), // changed in the last bit that float32 keeps
      data([[1, 0, 0.5, 0.5], [0, 1]], ['c0', 'other']), // another class id
      data([[1, 0, 0.5, 0.5], [0, 1], []]), // an empty class more
      data([[0, 1], [1, 0, 0.5, 0.5]]), // the same rows under swapped ids
      data([[1, 0, 0.5, 0.5], [0, 1]], undefined, 1), // the same numbers read as rows of 1
    ];
    for (const v of variants) {
      const f = trainingFingerprint(v);
      expect(seen.has(f), JSON.stringify(v.vectors.map((x) => [...x]))).to.equal(false);
      seen.add(f);
    }
  });
});

describe('validationSplit', () => {
  it('holds out ceil(fraction x n) of each class, at random, leaving every class a training example', () => {
    const d = data([new Array(40).fill(0), new Array(6).fill(0), [0, 0]]);
    const split = validationSplit(d, 0.15, 3);
    const held = (c: number) => split.validation.filter((r) => r.classIndex === c).map((r) => r.row);
    expect(held(0)).to.have.length(3);
    expect(held(1)).to.have.length(1);
    expect(held(2)).to.have.length(0);
    expect(split.train.length + split.validation.length).to.equal(24);
    // Seeded: the same seed gives the same rows, another seed (almost surely) others.
    expect(validationSplit(d, 0.15, 3)).to.deep.equal(split);
    expect(validationSplit(d, 0.15, 4).validation).to.not.deep.equal(split.validation);
    expect(validationSplit(d, 0, 3).validation).to.deep.equal([]);
    expect(() => validationSplit(d, 1, 3)).to.throw(RangeError);
  });
});

describe('checkTrainingData', () => {
  it('names the problem', () => {
    const fails = (d: TrainingData, pattern: RegExp, reason: TrainingDataError['reason']) => {
      try {
        checkTrainingData(d);
      } catch (error) {
        expect(error).to.be.instanceOf(TrainingDataError);
        expect((error as TrainingDataError).reason).to.equal(reason);
        expect((error as Error).message).to.match(pattern);
        return;
      }
      throw new Error('no error');
    };
    fails(data([[1, 2]]), /at least 2 classes with examples; there is 1/, 'too-few-classes');
    fails(data([]), /there are 0/, 'too-few-classes');
    fails(data([[1, 2], []]), /"c1" has no examples/, 'empty-class');
    fails(data([[1, 2], [1, 2, 3]]), /"c1" has 3 numbers, not rows of 2/, 'shape');
    fails(data([[1, 2], [1, Infinity]]), /Example 1 of class "c1" holds Infinity/, 'not-finite');
    fails(data([[1, 2], [3, 4]], ['a', 'a']), /same id/, 'shape');
    expect(() => checkTrainingData(data([[1, 2], []]), 1, true)).to.not.throw();
  });
});
