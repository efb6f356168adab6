import { expect } from '@open-wc/testing';
import { longestStall } from '../../../../bench/page/timing';
import { calibrateInBackground, evaluateKnnInBackground, stopAnalysisWorker } from '../../../../src/classifier/analysis/analysis';
import { evaluateKnn } from '../../../../src/classifier/analysis/evaluate';
import type { TrainingData } from '../../../../src/classifier/training-data';
import { calibrateUnknown } from '../../../../src/classifier/knn/unknown';
import { seededRandom } from '../../../helpers/tiny-model';

/** Post-ReLU-like rows of 1,280 numbers around one centre per class, unit length. */
function trainingData(classes: number, perClass: number, seed: number): TrainingData {
  const dim = 1280;
  const random = seededRandom(seed);
  const vectors = Array.from({ length: classes }, () => {
    const centre = Array.from({ length: dim }, () => (random() < 0.5 ? 0 : random()));
    const rows = new Float32Array(perClass * dim);
    for (let r = 0; r < perClass; r++) {
      const row = rows.subarray(r * dim, (r + 1) * dim);
      for (let i = 0; i < dim; i++) row[i] = Math.max(0, centre[i] + 0.3 * (random() - 0.5));
      const norm = Math.hypot(...row);
      for (let i = 0; i < dim; i++) row[i] /= norm;
    }
    return rows;
  });
  return { classIds: vectors.map((_, c) => `class-${c}`), vectors, dim };
}

describe('analysis in a worker', () => {
  after(() => stopAnalysisWorker());

  it('calibrates exactly as on the page, while the page keeps running', async () => {
    const data = trainingData(4, 120, 1);
    await calibrateInBackground(trainingData(2, 3, 9)); // the worker's start-up is not what is measured
    const { result, maxStallMs } = await longestStall(() => calibrateInBackground(data));
    const started = performance.now();
    const onPage = calibrateUnknown(data);
    const onPageMs = performance.now() - started;
    expect(Array.from(result.heldOutScores)).to.deep.equal(Array.from(onPage.heldOutScores));
    expect(result.heldOutScores.length).to.be.greaterThan(100);
    // On the page the calibration blocks it for its whole length; in the worker the page's timers keep running
    // (their longest gap is what a loaded machine's scheduling gives, far below the calibration's length).
    expect(onPageMs, 'the calibration is long enough to tell').to.be.above(300);
    expect(maxStallMs, `longest stall of the page (ms), against ${Math.round(onPageMs)} ms on the page`).to.be.below(onPageMs / 3);
  });

  it('moves the vectors to the worker when asked, with the same result as copying them', async () => {
    const copied = trainingData(3, 30, 4);
    const moved = trainingData(3, 30, 4);
    const expected = await calibrateInBackground(copied);
    expect(copied.vectors.every((v) => v.length === 30 * 1280), 'copied: the page keeps its vectors').to.equal(true);
    const result = await calibrateInBackground(moved, {}, true);
    expect(Array.from(result.heldOutScores)).to.deep.equal(Array.from(expected.heldOutScores));
    expect(Array.from(result.heldOutScores).length).to.be.greaterThan(0);
    expect(moved.vectors.map((v) => v.length), 'moved: the page gave its vectors up').to.deep.equal([0, 0, 0]);
  });

  it('copies, even when asked to move, a view into a larger buffer', async () => {
    const data = trainingData(2, 20, 5);
    const whole = new Float32Array(data.vectors[0].length + data.vectors[1].length);
    whole.set(data.vectors[0]);
    whole.set(data.vectors[1], data.vectors[0].length);
    const views = { ...data, vectors: [whole.subarray(0, data.vectors[0].length), whole.subarray(data.vectors[0].length)] };
    const result = await calibrateInBackground(views, {}, true);
    expect(Array.from(result.heldOutScores)).to.deep.equal(Array.from(calibrateUnknown(data).heldOutScores));
    expect(whole.length, 'the shared buffer stays on the page').to.equal(40 * 1280);
  });

  it('cross-validates the k-NN exactly as on the page', async () => {
    const data = trainingData(3, 40, 2);
    const options = { folds: 5 } as const;
    expect(await evaluateKnnInBackground(data, options)).to.deep.equal(evaluateKnn(data, options));
  });

  it('reports an error thrown in the worker as an error', async () => {
    let message = '';
    try {
      await evaluateKnnInBackground({ classIds: ['a'], vectors: [new Float32Array(3)], dim: 2 }, { folds: 5 });
    } catch (error) {
      message = error instanceof Error ? error.message : String(error);
    }
    let expected = '';
    try {
      evaluateKnn({ classIds: ['a'], vectors: [new Float32Array(3)], dim: 2 }, { folds: 5 });
    } catch (error) {
      expected = error instanceof Error ? error.message : String(error);
    }
    expect(expected, 'the page refuses this data too').to.not.equal('');
    expect(message).to.equal(expected);
  });

  it('runs on the page where no worker can start (a policy that refuses workers)', async () => {
    stopAnalysisWorker();
    const RealWorker = globalThis.Worker;
    globalThis.Worker = class {
      constructor() {
        throw new DOMException('Refused by worker-src', 'SecurityError');
      }
    } as unknown as typeof Worker;
    try {
      const data = trainingData(2, 10, 3);
      expect(Array.from((await calibrateInBackground(data)).heldOutScores)).to.deep.equal(Array.from(calibrateUnknown(data).heldOutScores));
    } finally {
      globalThis.Worker = RealWorker;
    }
  });
});
