import { expect } from '@open-wc/testing';
import { barValues, PredictionStream, streamFrameOf, voteBarValues, type StreamFrame } from '../../../src/pipeline/prediction-stream';

const labels: Record<string, string> = { a: 'Apple', b: 'Banana', c: 'Cherry' };
const labelOf = (id: string) => labels[id] ?? null;

/** A frame where `top` has confidence `p` and the other classes share the rest. */
function frame(top: string | null, p = 0.7, ids = ['a', 'b'], time = 0): StreamFrame {
  const leader = top ?? ids[0];
  const rest = (1 - p) / (ids.length - 1);
  return { mode: 'knn', votes: ids.map((classId) => ({ classId, confidence: classId === leader ? p : rest })), top, time };
}

function stableTops(stream: PredictionStream, tops: (string | null)[]): (string | null)[] {
  return tops.map((top) => stream.push(frame(top)).prediction.classId);
}

describe('PredictionStream', () => {
  it('follows every frame with smoothing off', () => {
    const stream = new PredictionStream(labelOf, 'off');
    expect(stableTops(stream, ['a', 'b', 'a', 'b'])).to.deep.equal(['a', 'b', 'a', 'b']);
  });

  it('ignores a one-frame blip that smoothing off would show', () => {
    const tops = ['a', 'a', 'a', 'b', 'a', 'a', 'b', 'a', 'a'];
    const low = stableTops(new PredictionStream(labelOf, 'low'), tops);
    const high = stableTops(new PredictionStream(labelOf, 'high'), tops);
    expect(low.slice(2)).to.deep.equal(Array(7).fill('a'));
    expect(high.slice(4)).to.deep.equal(Array(5).fill('a'));
  });

  it('switches after a real change, a few frames late, and reports it once', () => {
    const stream = new PredictionStream(labelOf, 'low');
    const changes = [...Array(5).fill('a'), ...Array(6).fill('b')].map((top, i) => stream.push(frame(top, 0.8, ['a', 'b'], i)).change);
    const fired = changes.map((c, i) => (c ? i : -1)).filter((i) => i >= 0);
    // To "a" on the second frame; to "b" on the third frame of "b": its average must lead by the margin twice.
    expect(fired).to.deep.equal([1, 7]);
    expect(changes[7]).to.deep.include({ classId: 'b', label: 'Banana', previousClassId: 'a', previousLabel: 'Apple', time: 7 });
    expect(changes[7]!.confidence).to.be.within(0.5, 0.8);
  });

  it('takes longer to switch with more smoothing', () => {
    const delay = (level: 'off' | 'low' | 'high') => {
      const stream = new PredictionStream(labelOf, level);
      for (let i = 0; i < 10; i++) stream.push(frame('a'));
      for (let i = 0; ; i++) if (stream.push(frame('b')).change) return i;
    };
    expect([delay('off'), delay('low'), delay('high')]).to.deep.equal([0, 2, 5]);
  });

  it('holds on through a close contest (hysteresis) where the raw top alternates', () => {
    const stream = new PredictionStream(labelOf, 'low');
    for (let i = 0; i < 5; i++) stream.push(frame('a', 0.8));
    let changes = 0;
    for (let i = 0; i < 20; i++) if (stream.push(frame(i % 2 ? 'a' : 'b', 0.52)).change) changes++;
    expect(changes).to.equal(0);
    expect(stream.stableClassId).to.equal('a');
  });

  it('reports unknown as a null class, and back', () => {
    const stream = new PredictionStream(labelOf, 'low');
    stableTops(stream, ['a', 'a', 'a']);
    const steps = [null, null, 'a', 'a'].map((top) => stream.push(frame(top)));
    expect(steps[1].change).to.deep.include({ classId: null, label: null, previousClassId: 'a', confidence: 0 });
    expect(steps[1].prediction.rawClassId).to.equal(null);
    expect(steps[3].change).to.deep.include({ classId: 'a', previousClassId: null });
  });

  it('moves on at once when the stable class is deleted, naming it as it was', () => {
    const current = new Map(Object.entries(labels));
    const stream = new PredictionStream((id) => current.get(id) ?? null, 'high');
    for (let i = 0; i < 6; i++) stream.push(frame('a', 0.6, ['a', 'b', 'c']));
    current.delete('a');
    const step = stream.push(frame('b', 0.6, ['b', 'c']));
    expect(step.change).to.deep.include({ classId: 'b', previousClassId: 'a', previousLabel: 'Apple' });
    expect(step.prediction.confidences.map((c) => c.classId)).to.deep.equal(['b', 'c']);
  });

  it('gives smoothed and raw confidences with current labels', () => {
    const stream = new PredictionStream(labelOf, 'low');
    stream.push(frame('a', 0.9));
    const { prediction } = stream.push({ mode: 'dense', votes: [{ classId: 'a', confidence: 0.5 }, { classId: 'b', confidence: 0.5 }], top: 'a', time: 42 });
    expect(prediction.mode).to.equal('dense');
    expect(prediction.time).to.equal(42);
    expect(prediction.confidences[0]).to.deep.equal({ classId: 'a', label: 'Apple', confidence: 0.7, raw: 0.5 });
    expect(prediction.confidences[1].confidence).to.be.closeTo(0.3, 1e-9);
  });

  it('reset forgets the stable class silently', () => {
    const stream = new PredictionStream(labelOf, 'off');
    stream.push(frame('a'));
    stream.reset();
    expect(stream.stableClassId).to.equal(null);
    expect(stream.push(frame('a')).change).to.deep.include({ previousClassId: null, classId: 'a' });
  });
});

