import { expect } from '@open-wc/testing';
import * as tf from '@tensorflow/tfjs';
import * as knnClassifier from '@tensorflow-models/knn-classifier';
import { KnnClassifier } from '../../../../src/classifier/knn/knn';
import { nextTask } from '../../../../src/platform/next-task';
import { seededRandom } from '../../../helpers/tiny-model';
import { addFromTensor, freshStoreEachTest, predictFromTensor } from '../../../helpers/knn-store';

const DIM = 32;

/** Random vectors of random length near 1 (the classifier must not care about length: cosine similarity). */
function randomVectors(seed: number, count: number, dim = DIM): number[][] {
  const random = seededRandom(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return Array.from({ length: count }, () => {
    const v = Array.from({ length: dim }, gaussian);
    const scale = (0.5 + random()) / Math.hypot(...v);
    return v.map((x) => x * scale);
  });
}

const cosine = (a: number[], b: number[]) => {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i] * b[i];
  return dot / (Math.hypot(...a) * Math.hypot(...b));
};

const add = addFromTensor;

// These tests pin plain cosine similarity ('mean-of-k'); the default vote's own are in knn-soft-nearest.test.ts.
function predict(classifier: KnnClassifier, vector: number[], classIds: string[], k = 3) {
  return predictFromTensor(classifier, vector, classIds, { k, sharpness: 20, method: 'mean-of-k' });
}

