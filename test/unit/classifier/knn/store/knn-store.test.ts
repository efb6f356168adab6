import { expect, waitUntil } from '@open-wc/testing';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../../../../../src/platform/backend';
import { spaceSimilarities } from '../../../../../src/classifier/analysis/feature-space';
import { EXACT_CLASS_ROWS, KnnClassifier } from '../../../../../src/classifier/knn/knn';
import { DEFAULT_VOTE, meanOfLargest, softMaximum, SOFT_NEAREST_TEMPERATURE } from '../../../../../src/classifier/knn/vote';
import { seededRandom } from '../../../../helpers/tiny-model';

const DIM = 72; // not a multiple of 32: rows and the index are padded

/** Post-ReLU-like rows clustered around `centres` centres, `perCentre` each (more than EXACT_CLASS_ROWS). */
function activations(seed: number, centres: number, perCentre: number): Float32Array[] {
  const random = seededRandom(seed);
  return Array.from({ length: centres }, () => {
    const centre = Array.from({ length: DIM }, () => (random() < 0.5 ? 0 : 3 * random()));
    return Float32Array.from({ length: perCentre * DIM }, (_, i) => Math.max(0, centre[i % DIM] + 1.5 * (random() - 0.5)));
  });
}

function unitRows(flat: Float32Array): Float32Array {
  const out = flat.slice();
  for (let r = 0; r < out.length / DIM; r++) {
    const row = out.subarray(r * DIM, (r + 1) * DIM);
    const norm = Math.hypot(...row);
    for (let i = 0; i < DIM; i++) row[i] /= norm;
  }
  return out;
}

async function predict(classifier: KnnClassifier, query: ArrayLike<number>, ids: string[], options = DEFAULT_VOTE) {
  const t = tf.tensor1d(Array.from(query));
  try {
    return await classifier.predict(t.dataSync<'float32'>(), ids, options);
  } finally {
    t.dispose();
  }
}

