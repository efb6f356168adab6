import { expect } from '@open-wc/testing';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../../../../src/platform/backend';
import { DEFAULT_DENSE_SETTINGS, DenseTrainingError, stopIdleTrainingWorker, trainDenseHead, type DenseHead, type EpochReport } from '../../../../src/classifier/dense-head/dense-head';
import { TrainingDataError, trainingFingerprint, type TrainingData } from '../../../../src/classifier/training-data';
import { seededRandom } from '../../../helpers/tiny-model';

const DIM = 16;

/** `perClass` noisy copies of a random centre for each class: well separated, so a head learns them quickly. */
function toyData(classes: number, perClass: number, seed = 1, noise = 0.3): TrainingData {
  const random = seededRandom(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const classIds = Array.from({ length: classes }, (_, c) => `class-${c}`);
  const vectors = classIds.map(() => {
    const centre = Array.from({ length: DIM }, gaussian);
    const rows = new Float32Array(perClass * DIM);
    for (let r = 0; r < perClass; r++) for (let i = 0; i < DIM; i++) rows[r * DIM + i] = centre[i] + noise * gaussian();
    return rows;
  });
  return { classIds, vectors, dim: DIM };
}

/** Rejection of `promise`, or null if it resolved (disposing what it resolved to). */
async function rejection(promise: Promise<{ dispose(): void }>): Promise<Error | null> {
  try {
    (await promise).dispose();
    return null;
  } catch (error) {
    return error as Error;
  }
}

describe('trainDenseHead', () => {
  before(async () => {
    await useBackend('wasm');
  });

  it('learns a separable toy set, reports every epoch and predicts tensor-neutrally', async () => {
    const data = toyData(3, 20);
    const before = tf.memory().numTensors;
    const reports: EpochReport[] = [];
    const head = await trainDenseHead(data, { epochs: 30, patience: 0 }, { onEpoch: (r) => reports.push(r) });
    expect(reports.map((r) => r.epoch)).to.deep.equal(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(reports[29].accuracy).to.equal(1);
    expect(reports[29].loss).to.be.lessThan(reports[0].loss);
    expect(reports[29].validationAccuracy).to.equal(1);
    expect(head.history).to.deep.equal(reports);
    expect(head.keptEpoch).to.equal(30);
    // Only the head's three weight tensors outlive training.
    expect(tf.memory().numTensors).to.equal(before + 3);

    const query = tf.tensor1d(data.vectors[1].slice(0, DIM));
    const during = tf.memory().numTensors;
    const prediction = await head.predict(query);
    expect(tf.memory().numTensors).to.equal(during);
    expect(prediction.classId).to.equal('class-1');
    expect(prediction.confidences.map((c) => c.classId)).to.deep.equal(data.classIds);
    expect(prediction.confidences.reduce((a, c) => a + c.confidence, 0)).to.be.closeTo(1, 1e-5);
    query.dispose();

    // Length does not matter: inputs are scaled to unit length, as the k-NN store keeps them.
    const scaled = tf.tensor1d(data.vectors[1].slice(0, DIM).map((x) => x * 7));
    expect((await head.predict(scaled)).classId).to.equal('class-1');
    scaled.dispose();
    head.dispose();
    expect(tf.memory().numTensors).to.equal(before);
    let message = '';
    await head.predictRows(new Float32Array(DIM)).catch((e: Error) => (message = e.message));
    expect(message).to.match(/disposed/);
  });

  it('holds out a share of every class for validation, never a class\'s only example', async () => {
    const data: TrainingData = {
      classIds: ['a', 'b', 'c'],
      vectors: [toyData(1, 20, 2).vectors[0], toyData(1, 7, 3).vectors[0], toyData(1, 1, 4).vectors[0]],
      dim: DIM,
    };
    const head = await trainDenseHead(data, { epochs: 2, validationFraction: 0.15 });
    const heldPerClass = [0, 1, 2].map((c) => head.validation.filter((v) => v.classIndex === c).length);
    // ceil(0.15 x 20) = 3, ceil(0.15 x 7) = 2, and the single example of c stays in training.
    expect(heldPerClass).to.deep.equal([3, 2, 0]);
    expect(new Set(head.validation.map((v) => `${v.classIndex}/${v.row}`)).size).to.equal(5);
    head.dispose();
    const none = await trainDenseHead(data, { epochs: 2, validationFraction: 0 });
    expect(none.validation).to.have.length(0);
    expect(none.history[1].validationLoss).to.equal(null);
    none.dispose();
  });

  it('stops early when the validation loss stops improving and keeps the best epoch', async () => {
    const data = toyData(2, 20, 5);
    const head = await trainDenseHead(data, { epochs: 200, learningRate: 0.05, patience: 3 });
    expect(head.stoppedEarly).to.equal(true);
    expect(head.history.length).to.be.lessThan(200);
    const losses = head.history.map((r) => r.validationLoss!);
    const best = Math.min(...losses);
    expect(losses[head.keptEpoch - 1]).to.equal(best);
    expect(head.history.length).to.equal(head.keptEpoch + 3);
    head.dispose();
  });

  it('repeats exactly with the same seed', async () => {
    const data = toyData(3, 10, 6);
    const a = await trainDenseHead(data, { epochs: 5, seed: 7 });
    const b = await trainDenseHead(data, { epochs: 5, seed: 7 });
    expect(a.history).to.deep.equal(b.history);
    a.dispose();
    b.dispose();
  });

  it('cancels in the middle of an epoch with an AbortError and leaks no tensors', async () => {
    const data = toyData(3, 40, 7);
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const epochs: number[] = [];
    const error = await rejection(
      trainDenseHead(data, { batchSize: 4, epochs: 50 }, {
        signal: controller.signal,
        onEpoch: (r) => epochs.push(r.epoch),
        onBatch: ({ epoch, batch }) => {
          if (epoch === 2 && batch === 3) controller.abort();
        },
      }),
    );
    expect(error?.name).to.equal('AbortError');
    expect(error?.message).to.match(/cancelled/);
    expect(epochs).to.deep.equal([1]);
    expect(tf.memory().numTensors).to.equal(before);
    // Already aborted: rejects before doing anything.
    expect((await rejection(trainDenseHead(data, {}, { signal: controller.signal })))?.name).to.equal('AbortError');
    expect(tf.memory().numTensors).to.equal(before);
  });

  it('yields to the event loop while it trains', async () => {
    const data = toyData(2, 32, 8);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const head = await trainDenseHead(data, { batchSize: 4, epochs: 10 });
    clearInterval(timer);
    head.dispose();
    expect(ticks, 'timers ran while training').to.be.greaterThan(0);
  });

  it('stops with a clear error when the loss stops being finite, leaking nothing', async () => {
    const data = toyData(3, 10, 9);
    const before = tf.memory().numTensors;
    const huge = await rejection(trainDenseHead(data, { learningRate: 1e30 }));
    expect(huge).to.be.instanceOf(DenseTrainingError);
    expect((huge as DenseTrainingError).reason).to.equal('loss-not-finite');
    expect(huge?.message).to.match(/loss became .* lower learning rate/);
    expect(tf.memory().numTensors).to.equal(before);
  });

  it('refuses NaN in the examples before training', async () => {
    const data = toyData(2, 5, 10);
    data.vectors[1][3] = Number.NaN;
    const error = await rejection(trainDenseHead(data));
    expect(error).to.be.instanceOf(TrainingDataError);
    expect(error?.message).to.match(/Example 1 of class "class-1" holds NaN/);
  });

  it('refuses fewer than 2 classes, an empty class and bad settings, with messages that say so', async () => {
    const before = tf.memory().numTensors;
    const one = toyData(1, 5);
    const oneError = await rejection(trainDenseHead(one));
    expect((oneError as TrainingDataError).reason).to.equal('too-few-classes');
    expect(oneError?.message).to.match(/at least 2 classes/);
    const empty: TrainingData = { ...toyData(2, 5), vectors: [toyData(1, 5).vectors[0], new Float32Array(0)] };
    const emptyError = await rejection(trainDenseHead(empty));
    expect((emptyError as TrainingDataError).reason).to.equal('empty-class');
    expect(emptyError?.message).to.match(/"class-1" has no examples/);
    const settingsError = await rejection(trainDenseHead(toyData(2, 5), { batchSize: 0, learningRate: -1 }));
    expect((settingsError as DenseTrainingError).reason).to.equal('settings');
    expect(settingsError?.message).to.match(/batchSize .* learningRate/);
    expect(tf.memory().numTensors).to.equal(before);
  });

  it('trains on a snapshot: examples deleted meanwhile do not disturb it, and the head is then stale', async () => {
    const data = toyData(2, 20, 11);
    const vectors = [...data.vectors];
    const live: TrainingData = { ...data, vectors };
    const original = data.vectors[1].slice();
    const training = trainDenseHead(live, { epochs: 5 }, {
      onBatch: ({ epoch, batch }) => {
        if (epoch === 1 && batch === 1) {
          // The app deletes a class's examples and overwrites the memory that held them.
          vectors[1] = new Float32Array(0);
          data.vectors[1].fill(Number.NaN);
        }
      },
    });
    const head = await training;
    expect(head.history).to.have.length(5);
    expect(head.history.every((r) => Number.isFinite(r.loss))).to.equal(true);
    expect(head.fingerprint).to.equal(trainingFingerprint({ ...data, vectors: [data.vectors[0], original] }));
    expect(head.isStale(live)).to.equal(true);
    expect(head.isStale({ ...data, vectors: [data.vectors[0], original] })).to.equal(false);
    head.dispose();
  });

  describe('where it trains', () => {
    const RealWorker = globalThis.Worker;
    let made: number;
    let jobs: number;

    /** Counts the workers made and the trainings sent to workers; `failing` makes every new worker fail that way. */
    function watchWorkers(failing: 'none' | 'refused' | 'no-script' = 'none') {
      made = 0;
      jobs = 0;
      globalThis.Worker = class extends RealWorker {
        constructor(url: string | URL, options?: WorkerOptions) {
          if (failing === 'refused') throw new DOMException('Refused by the policy.', 'SecurityError');
          super(failing === 'no-script' ? new URL('/no-such-worker-script.js', location.href) : url, options);
          made++;
        }
        override postMessage(message: unknown, transfer?: Transferable[] | StructuredSerializeOptions): void {
          jobs++;
          super.postMessage(message, transfer as Transferable[]);
        }
      };
    }

    beforeEach(() => stopIdleTrainingWorker());
    afterEach(() => {
      globalThis.Worker = RealWorker;
      stopIdleTrainingWorker();
    });

    const predictions = (head: DenseHead, data: TrainingData) => head.predictRows(data.vectors[0]);

    it('trains in a worker, reused for the next training, and learns exactly what training on the page learns', async () => {
      const data = toyData(3, 12, 12);
      watchWorkers();
      const before = tf.memory().numTensors;
      const inWorker = await trainDenseHead(data, { epochs: 6 });
      const again = await trainDenseHead(data, { epochs: 6 });
      expect({ made, jobs }).to.deep.equal({ made: 1, jobs: 2 });
      expect(inWorker.trainedWith).to.equal('wasm-simd');
      const onPage = await trainDenseHead(data, { epochs: 6 }, {}, 'page');
      expect(jobs, 'the page trained on its own thread').to.equal(2);
      expect(inWorker.history).to.deep.equal(onPage.history);
      expect(again.history).to.deep.equal(onPage.history);
      expect(inWorker.fingerprint).to.equal(onPage.fingerprint);
      expect(inWorker.validation).to.deep.equal(onPage.validation);
      expect(Array.from(await predictions(inWorker, data))).to.deep.equal(Array.from(await predictions(onPage, data)));
      for (const head of [inWorker, again, onPage]) head.dispose();
      expect(tf.memory().numTensors).to.equal(before);
    });

    it('stops a cancelled worker at once, and starts a new one for the next training', async () => {
      watchWorkers();
      const data = toyData(3, 40, 13);
      const controller = new AbortController();
      let abortedAt = 0;
      const error = await rejection(
        trainDenseHead(data, { epochs: 500, batchSize: 2, patience: 0 }, {
          signal: controller.signal,
          onEpoch: (r) => {
            if (r.epoch === 1) {
              controller.abort();
              abortedAt = performance.now();
            }
          },
        }),
      );
      expect(error?.name).to.equal('AbortError');
      expect(performance.now() - abortedAt, 'rejected as soon as it was cancelled').to.be.lessThan(50);
      (await trainDenseHead(data, { epochs: 1 })).dispose();
      expect(made, 'the cancelled worker was not reused').to.equal(2);
    });

    for (const failing of ['refused', 'no-script'] as const) {
      it(`trains on the page when ${failing === 'refused' ? 'no worker may be made' : "the worker's script does not load"}`, async () => {
        const data = toyData(2, 10, 14);
        const reference = await trainDenseHead(data, { epochs: 3 }, {}, 'page');
        watchWorkers(failing);
        const reports: EpochReport[] = [];
        const head = await trainDenseHead(data, { epochs: 3 }, { onEpoch: (r) => reports.push(r) });
        expect(reports).to.deep.equal(reference.history);
        expect(head.history).to.deep.equal(reference.history);
        expect(made, 'workers made').to.equal(failing === 'refused' ? 0 : 1);
        head.dispose();
        reference.dispose();
      });
    }
  });

  it('uses Teachable Machine 2 defaults', () => {
    expect(DEFAULT_DENSE_SETTINGS).to.include({ units: 100, epochs: 50, learningRate: 0.001, batchSize: 16, validationFraction: 0.15 });
  });
});