describe('KnnClassifier', () => {
  let classifier: KnnClassifier;
  freshStoreEachTest((fresh) => (classifier = fresh));

  it('keeps a copy of each example outside tfjs: the caller disposes its own tensor, and no tensor is held', async () => {
    const [a1, a2, b1, query] = randomVectors(1, 4);
    const start = tf.memory().numTensors;
    add(classifier, 'a', a1);
    add(classifier, 'a', a2);
    add(classifier, 'b', b1);
    expect(tf.memory().numTensors).to.equal(start);
    expect(classifier.memoryBytes).to.be.greaterThan(3 * DIM * 4);
    // The stored copy survives the caller disposing its tensor (add() disposed it).
    const before = tf.memory().numTensors;
    const result = await predict(classifier, query, ['a', 'b']);
    expect(tf.memory().numTensors).to.equal(before);
    expect(result.votes.find((v) => v.classId === 'a')!.similarity).to.be.closeTo(
      (cosine(query, a1) + cosine(query, a2)) / 2,
      1e-5,
    );
    classifier.dispose();
    expect(tf.memory().numTensors).to.equal(start);
    classifier = new KnnClassifier();
  });

  it('predict allocates nothing that outlives it, however often it runs', async () => {
    const vectors = randomVectors(2, 40);
    vectors.slice(0, 30).forEach((v, i) => add(classifier, `c${i % 3}`, v));
    const before = tf.memory().numTensors;
    for (const q of vectors.slice(30)) await predict(classifier, q, ['c0', 'c1', 'c2', 'empty']);
    expect(tf.memory().numTensors).to.equal(before);
  });

  it('finds the same nearest neighbour as knn-classifier used directly (k = 1, one example per class)', async () => {
    const classes = ['rock', 'paper', 'scissors', 'lizard', 'spock'];
    const examples = randomVectors(3, classes.length);
    const reference = knnClassifier.create();
    classes.forEach((id, i) => {
      add(classifier, id, examples[i]);
      const t = tf.tensor1d(examples[i]);
      reference.addExample(t, id);
      t.dispose();
    });
    const winners = new Set<string>();
    for (const q of randomVectors(4, 200)) {
      const ours = await predict(classifier, q, classes, 1);
      const t = tf.tensor1d(q);
      const theirs = await reference.predictClass(t, 1);
      t.dispose();
      expect(ours.classId).to.equal(theirs.label);
      winners.add(theirs.label);
      // And the similarities are true cosines.
      ours.votes.forEach((v, i) => expect(v.similarity).to.be.closeTo(cosine(q, examples[i]), 1e-5));
    }
    // The queries exercised every class, so agreement is not an accident of one dominant class.
    expect(winners.size).to.equal(classes.length);
    reference.dispose();
  });

  it('counts examples per class and in total, and clears one class', () => {
    const vectors = randomVectors(5, 6);
    expect(classifier.totalExamples).to.equal(0);
    expect(classifier.exampleCount('a')).to.equal(0);
    vectors.slice(0, 4).forEach((v) => add(classifier, 'a', v));
    vectors.slice(4).forEach((v) => add(classifier, 'b', v));
    expect(classifier.exampleCount('a')).to.equal(4);
    expect(classifier.exampleCount('b')).to.equal(2);
    expect(classifier.totalExamples).to.equal(6);
    classifier.clearClass('a');
    expect(classifier.exampleCount('a')).to.equal(0);
    expect(classifier.exampleCount('b')).to.equal(2);
    expect(classifier.totalExamples).to.equal(2);
    expect(classifier.classIds).to.deep.equal(['b']);
    // Clearing a class with no examples is harmless.
    expect(() => classifier.clearClass('a')).to.not.throw();
    expect(() => classifier.clearClass('never-seen')).to.not.throw();
  });

  it('gives classes asked about with no examples confidence 0, and no winner when none has any', async () => {
    const [a, q] = randomVectors(6, 2);
    const nobody = await predict(classifier, q, ['x', 'y']);
    expect(nobody.classId).to.equal(null);
    expect(nobody.votes).to.deep.equal([
      { classId: 'x', similarity: 0, confidence: 0 },
      { classId: 'y', similarity: 0, confidence: 0 },
    ]);
    add(classifier, 'a', a);
    const result = await predict(classifier, q, ['x', 'a', 'y']);
    expect(result.votes.map((v) => v.classId)).to.deep.equal(['x', 'a', 'y']);
    expect(result.votes.map((v) => v.confidence)).to.deep.equal([0, 1, 0]);
    expect(result.classId).to.equal('a');
    // Classes that have examples but are not asked about take no part.
    const [b] = randomVectors(7, 1);
    add(classifier, 'b', b);
    const onlyA = await predict(classifier, b, ['a']);
    expect(onlyA.votes).to.have.length(1);
    expect(onlyA.classId).to.equal('a');
  });

  it('refuses an example or a query of another dimension, leaking nothing', async () => {
    const [a] = randomVectors(8, 1);
    add(classifier, 'a', a);
    const before = tf.memory().numTensors;
    expect(() => add(classifier, 'a', randomVectors(9, 1, DIM + 1)[0])).to.throw(/32/);
    expect(() => add(classifier, 'b', randomVectors(9, 1, DIM - 1)[0])).to.throw(/32/);
    expect(classifier.totalExamples).to.equal(1);
    expect(classifier.exampleCount('b')).to.equal(0);
    let rejected = false;
    try {
      await predict(classifier, randomVectors(10, 1, 16)[0], ['a']);
    } catch {
      rejected = true;
    }
    expect(rejected, 'a 16-number query against 32-number examples').to.equal(true);
    // add() and predict() dispose their own inputs, so the count is exact.
    expect(tf.memory().numTensors).to.equal(before);
  });

  it('an example added while a predict is pending does not shift the per-class results', async () => {
    const [a1, b1, b2, query] = randomVectors(11, 4);
    add(classifier, 'a', a1);
    add(classifier, 'b', b1);
    add(classifier, 'b', b2);
    const expected = await predict(classifier, query, ['a', 'b', 'c']);
    const q = tf.tensor1d(query);
    const pending = classifier.predict(q.dataSync<'float32'>(), ['a', 'b', 'c'], { k: 3, sharpness: 20, method: 'mean-of-k' });
    // Before the predict resolves: a's count grows (an exact copy of the query), and a new class appears.
    add(classifier, 'a', query);
    add(classifier, 'c', query);
    const raced = await pending;
    q.dispose();
    expect(raced.votes).to.deep.equal(expected.votes);
    expect(raced.classId).to.equal(expected.classId);
    // The next predict sees the new examples: the exact copies win.
    const after = await predict(classifier, query, ['a', 'b', 'c'], 1);
    expect(after.votes[0].similarity).to.be.closeTo(1, 1e-5);
    expect(after.votes[2].similarity).to.be.closeTo(1, 1e-5);
    expect(after.votes[1].similarity).to.be.closeTo(Math.max(cosine(query, b1), cosine(query, b2)), 1e-5);
  });

  it('a class cleared while a predict is pending does not break it', async () => {
    const [a1, b1, query] = randomVectors(12, 3);
    add(classifier, 'a', a1);
    add(classifier, 'b', b1);
    const expected = await predict(classifier, query, ['a', 'b']);
    const q = tf.tensor1d(query);
    const pending = classifier.predict(q.dataSync<'float32'>(), ['a', 'b'], { k: 3, sharpness: 20, method: 'mean-of-k' });
    classifier.clearClass('a');
    const raced = await pending;
    q.dispose();
    expect(raced.votes).to.deep.equal(expected.votes);
  });
});