describe('KnnClassifier store: classes larger than the exact threshold', () => {
  const ids = ['a', 'b', 'c'];
  const perClass = 3 * EXACT_CLASS_ROWS + 7;
  let classifier: KnnClassifier;
  let data: Float32Array[];

  before(async () => {
    await useBackend('wasm');
  });

  beforeEach(() => {
    classifier = new KnnClassifier();
    data = activations(31, ids.length, perClass);
    ids.forEach((id, c) => classifier.setClassVectors(id, data[c], DIM));
  });

  afterEach(() => classifier.dispose());

  it('scores each class within a few thousandths of the exact space, with its nearest example exact', async () => {
    const queries = activations(32, 6, 1);
    let worst = 0;
    for (const q of queries) {
      const exact = spaceSimilarities(ids.map((id) => classifier.classVectors(id)), DIM, q);
      const result = await predict(classifier, q, ids);
      result.votes.forEach((v, c) => {
        const exactScore = softMaximum(exact[c], SOFT_NEAREST_TEMPERATURE);
        worst = Math.max(worst, Math.abs(v.similarity - exactScore));
        // The soft maximum is at least the mean and at most the maximum; the nearest example is never approximated.
        expect(v.similarity).to.be.at.most(Math.max(...exact[c]) + 1e-5);
      });
      const exactWinner = exact.map((s) => softMaximum(s, SOFT_NEAREST_TEMPERATURE)).indexOf(Math.max(...exact.map((s) => softMaximum(s, SOFT_NEAREST_TEMPERATURE))));
      expect(result.classId).to.equal(ids[exactWinner]);
    }
    expect(worst, 'largest class-score error').to.be.below(3e-3);
  });

  it("finds each class's k nearest by plain cosine exactly ('mean-of-k', the knn-classifier reference)", async () => {
    for (const q of activations(33, 4, 1)) {
      const unitQuery = unitRows(q);
      const result = await predict(classifier, q, ids, { k: 5, sharpness: 20, method: 'mean-of-k' });
      result.votes.forEach((v, c) => {
        const rows = unitRows(data[c]);
        const cosines = Array.from({ length: perClass }, (_, r) => rows.subarray(r * DIM, (r + 1) * DIM).reduce((s, x, i) => s + x * unitQuery[i], 0));
        expect(v.similarity).to.be.closeTo(meanOfLargest(cosines, 5), 1e-5);
      });
    }
  });

  it('keeps recorded rows in order across blocks, and reuses the memory of a cleared class', async () => {
    const before = classifier.classVectors('b');
    const record = () => {
      // One at a time, as while recording: blocks of 16, 32, ... rows, each example copied once.
      for (let r = 0; r < perClass; r++) {
        const t = tf.tensor1d(before.subarray(r * DIM, (r + 1) * DIM));
        classifier.addExample('b', t.dataSync<'float32'>());
        t.dispose();
      }
    };
    classifier.clearClass('b');
    record();
    expect(Array.from(classifier.classVectors('b'))).to.deep.equal(Array.from(before));
    expect(Array.from(await classifier.readClassVectors('b', perClass - 3))).to.deep.equal(Array.from(before.subarray((perClass - 3) * DIM)));
    const bytes = classifier.memoryBytes;
    classifier.clearClass('b');
    record();
    expect(classifier.memoryBytes, 'the blocks freed by the clear were reused').to.equal(bytes);
    classifier.clearClass('b');
    classifier.setClassVectors('b', before, DIM);
    expect(classifier.memoryBytes, 'and a class loaded at once fits in what was freed').to.be.at.most(bytes);
  });

  it('lets its memory go once every class is cleared, then starts again, even with a fit running', async () => {
    expect(classifier.memoryBytes).to.be.above(0);
    const before = await predict(classifier, data[0].subarray(0, DIM), ids);
    // A recording stops: a fit starts in the background, and the classes are cleared while it runs.
    classifier.writeClasses(new Map([['a', data[0].subarray(0, DIM)]]), DIM, 'append');
    await predict(classifier, data[0].subarray(0, DIM), ids);
    await predict(classifier, data[0].subarray(0, DIM), ids);
    ids.forEach((id) => classifier.clearClass(id));
    expect(classifier.memoryBytes).to.equal(0);
    await classifier.settled();
    const empty = await predict(classifier, data[0].subarray(0, DIM), ids);
    expect(empty.classId).to.equal(null);
    ids.forEach((id, c) => classifier.setClassVectors(id, data[c], DIM));
    const after = await predict(classifier, data[0].subarray(0, DIM), ids);
    expect(after.votes).to.deep.equal(before.votes);
  });

  it('fits again in the background once a recording stops, and gives the same votes as a store loaded at once', async () => {
    const q = activations(34, 1, 1)[0];
    await predict(classifier, q, ids);
    const extra = activations(35, 1, 40)[0];
    for (let r = 0; r < 40; r++) {
      classifier.writeClasses(new Map([['c', extra.subarray(r * DIM, (r + 1) * DIM)]]), DIM, 'append');
      await predict(classifier, q, ids);
    }
    await predict(classifier, q, ids); // nothing added since the last: starts the fit
    await classifier.settled();
    const refitted = await predict(classifier, q, ids);
    const loaded = new KnnClassifier();
    ids.forEach((id) => loaded.setClassVectors(id, classifier.classVectors(id), DIM));
    const fresh = await predict(loaded, q, ids);
    loaded.dispose();
    expect(refitted.votes).to.deep.equal(fresh.votes);
  });

  it('a class cleared while its fit runs is left out of the answer, and nothing breaks', async () => {
    const q = activations(36, 1, 1)[0];
    classifier.setClassVectors('c', data[0], DIM); // a replaced class: the next predict must fit first
    const pending = predict(classifier, q, ids);
    classifier.clearClass('a');
    const result = await pending;
    expect(result.votes.map((v) => v.classId)).to.deep.equal(ids);
    expect(result.votes[0].confidence).to.equal(0);
    expect(result.classId).to.not.equal('a');
  });
});

