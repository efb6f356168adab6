import { expect } from '@open-wc/testing';
import { DEFAULT_VOTE, meanOfLargest, softMaximum, topVote, vote } from '../../../../src/classifier/knn/vote';

const sims = (entries: Record<string, number[]>) => new Map(Object.entries(entries));

// The app's first vote, kept as method 'mean-of-k' (the default 'soft-nearest' is measured better: docs/accuracy.md).
describe("vote, method 'mean-of-k'", () => {
  it('picks the nearest class with one example per class, where a k=3 majority would tie', () => {
    const votes = vote(sims({ a: [0.5], b: [0.9], c: [0.7] }), { k: 3, sharpness: 20, method: 'mean-of-k' });
    expect(topVote(votes)?.classId).to.equal('b');
    expect(votes.map((v) => v.classId)).to.deep.equal(['a', 'b', 'c']);
  });

  it('gives graded confidences that sum to 1 and follow similarity', () => {
    const votes = vote(sims({ a: [0.8], b: [0.7] }), { k: 3, sharpness: 20, method: 'mean-of-k' });
    const [a, b] = votes.map((v) => v.confidence);
    expect(a + b).to.be.closeTo(1, 1e-9);
    expect(a).to.be.greaterThan(b);
    expect(a).to.be.lessThan(1);
    expect(a).to.be.closeTo(1 / (1 + Math.exp(-2)), 1e-9);
  });

  it('is not swayed by a class that simply has more examples', () => {
    // b has many mediocre examples, a has two close ones: a plain top-5 majority would pick b.
    const votes = vote(sims({ a: [0.95, 0.94], b: [0.9, 0.9, 0.9, 0.9, 0.9, 0.9] }), { k: 3, sharpness: 20, method: 'mean-of-k' });
    expect(topVote(votes)?.classId).to.equal('a');
  });

  it('uses only the k nearest examples of each class', () => {
    const votes = vote(sims({ a: [0.9, 0.1, 0.1], b: [0.6, 0.6, 0.6] }), { k: 1, sharpness: 20, method: 'mean-of-k' });
    expect(topVote(votes)?.classId).to.equal('a');
    const wide = vote(sims({ a: [0.9, 0.1, 0.1], b: [0.6, 0.6, 0.6] }), { k: 3, sharpness: 20, method: 'mean-of-k' });
    expect(topVote(wide)?.classId).to.equal('b');
  });

  it('gives classes without examples zero confidence and returns nothing when no class has any', () => {
    const votes = vote(sims({ a: [], b: [0.2] }), { k: 3, sharpness: 20, method: 'mean-of-k' });
    expect(votes[0].confidence).to.equal(0);
    expect(votes[1].confidence).to.equal(1);
    expect(vote(sims({ a: [], b: [] }), { k: 3, sharpness: 20, method: 'mean-of-k' })).to.deep.equal([]);
    expect(vote(new Map(), { k: 3, sharpness: 20, method: 'mean-of-k' })).to.deep.equal([]);
  });

  it('stays finite with extreme sharpness', () => {
    const votes = vote(sims({ a: [1], b: [-1] }), { k: 3, sharpness: 1e6, method: 'mean-of-k' });
    expect(votes[0].confidence).to.equal(1);
    expect(votes[1].confidence).to.equal(0);
  });

  it('breaks exact ties towards the earlier class', () => {
    expect(topVote(vote(sims({ a: [0.5], b: [0.5] }), { k: 3, sharpness: 20, method: 'mean-of-k' }))?.classId).to.equal('a');
  });

  it('refuses k below 1 or a non-finite sharpness', () => {
    expect(() => vote(sims({ a: [1] }), { k: 0, sharpness: 20, method: 'mean-of-k' })).to.throw(RangeError);
    expect(() => vote(sims({ a: [1] }), { k: 3, sharpness: Number.NaN, method: 'mean-of-k' })).to.throw(RangeError);
  });

  it('meanOfLargest averages the k largest', () => {
    expect(meanOfLargest([1, 5, 3, 4], 2)).to.equal(4.5);
    expect(meanOfLargest([2], 3)).to.equal(2);
  });
});

describe("vote, method 'soft-nearest'", () => {
  const soft = { k: 3, sharpness: 20, method: 'soft-nearest' } as const;

  it('scores a class by a soft maximum: a near copy wins over several fair matches, several good ones over one', () => {
    expect(topVote(vote(sims({ a: [0.95, 0.1, 0.1], b: [0.7, 0.7, 0.7] }), soft))?.classId).to.equal('a');
    // The plain mean of the 3 nearest picks b here.
    expect(topVote(vote(sims({ a: [0.95, 0.1, 0.1], b: [0.7, 0.7, 0.7] }), { k: 3, sharpness: 20, method: 'mean-of-k' }))?.classId).to.equal('b');
    expect(topVote(vote(sims({ a: [0.8, 0.8, 0.8], b: [0.81, 0.2, 0.2] }), soft))?.classId).to.equal('a');
  });

  it('reports the soft maximum as the similarity and ignores k', () => {
    const votes = vote(sims({ a: [0.5, 0.3], b: [0.2] }), soft);
    expect(votes[0].similarity).to.be.closeTo(0.5 + Math.log((1 + Math.exp(-40 * 0.2)) / 2) / 40, 1e-12);
    expect(votes[1].similarity).to.be.closeTo(0.2, 1e-12);
    expect(vote(sims({ a: [0.5, 0.3], b: [0.2] }), { ...soft, k: 1 })).to.deep.equal(votes);
  });

  it('softMaximum lies between the mean and the maximum and does not overflow', () => {
    expect(softMaximum([0.2, 0.4], 1e-9)).to.be.closeTo(0.3, 1e-6);
    expect(softMaximum([0.2, 0.4], 1e6)).to.be.closeTo(0.4, 1e-5);
    expect(softMaximum([1000, 999], 40)).to.be.closeTo(1000 + Math.log((1 + Math.exp(-40)) / 2) / 40, 1e-9);
  });

  it('is the default, also for options that name no method', () => {
    const votes = vote(sims({ a: [0.5, 0.3], b: [0.2] }), soft);
    expect(vote(sims({ a: [0.5, 0.3], b: [0.2] }), { k: 3, sharpness: 20 })).to.deep.equal(votes);
    expect(DEFAULT_VOTE.method ?? 'soft-nearest').to.equal('soft-nearest');
  });
});
