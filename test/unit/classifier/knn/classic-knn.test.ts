import { expect } from '@open-wc/testing';
import * as tf from '@tensorflow/tfjs';
import * as knnClassifier from '@tensorflow-models/knn-classifier';
import { useBackend } from '../../../../src/platform/backend';
import { ClassicChoice, ClassicKnn } from '../../../../src/classifier/knn/classic-knn';
import { classicVote } from '../../../../src/classifier/knn/classic-vote';
import { KnnClassifier } from '../../../../src/classifier/knn/knn';
import { seededRandom } from '../../../helpers/tiny-model';

const DIM = 24;

function randomRows(seed: number, count: number): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length: count * DIM }, () => random() - 0.5);
}

function unitRows(rows: Float32Array): Float32Array {
  const out = rows.slice();
  for (let r = 0; r < rows.length / DIM; r++) {
    const row = out.subarray(r * DIM, (r + 1) * DIM);
    const norm = Math.hypot(...row);
    for (let i = 0; i < DIM; i++) row[i] /= norm;
  }
  return out;
}

/** The package fed directly, as its README does: one addExample per row, classes in `order`. */
async function packageAnswer(byClass: ReadonlyMap<string, Float32Array>, order: readonly string[], query: Float32Array, k: number) {
  const knn = knnClassifier.create();
  try {
    for (const id of order) {
      const rows = byClass.get(id);
      for (let r = 0; rows && r < rows.length / DIM; r++) {
        const x = tf.tensor1d(rows.subarray(r * DIM, (r + 1) * DIM));
        knn.addExample(x, id);
        x.dispose();
      }
    }
    const q = tf.tensor1d(query);
    const result = await knn.predictClass(q, k);
    q.dispose();
    return result;
  } finally {
    knn.dispose();
  }
}

function cosines(rows: Float32Array, query: Float32Array): Float32Array {
  const unit = unitRows(rows);
  const q = unitRows(query);
  return Float32Array.from({ length: rows.length / DIM }, (_, r) => unit.subarray(r * DIM, (r + 1) * DIM).reduce((s, x, i) => s + x * q[i], 0));
}

describe('ClassicKnn (knn-classifier fed from the store)', () => {
  let store: KnnClassifier;
  let classic: ClassicKnn;

  before(async () => {
    await useBackend('wasm');
  });

  beforeEach(() => {
    store = new KnnClassifier();
    classic = new ClassicKnn();
  });

  afterEach(() => {
    classic.dispose();
    store.dispose();
  });

  async function classify(query: Float32Array, classIds: readonly string[], k: number) {
    const q = tf.tensor1d(query);
    try {
      return await classic.predict(store, q.dataSync<'float32'>(), classIds, k);
    } finally {
      q.dispose();
    }
  }

  it("answers as the package's own predictClass does, and as classicVote computes, through appends, clears and reorders", async () => {
    const byClass = new Map([
      ['a', randomRows(1, 5)],
      ['b', randomRows(2, 2)],
      ['c', randomRows(3, 7)],
    ]);
    const order = ['c', 'a', 'b'];
    // Recorded out of the app's order, and partly before the first predict, partly after.
    store.setClassVectors('b', byClass.get('b')!, DIM);
    store.setClassVectors('a', byClass.get('a')!.subarray(0, 2 * DIM), DIM);
    const queries = randomRows(9, 12);
    let answered = 0;
    for (let q = 0; q < 12; q++) {
      const query = queries.subarray(q * DIM, (q + 1) * DIM);
      if (q === 3) store.writeClasses(new Map([['a', byClass.get('a')!.subarray(2 * DIM)]]), DIM, 'append');
      if (q === 5) store.setClassVectors('c', byClass.get('c')!, DIM);
      if (q === 8) {
        store.clearClass('b');
        classic.forget('b');
        byClass.delete('b');
      }
      for (const k of [1, 3, 5]) {
        const ours = await classify(query, order, k);
        const present = new Map([...byClass].filter(([id]) => store.exampleCount(id) > 0).map(([id]) => [id, store.classVectors(id)]));
        const theirs = await packageAnswer(present, order, query, k);
        const plain = classicVote(new Map(order.filter((id) => present.has(id)).map((id) => [id, cosines(present.get(id)!, query)])), k);
        expect(ours.classId, `query ${q}, k ${k}`).to.equal(theirs.label);
        expect(plain.classId, `query ${q}, k ${k}`).to.equal(theirs.label);
        for (const v of ours.votes) expect(v.confidence).to.be.closeTo(theirs.confidences[v.classId] ?? 0, 1e-6);
        answered++;
      }
    }
    expect(answered).to.equal(36);
  });

  it("gives each class its nearest example's cosine as its similarity, and nothing before any example", async () => {
    const query = randomRows(5, 1);
    expect((await classify(query, ['a'], 3)).classId).to.equal(null);
    const rows = randomRows(6, 4);
    store.setClassVectors('a', rows, DIM);
    const answer = await classify(query, ['a', 'empty'], 3);
    expect(answer.classId).to.equal('a');
    expect(answer.votes[0].similarity).to.be.closeTo(Math.max(...cosines(rows, query)), 1e-5);
    expect(answer.votes[1]).to.deep.equal({ classId: 'empty', similarity: 0, confidence: 0 });
  });

  it('starts again with another store (another model: another dimension)', async () => {
    store.setClassVectors('a', randomRows(1, 3), DIM);
    await classify(randomRows(2, 1), ['a'], 3);
    const other = new KnnClassifier();
    try {
      const wide = new Float32Array(3 * 2 * DIM).fill(0.5);
      other.setClassVectors('b', wide, 2 * DIM);
      const q = tf.tensor1d(new Float32Array(2 * DIM).fill(1));
      const answer = await classic.predict(other, q.dataSync<'float32'>(), ['a', 'b'], 3);
      q.dispose();
      expect(answer.classId).to.equal('b');
    } finally {
      other.dispose();
    }
  });

  it('leaves no tensor behind once the vote is switched away, 20 times over', async () => {
    const before = tf.memory().numTensors;
    const choice = new ClassicChoice();
    store.setClassVectors('a', randomRows(1, 4), DIM);
    store.setClassVectors('b', randomRows(2, 4), DIM);
    const q = tf.tensor1d(randomRows(3, 1));
    for (let i = 0; i < 20; i++) {
      choice.follow({ k: 3, sharpness: 30, method: 'knn-classifier' });
      await choice.predict(store, q.dataSync<'float32'>(), ['a', 'b'], 3);
      expect(choice.built).to.equal(true);
      expect(tf.memory().numTensors).to.be.greaterThan(before + 1);
      choice.follow({ k: 3, sharpness: 30 });
      expect(choice.built).to.equal(false);
      expect(tf.memory().numTensors).to.equal(before + 1);
    }
    q.dispose();
    expect(tf.memory().numTensors).to.equal(before);
  });
});