describe('KnnClassifier store memory while recording', () => {
  before(async () => {
    await useBackend('wasm');
  });

  it('grows by about the bytes of the examples added, however often the space is fitted again', async () => {
    const classifier = new KnnClassifier();
    const ids = ['a', 'b'];
    const data = activations(41, 2, 300);
    const q = activations(42, 1, 1)[0];
    const recordTurn = async (turn: number) => {
      // 30 frames of one class, a predict after each, then one more predict: the recording stops and a fit runs.
      const c = turn % 2;
      for (let r = 0; r < 30; r++) {
        const row = 30 * Math.floor(turn / 2) + r;
        classifier.writeClasses(new Map([[ids[c], data[c].subarray(row * DIM, (row + 1) * DIM)]]), DIM, 'append');
        await predict(classifier, q, ids);
      }
      await predict(classifier, q, ids);
      await classifier.settled();
    };
    for (let turn = 0; turn < 4; turn++) await recordTurn(turn);
    const before = { bytes: classifier.memoryBytes, examples: classifier.totalExamples };
    for (let turn = 4; turn < 20; turn++) await recordTurn(turn);
    const added = classifier.totalExamples - before.examples;
    const perExample = (classifier.memoryBytes - before.bytes) / added;
    // An example is 4 x 96 bytes here (its 8-bit index row and its residuals' 16- and 8-bit rows, each padded to 32
    // numbers), plus a few numbers per row; blocks are allocated ahead (at most a quarter of a class's rows, or 16).
    expect(perExample, 'bytes per added example').to.be.below(1.5 * 4 * 96 + 32);
    classifier.dispose();
  });
});

describe('KnnClassifier store: the scan on two threads', () => {
  before(async () => {
    await useBackend('wasm');
  });

  it('gives bit for bit the votes of the scan on the page alone, once its worker is up', async function () {
    if (!crossOriginIsolated) {
      console.warn('Skipping: a shared memory needs a cross-origin isolated page.');
      this.skip();
    }
    const ids = ['a', 'b', 'c', 'd'];
    const data = activations(51, ids.length, 700); // 2,800 rows: enough to be split
    const parallel = new KnnClassifier();
    const alone = new KnnClassifier({ parallelScan: false });
    ids.forEach((id, c) => {
      parallel.setClassVectors(id, data[c], DIM);
      alone.setClassVectors(id, data[c], DIM);
    });
    await waitUntil(() => parallel.parallelScan, 'the scan worker never started', { timeout: 10000 });
    expect(alone.parallelScan).to.equal(false);
    for (const q of activations(52, 8, 1)) {
      const [both, one] = [await predict(parallel, q, ids), await predict(alone, q, ids)];
      expect(both.votes).to.deep.equal(one.votes);
    }
    parallel.dispose();
    alone.dispose();
  });
});