describe('KnnClassifier reading and writing whole classes', () => {
  let classifier: KnnClassifier;
  freshStoreEachTest((fresh) => (classifier = fresh));

  const flat = (rows: number[][]) => Float32Array.from(rows.flat());
  /** Rows scaled to unit length from their float32 values, as the classifier does. */
  const unit = (rows: number[][]) =>
    flat(rows.map((r) => {
      const single = r.map(Math.fround);
      const norm = Math.sqrt(single.reduce((sum, x) => sum + x * x, 0));
      return single.map((x) => x / norm);
    }));

  it('reads rows from any offset without blocking, as they were when asked', async () => {
    const rows = randomVectors(20, 5);
    rows.forEach((v) => add(classifier, 'a', v));
    const pending = classifier.readClassVectors('a', 2);
    add(classifier, 'a', rows[0]); // after the read was asked for: not in it
    const tail = await pending;
    expect(tail.length).to.equal(3 * DIM);
    const all = await classifier.readClassVectors('a');
    expect(all.length).to.equal(6 * DIM);
    expect(Array.from(tail)).to.deep.equal(Array.from(all.subarray(2 * DIM, 5 * DIM)));
    expect(Array.from(all.subarray(0, DIM))).to.deep.equal(Array.from(classifier.classVectors('a').subarray(0, DIM)));
    expect((await classifier.readClassVectors('a', 6)).length).to.equal(0);
    expect((await classifier.readClassVectors('missing')).length).to.equal(0);
  });

  it('replaces and appends several classes at once, normalising rows and keeping unit rows bit for bit', async () => {
    const [a1, a2, b1, c1] = randomVectors(21, 4);
    add(classifier, 'a', a1);
    add(classifier, 'b', b1);
    const stored = classifier.classVectors('a');
    classifier.writeClasses(new Map([['a', stored], ['b', new Float32Array(0)], ['c', flat([c1])]]), DIM, 'replace');
    expect(Array.from(classifier.classVectors('a'))).to.deep.equal(Array.from(stored));
    expect(classifier.exampleCount('b')).to.equal(0);
    expect(Array.from(classifier.classVectors('c'))).to.deep.equal(Array.from(unit([c1])));
    classifier.writeClasses(new Map([['a', flat([a2])], ['d', flat([a2])]]), DIM, 'append');
    expect(classifier.exampleCount('a')).to.equal(2);
    expect(Array.from(classifier.classVectors('a').subarray(DIM))).to.deep.equal(Array.from(unit([a2])));
    expect(classifier.exampleCount('d')).to.equal(1);
    expect(classifier.totalExamples).to.equal(4);
    // Adding one by one still works on top.
    add(classifier, 'a', a1);
    expect(classifier.exampleCount('a')).to.equal(3);
  });

  it('changes nothing, and leaks nothing, when a write is refused', () => {
    const [a1] = randomVectors(22, 1);
    add(classifier, 'a', a1);
    const before = classifier.classVectors('a');
    const tensors = tf.memory().numTensors;
    expect(() => classifier.writeClasses(new Map([['a', new Float32Array(DIM)], ['b', new Float32Array(DIM + 1)]]), DIM, 'replace')).to.throw(/rows of 32/);
    expect(() => classifier.writeClasses(new Map([['b', new Float32Array(16)]]), 16, 'append')).to.throw(/32-number/);
    expect(Array.from(classifier.classVectors('a'))).to.deep.equal(Array.from(before));
    expect(classifier.exampleCount('b')).to.equal(0);
    expect(tf.memory().numTensors).to.equal(tensors);
  });
});

describe('KnnClassifier reading a large class in steps', () => {
  let classifier: KnnClassifier;
  freshStoreEachTest((fresh) => (classifier = fresh));
  const flat = (rows: number[][]) => Float32Array.from(rows.flat());
  // Not deep.equal: a failure's diff of 100,000 numbers takes minutes to print.
  const same = (a: Float32Array, b: Float32Array) => a.length === b.length && a.every((x, i) => Object.is(x, b[i]));

  it('reads 3,000 rows over several tasks, as they were when asked', async () => {
    classifier.writeClasses(new Map([['a', flat(randomVectors(30, 3000))]]), DIM, 'replace');
    const expected = classifier.classVectors('a');
    let done = false;
    const reading = classifier.readClassVectors('a').then((rows) => ((done = true), rows));
    // Recorded after the read was asked for: not part of it.
    add(classifier, 'a', randomVectors(31, 1)[0]);
    await nextTask();
    expect(done, 'read whole in the task that asked').to.equal(false);
    const read = await reading;
    expect(read.length).to.equal(3000 * DIM);
    expect(same(read, expected), 'the rows as they were').to.equal(true);
    expect(same(await classifier.readClassVectors('a', 2990), classifier.classVectors('a', 2990)), 'the last rows').to.equal(true);
  });

  it('starts again when the class is replaced or cleared during the read', async () => {
    classifier.writeClasses(new Map([['a', flat(randomVectors(32, 3000))]]), DIM, 'replace');
    const replaced = classifier.readClassVectors('a');
    await nextTask();
    classifier.setClassVectors('a', flat(randomVectors(33, 2500)), DIM);
    expect(same(await replaced, classifier.classVectors('a')), 'the new rows').to.equal(true);
    const cleared = classifier.readClassVectors('a');
    await nextTask();
    classifier.clearClass('a');
    expect((await cleared).length).to.equal(0);
  });
});
