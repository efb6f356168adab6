import { expect } from '@open-wc/testing';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../../../../src/platform/backend';
import { spaceSimilarities } from '../../../../src/classifier/analysis/feature-space';
import { KnnClassifier, MAX_EXACT_CANDIDATES } from '../../../../src/classifier/knn/knn';
import { DEFAULT_VOTE, softMaximum, SOFT_NEAREST_TEMPERATURE } from '../../../../src/classifier/knn/vote';
import { seededRandom } from '../../../helpers/tiny-model';

const DIM = 384;
const RUN = 120;
const RUNS_PER_CLASS = 2;

/** A post-ReLU-like row: about half its numbers 0. */
function baseRow(random: () => number): Float32Array {
  return Float32Array.from({ length: DIM }, () => (random() < 0.5 ? 0 : 3 * random()));
}

/** `base` with camera-like noise: `level` x the row's rms on every number, kept non-negative. */
function frameOf(base: Float32Array, level: number, random: () => number): Float32Array {
  const rms = Math.hypot(...base) / Math.sqrt(DIM);
  return base.map((x) => Math.max(0, x + level * rms * (random() - 0.5) * Math.sqrt(12)));
}

/** Per class, RUNS_PER_CLASS held-button runs of RUN near-duplicates each; and the bases of the runs. */
function heldButton(seed: number, classes: number, level: number): { rows: Float32Array[]; bases: Float32Array[][] } {
  const random = seededRandom(seed);
  const bases = Array.from({ length: classes }, () => Array.from({ length: RUNS_PER_CLASS }, () => baseRow(random)));
  const rows = bases.map((runs) => {
    const flat = new Float32Array(RUNS_PER_CLASS * RUN * DIM);
    runs.forEach((base, run) => {
      for (let t = 0; t < RUN; t++) flat.set(frameOf(base, level, random), (run * RUN + t) * DIM);
    });
    return flat;
  });
  return { rows, bases };
}

async function predict(classifier: KnnClassifier, query: Float32Array, ids: string[]) {
  const t = tf.tensor1d(query);
  try {
    return await classifier.predict(t.dataSync<'float32'>(), ids, DEFAULT_VOTE);
  } finally {
    t.dispose();
  }
}

describe('KnnClassifier store: held-button runs of near-duplicates', () => {
  const ids = ['a', 'b', 'c'];

  before(async () => {
    await useBackend('wasm');
  });

  for (const level of [0.002, 0.03]) {
    it(`votes as the exact space does, computing few rows exactly (noise ${level} of a row's rms)`, async () => {
      const { rows, bases } = heldButton(61, ids.length, level);
      const store = new KnnClassifier();
      const allExact = new KnnClassifier({ exactClassRows: Infinity });
      ids.forEach((id, c) => {
        store.setClassVectors(id, rows[c], DIM);
        allExact.setClassVectors(id, rows[c], DIM);
      });
      const random = seededRandom(62);
      // New frames of stored runs (the user showing the same things again), of the first two classes.
      const queries = bases.slice(0, 2).map((runs) => frameOf(runs[0], level, random));
      const stored = ids.map((id) => store.classVectors(id));
      let worst = 0;
      let rescoredMost = 0;
      for (const q of queries) {
        const exact = spaceSimilarities(stored, DIM, q);
        const exactScores = exact.map((s) => softMaximum(s, SOFT_NEAREST_TEMPERATURE));
        const before = store.rescoredRows;
        const ours = await predict(store, q, ids);
        rescoredMost = Math.max(rescoredMost, store.rescoredRows - before);
        const reference = await predict(allExact, q, ids);
        expect(ours.classId).to.equal(ids[exactScores.indexOf(Math.max(...exactScores))]);
        expect(ours.classId).to.equal(reference.classId);
        ours.votes.forEach((v, c) => {
          worst = Math.max(worst, Math.abs(v.similarity - exactScores[c]));
          expect(v.similarity).to.be.at.most(Math.max(...exact[c]) + 1e-5);
          expect(v.confidence).to.be.closeTo(reference.votes[c].confidence, 0.02);
        });
      }
      expect(worst, 'largest class-score error').to.be.below(3e-3);
      expect(rescoredMost, 'rows computed exactly for one query').to.be.at.most(ids.length * MAX_EXACT_CANDIDATES);
      store.dispose();
      allExact.dispose();
    });
  }
});