describe('KnnClassifier store: exact rows in four bytes a number', () => {
  before(async () => {
    await useBackend('wasm');
  });

  /** Unit rows of `dim` numbers with every kind of number the residual window does not hold. */
  function awkwardRows(dim: number, rows: number): Float32Array {
    const random = seededRandom(dim);
    const flat = new Float32Array(rows * dim);
    for (let r = 0; r < rows; r++) {
      const row = flat.subarray(r * dim, (r + 1) * dim);
      for (let i = 0; i < dim; i++) {
        const kind = (i + r) % 9;
        row[i] =
          kind === 0 ? 0 : kind === 1 ? -random() : kind === 2 ? 1e-30 * random() : kind === 3 ? 1e-40 : kind === 4 ? -0 : kind === 5 ? 1e-4 * random() : random();
      }
      let squares = 0;
      for (let i = 0; i < dim; i++) squares += row[i] * row[i];
      const norm = Math.sqrt(squares);
      for (let i = 0; i < dim; i++) row[i] /= norm;
    }
    return flat;
  }

  const bits = (values: Float32Array) => Array.from(new Uint32Array(values.buffer, values.byteOffset, values.length));

  it('gives back every number bit for bit: zeros, negatives, tiny and subnormal ones included', async () => {
    for (const dim of [72, 1280]) {
      const classifier = new KnnClassifier();
      // Unit rows pass through unscaled, so what comes back must be the very bits put in.
      const rows = awkwardRows(dim, 40);
      classifier.setClassVectors('a', rows, dim);
      const added = awkwardRows(dim, 3);
      for (let r = 0; r < 3; r++) {
        const t = tf.tensor1d(added.subarray(r * dim, (r + 1) * dim));
        classifier.addExample('a', t.dataSync<'float32'>());
        t.dispose();
      }
      const expected = new Float32Array([...rows, ...added]);
      const norms = Array.from({ length: expected.length / dim }, (_, r) => Math.hypot(...expected.subarray(r * dim, (r + 1) * dim)));
      // Rows already of unit length (within 1e-6) are kept as given.
      if (norms.some((n) => Math.abs(n - 1) > 1e-6)) expect.fail('the test rows are not of unit length');
      expect(bits(classifier.classVectors('a')), `dim ${dim}`).to.deep.equal(bits(expected));
      // 'mean-of-k' reads the decoded rows: its cosine with a stored row is that row's length, 1.
      const vote = await predict(classifier, expected.subarray(5 * dim, 6 * dim), ['a'], { method: 'mean-of-k', k: 1, sharpness: 20 });
      expect(vote.votes[0].similarity).to.be.closeTo(1, 1e-5);
      classifier.dispose();
    }
  });

  it('holds 1,280-number examples in 4 bytes a number, plus a few bytes a row', () => {
    const classifier = new KnnClassifier();
    const dim = 1280;
    const small = unitRowsOf(dim, 16, 1);
    classifier.setClassVectors('a', small, dim);
    const before = classifier.memoryBytes;
    // Enough rows that the memory's growth by 64 KB pages and a class's first chunk of exceptions (16 KB) cost a
    // few bytes a row, as they do in a store of any size.
    const rows = 4096;
    classifier.setClassVectors('b', unitRowsOf(dim, rows, 2), dim);
    const perExample = (classifier.memoryBytes - before) / rows;
    expect(perExample).to.be.at.least(4 * dim);
    expect(perExample).to.be.below(4 * dim + 64);
    classifier.dispose();
  });
});

/** `rows` non-negative unit rows of `dim` numbers. */
function unitRowsOf(dim: number, rows: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  const flat = Float32Array.from({ length: rows * dim }, () => random());
  for (let r = 0; r < rows; r++) {
    const row = flat.subarray(r * dim, (r + 1) * dim);
    const norm = Math.hypot(...row);
    for (let i = 0; i < dim; i++) row[i] /= norm;
  }
  return flat;
}


describe('KnnClassifier store: memory that is not shared', () => {
  before(async () => {
    await useBackend('wasm');
  });

  it('fits whatever the store size, though decoding a row may grow (and so detach) the memory', async () => {
    const dim = 1280;
    // Some of these sizes leave the memory too full for the room a fit's first decoded row of a class takes.
    const ids = Array.from({ length: 10 }, (_, c) => `c${c}`);
    for (let rows = 20; rows <= 120; rows += 10) {
      const classifier = new KnnClassifier({ parallelScan: false });
      ids.forEach((id, c) => classifier.setClassVectors(id, unitRowsOf(dim, rows, rows + c), dim));
      const result = await predict(classifier, unitRowsOf(dim, 1, 3), ids);
      expect(result.classId, `${rows} rows a class`).to.not.equal(null);
      classifier.dispose();
    }
  });
});
