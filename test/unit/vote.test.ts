import { expect } from '@open-wc/testing';
import { meanOfLargest, topVote, vote } from '../../src/classifier/vote';

const sims = (entries: Record<string, number[]>) => new Map(Object.entries(entries));

describe('vote', () => {
  it('picks the nearest class with one example per class, where a k=3 majority would tie', () => {
    const votes = vote(sims({ a: [0.5], b: [0.9], c: [0.7] }), { k: 3, sharpness: 20 });
    expect(topVote(votes)?.classId).to.equal('b');
    expect(votes.map((v) => v.classId)).to.deep.equal(['a', 'b', 'c']);
  });

  it('gives graded confidences that sum to 1 and follow similarity', () => {
    const votes = vote(sims({ a: [0.8], b: [0.7] }), { k: 3, sharpness: 20 });
    const [a, b] = votes.map((v) => v.confidence);
    expect(a + b).to.be.closeTo(1, 1e-9);
    expect(a).to.be.greaterThan(b);
    expect(a).to.be.lessThan(1);
    expect(a).to.be.closeTo(1 / (1 + Math.exp(-2)), 1e-9);
  });

  it('is not swayed by a class that simply has more examples', () => {
    // b has many mediocre examples, a has two close ones: a plain top-5 majority would pick b.
    const votes = vote(sims({ a: [0.95, 0.94], b: [0.9, 0.9, 0.9, 0.9, 0.9, 0.9] }), { k: 3, sharpness: 20 });
    expect(topVote(votes)?.classId).to.equal('a');
  });

  it('uses only the k nearest examples of each class', () => {
    const votes = vote(sims({ a: [0.9, 0.1, 0.1], b: [0.6, 0.6, 0.6] }), { k: 1, sharpness: 20 });
    expect(topVote(votes)?.classId).to.equal('a');
    const wide = vote(sims({ a: [0.9, 0.1, 0.1], b: [0.6, 0.6, 0.6] }), { k: 3, sharpness: 20 });
    expect(topVote(wide)?.classId).to.equal('b');
  });

  it('gives classes without examples zero confidence and returns nothing when no class has any', () => {
    const votes = vote(sims({ a: [], b: [0.2] }), { k: 3, sharpness: 20 });
    expect(votes[0].confidence).to.equal(0);
    expect(votes[1].confidence).to.equal(1);
    expect(vote(sims({ a: [], b: [] }), { k: 3, sharpness: 20 })).to.deep.equal([]);
    expect(vote(new Map(), { k: 3, sharpness: 20 })).to.deep.equal([]);
  });

  it('stays finite with extreme sharpness', () => {
    const votes = vote(sims({ a: [1], b: [-1] }), { k: 3, sharpness: 1e6 });
    expect(votes[0].confidence).to.equal(1);
    expect(votes[1].confidence).to.equal(0);
  });

  it('breaks exact ties towards the earlier class', () => {
    expect(topVote(vote(sims({ a: [0.5], b: [0.5] }), { k: 3, sharpness: 20 }))?.classId).to.equal('a');
  });

  it('refuses k below 1 or a non-finite sharpness', () => {
    expect(() => vote(sims({ a: [1] }), { k: 0, sharpness: 20 })).to.throw(RangeError);
    expect(() => vote(sims({ a: [1] }), { k: 3, sharpness: Number.NaN })).to.throw(RangeError);
  });

  it('meanOfLargest averages the k largest', () => {
    expect(meanOfLargest([1, 5, 3, 4], 2)).to.equal(4.5);
    expect(meanOfLargest([2], 3)).to.equal(2);
  });
});