describe('streamFrameOf', () => {
  const knn = { classId: 'a', votes: [{ classId: 'a', similarity: 0.9, confidence: 0.8 }, { classId: 'b', similarity: 0.2, confidence: 0.2 }] };
  const dense = { classId: 'b', confidences: [{ classId: 'a', confidence: 0.3 }, { classId: 'b', confidence: 0.7 }] };

  it("streams the k-NN's votes in 'knn' and 'both', with no top class when the frame is unknown", () => {
    expect(streamFrameOf('knn', knn, false, null, 5)).to.deep.equal({ mode: 'knn', votes: knn.votes, top: 'a', time: 5 });
    expect(streamFrameOf('both', knn, true, dense, 6)).to.deep.equal({ mode: 'both', votes: knn.votes, top: null, time: 6 });
  });

  it("streams the dense head's confidences in 'dense', with no top class when the frame is unknown, and nothing while there is no head", () => {
    expect(streamFrameOf('dense', knn, false, dense, 7)).to.deep.equal({ mode: 'dense', votes: dense.confidences, top: 'b', time: 7 });
    expect(streamFrameOf('dense', knn, true, dense, 7)).to.deep.equal({ mode: 'dense', votes: dense.confidences, top: null, time: 7 });
    expect(streamFrameOf('dense', knn, false, null, 8)).to.equal(null);
  });
});

describe('barValues', () => {
  const classes = [
    { id: 'a', label: 'Apple', color: '#0072b2' },
    { id: 'b', label: 'Banana', color: '#e69f00' },
    { id: 'c', label: 'Cherry', color: '#009e73' },
  ];

  it("gives each class its smoothed or raw confidence and its own colour; 0 for a class the frame did not see", () => {
    const stream = new PredictionStream(labelOf, 'low');
    stream.push(frame('a', 0.9));
    const detail = stream.push(frame('b', 0.9)).prediction;
    const smoothed = barValues(detail, classes, false);
    expect(smoothed.map((b) => b.color)).to.deep.equal(['#0072b2', '#e69f00', '#009e73']);
    expect(smoothed[1].confidence).to.be.closeTo(0.1 + 0.5 * 0.8, 1e-9);
    expect(barValues(detail, classes, true)[1].confidence).to.equal(0.9);
    expect(smoothed[2]).to.deep.equal({ classId: 'c', label: 'Cherry', confidence: 0, color: '#009e73' });
    expect(barValues(null, classes, false).map((b) => b.confidence)).to.deep.equal([0, 0, 0]);
  });

  it("gives a frame's own votes the same bars, 0 for a class without a vote", () => {
    const votes = [
      { classId: 'b', confidence: 0.75 },
      { classId: 'a', confidence: 0.25 },
    ];
    expect(voteBarValues(votes, classes)).to.deep.equal([
      { classId: 'a', label: 'Apple', confidence: 0.25, color: '#0072b2' },
      { classId: 'b', label: 'Banana', confidence: 0.75, color: '#e69f00' },
      { classId: 'c', label: 'Cherry', confidence: 0, color: '#009e73' },
    ]);
    expect(voteBarValues(undefined, classes).map((b) => b.confidence)).to.deep.equal([0, 0, 0]);
  });
});
