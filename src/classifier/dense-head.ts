/**
 * A small network trained on stored examples, as Teachable Machine 2 does it: Dense(units, relu) ->
 * Dense(classes, softmax, no bias), Adam, categorical cross-entropy. Training takes plain vectors (TrainingData),
 * gives the event loop a turn every few milliseconds and around every epoch's measurement, reports every epoch, can stop early on the validation loss, and can
 * be cancelled with an AbortSignal. Whatever happens, it leaves no tensor behind except those of the head it returns.
 */
import * as tf from '@tensorflow/tfjs';
import { PackedAdamTrainer, type HeadWeights } from './dense-head-steps';
import {
  checkTrainingData,
  exampleRow,
  mulberry32,
  shuffle,
  trainingFingerprint,
  validationSplit,
  type ExampleRef,
  type TrainingData,
} from './training-data';

export interface DenseHeadSettings {
  /** Hidden units. */
  readonly units: number;
  /** Most epochs to train (fewer when early stopping ends training). */
  readonly epochs: number;
  readonly learningRate: number;
  readonly batchSize: number;
  /** Share of every class held out to validate on (rounded up, never a class's only example); 0 for none. */
  readonly validationFraction: number;
  /** Stop after this many epochs without a lower validation loss and keep the best epoch's weights; 0 turns it off. */
  readonly patience: number;
  /** Seeds the split, the initial weights and the batch order, so a run repeats exactly. */
  readonly seed: number;
}

/** Teachable Machine 2's defaults (units, epochs, rate, batch, 15% validation), plus early stopping. */
export const DEFAULT_DENSE_SETTINGS: DenseHeadSettings = {
  units: 100,
  epochs: 50,
  learningRate: 0.001,
  batchSize: 16,
  validationFraction: 0.15,
  patience: 10,
  seed: 1,
};

export interface EpochReport {
  /** 1-based. */
  readonly epoch: number;
  readonly epochs: number;
  /** Mean cross-entropy and accuracy on the training examples at the end of the epoch. */
  readonly loss: number;
  readonly accuracy: number;
  /** The same on the held-out examples, or null when none are held out. */
  readonly validationLoss: number | null;
  readonly validationAccuracy: number | null;
}

export interface TrainingCallbacks {
  onEpoch?(report: EpochReport): void;
  /** After every batch (1-based numbers), e.g. for a progress bar. */
  onBatch?(progress: { readonly epoch: number; readonly batch: number; readonly batches: number }): void;
  /** Aborting rejects the training with a DOMException named AbortError, at the next batch boundary. */
  readonly signal?: AbortSignal;
}

export interface ClassConfidence {
  readonly classId: string;
  readonly confidence: number;
}

export interface DenseHeadPrediction {
  readonly classId: string;
  /** One per class the head learned, in its classIds order; they sum to 1. */
  readonly confidences: readonly ClassConfidence[];
}

/** Training went wrong in a way settings can fix (the data itself is checked by checkTrainingData). */
export class DenseTrainingError extends Error {
  override name = 'DenseTrainingError';
  constructor(
    readonly reason: 'settings' | 'loss-not-finite',
    message: string,
  ) {
    super(message);
  }
}

type Weights = HeadWeights;

/**
 * Inputs are unit vectors (that is what the k-NN store keeps). Scaling them by sqrt(dim) gives each component a
 * mean square of 1, so the head trains as it would on the network's raw activations (whose length is about 20
 * for the catalog's MobileNets) without depending on any one network's scale.
 */
function inputScale(dim: number): number {
  return Math.sqrt(dim);
}

function hiddenLayer(weights: Weights, x: tf.Tensor2D): tf.Tensor2D {
  return tf.fused.matMul({ a: x, b: weights.w1, bias: weights.b1, activation: 'relu' }) as tf.Tensor2D;
}

function logits(weights: Weights, x: tf.Tensor2D): tf.Tensor2D {
  return tf.matMul(hiddenLayer(weights, x), weights.w2);
}

/** Rows scaled to unit length and then by inputScale, as the head sees every input. */
function prepareRows(rows: tf.Tensor2D, dim: number): tf.Tensor2D {
  return tf.tidy(() => tf.mul(tf.div(rows, tf.add(tf.norm(rows, 'euclidean', 1, true), 1e-12)), inputScale(dim)));
}

export class DenseHead {
  private disposed = false;

  /** @internal Made by trainDenseHead. */
  constructor(
    readonly classIds: readonly string[],
    readonly dim: number,
    /** trainingFingerprint of the examples it learned from: compare it with the current examples' to tell staleness. */
    readonly fingerprint: string,
    readonly settings: DenseHeadSettings,
    /** Every epoch trained, in order. */
    readonly history: readonly EpochReport[],
    /** The epoch whose weights the head kept (the last, unless early stopping kept an earlier one). */
    readonly keptEpoch: number,
    /** The examples held out for validation: what evaluateDenseHead scores the head on. */
    readonly validation: readonly ExampleRef[],
    private readonly weights: Weights,
  ) {}

  /** Whether epochs ran out before `settings.epochs` because the validation loss stopped improving. */
  get stoppedEarly(): boolean {
    return this.history.length < this.settings.epochs;
  }

  /** True when `data` is not exactly what the head learned from. */
  isStale(data: TrainingData): boolean {
    return trainingFingerprint(data) !== this.fingerprint;
  }

  /** Classifies one embedding (any length: it is scaled to unit length first). Tensor-neutral. */
  async predict(embedding: tf.Tensor): Promise<DenseHeadPrediction> {
    this.checkUsable(embedding.size);
    const probabilities = await this.predictTensor(tf.reshape(embedding, [1, this.dim]));
    let best = 0;
    for (let i = 1; i < probabilities.length; i++) if (probabilities[i] > probabilities[best]) best = i;
    return {
      classId: this.classIds[best],
      confidences: this.classIds.map((classId, i) => ({ classId, confidence: probabilities[i] })),
    };
  }

  /** Class probabilities of `rows` (n rows of `dim` numbers): n rows of classIds.length numbers. */
  async predictRows(rows: Float32Array): Promise<Float32Array> {
    this.checkUsable(this.dim);
    if (rows.length % this.dim !== 0) throw new Error(`${rows.length} numbers do not make rows of ${this.dim}.`);
    if (rows.length === 0) return new Float32Array(0);
    return this.predictTensor(tf.tensor2d(rows, [rows.length / this.dim, this.dim]));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    disposeWeights(this.weights);
  }

  /** Takes ownership of `input`. */
  private async predictTensor(input: tf.Tensor2D): Promise<Float32Array> {
    const probabilities = tf.tidy(() => tf.softmax(logits(this.weights, prepareRows(input, this.dim))));
    input.dispose();
    try {
      return (await probabilities.data()) as Float32Array;
    } finally {
      probabilities.dispose();
    }
  }

  private checkUsable(size: number): void {
    if (this.disposed) throw new Error('This dense head has been disposed.');
    if (size !== this.dim) throw new Error(`This head takes ${this.dim}-number embeddings; got ${size}.`);
  }
}

function checkSettings(s: DenseHeadSettings): void {
  const problems: string[] = [];
  const whole = (name: keyof DenseHeadSettings, min: number) => {
    if (!Number.isInteger(s[name]) || (s[name] as number) < min) problems.push(`${name} must be a whole number of at least ${min} (got ${s[name]})`);
  };
  whole('units', 1);
  whole('epochs', 1);
  whole('batchSize', 1);
  whole('patience', 0);
  if (!(s.learningRate > 0) || !Number.isFinite(s.learningRate)) problems.push(`learningRate must be a positive number (got ${s.learningRate})`);
  if (!(s.validationFraction >= 0 && s.validationFraction < 1)) problems.push(`validationFraction must be in [0, 1) (got ${s.validationFraction})`);
  if (!Number.isFinite(s.seed)) problems.push(`seed must be a number (got ${s.seed})`);
  if (problems.length) throw new DenseTrainingError('settings', `${problems.join('; ')}.`);
}

/**
 * Training gives the event loop a turn once this long has passed (and after every epoch) rather than after every
 * batch: a batch takes about a millisecond, a turn of the event loop often more, and the page needs one per frame.
 */
const YIELD_AFTER_MS = 8;

/** Resolves on a fresh task, so rendering and input get a turn; a MessageChannel is not clamped as nested timeouts are. */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

function abortError(): DOMException {
  return new DOMException('Training was cancelled.', 'AbortError');
}

/** Rows and one-hot labels of `refs`, copied out of `data` now (the training snapshot). */
function tensorsOf(data: TrainingData, refs: readonly ExampleRef[]): { x: tf.Tensor2D; y: tf.Tensor2D } | null {
  if (refs.length === 0) return null;
  const rows = new Float32Array(refs.length * data.dim);
  const labels = new Int32Array(refs.length);
  refs.forEach((ref, i) => {
    rows.set(exampleRow(data, ref.classIndex, ref.row), i * data.dim);
    labels[i] = ref.classIndex;
  });
  return tf.tidy(() => {
    const raw = tf.tensor2d(rows, [refs.length, data.dim]);
    return { x: prepareRows(raw, data.dim), y: tf.oneHot(tf.tensor1d(labels, 'int32'), data.classIds.length).toFloat() as tf.Tensor2D };
  });
}

function disposeWeights(weights: Weights | null): void {
  if (weights) tf.dispose([weights.w1, weights.b1, weights.w2]);
}

/** Mean cross-entropy and accuracy of `weights` on a set, read back as numbers. */
async function measure(weights: Weights, set: { x: tf.Tensor2D; y: tf.Tensor2D }): Promise<{ loss: number; accuracy: number }> {
  const [loss, accuracy] = tf.tidy(() => {
    const out = logits(weights, set.x);
    const hits = tf.equal(tf.argMax(out, 1), tf.argMax(set.y, 1));
    return [tf.losses.softmaxCrossEntropy(set.y, out), tf.mean(tf.cast(hits, 'float32'))];
  });
  const values = await Promise.all([loss.data(), accuracy.data()]);
  tf.dispose([loss, accuracy]);
  return { loss: values[0][0], accuracy: values[1][0] };
}

/**
 * Trains a head on a snapshot of `data` (copied before the first await, so examples changed or deleted meanwhile
 * do not affect it; the head is then stale, see DenseHead.isStale).
 * Rejects with a TrainingDataError (fewer than 2 classes, an empty class, bad rows), a DenseTrainingError (bad
 * settings, a loss that is no longer finite) or an AbortError DOMException (cancelled).
 */
export async function trainDenseHead(
  data: TrainingData,
  settings: Partial<DenseHeadSettings> = {},
  callbacks: TrainingCallbacks = {},
): Promise<DenseHead> {
  const s: DenseHeadSettings = { ...DEFAULT_DENSE_SETTINGS, ...settings };
  checkSettings(s);
  checkTrainingData(data);
  if (callbacks.signal?.aborted) throw abortError();
  const fingerprint = trainingFingerprint(data);
  const classCount = data.classIds.length;
  const split = validationSplit(data, s.validationFraction, s.seed);
  const random = mulberry32(s.seed + 1);

  const owned: tf.Tensor[] = [];
  const own = <T extends tf.Tensor>(t: T): T => {
    owned.push(t);
    return t;
  };
  let best: Weights | null = null;
  /** The weights of the epoch being measured, until they are kept as the best or dropped. */
  let epochWeights: Weights | null = null;
  let trainer: PackedAdamTrainer | null = null;
  try {
    const trainSet = tensorsOf(data, split.train)!;
    own(trainSet.x);
    own(trainSet.y);
    const validationSet = tensorsOf(data, split.validation);
    if (validationSet) owned.push(validationSet.x, validationSet.y);
    const trainRows = { rows: (await trainSet.x.data()) as Float32Array, labels: Int32Array.from(split.train, (ref) => ref.classIndex) };
    // Teachable Machine's initialiser (variance scaling, fan-in, normal), seeded.
    const init = (shape: [number, number], seed: number) =>
      tf.initializers.varianceScaling({ scale: 1, mode: 'fanIn', distribution: 'normal', seed }).apply(shape) as tf.Tensor2D;
    const initial: Weights = {
      w1: init([data.dim, s.units], s.seed + 2),
      b1: tf.zeros([s.units]) as tf.Tensor1D,
      w2: init([s.units, classCount], s.seed + 3),
    };
    trainer = new PackedAdamTrainer(initial, { dim: data.dim, units: s.units, classes: classCount }, s.learningRate);
    tf.dispose([initial.w1, initial.b1, initial.w2]);
    // Setting up (copying the examples, drawing the initial weights) is a task of its own, before the first batch.
    await nextTask();
    if (callbacks.signal?.aborted) throw abortError();
    const history: EpochReport[] = [];
    let bestLoss = Number.POSITIVE_INFINITY;
    let keptEpoch = 0;
    const order = split.train.map((_, i) => i);
    const batches = Math.ceil(order.length / s.batchSize);

    let lastYield = performance.now();
    for (let epoch = 1; epoch <= s.epochs; epoch++) {
      shuffle(order, random);
      for (let b = 0; b < batches; b++) {
        trainer.step(trainRows, order.slice(b * s.batchSize, (b + 1) * s.batchSize));
        callbacks.onBatch?.({ epoch, batch: b + 1, batches });
        if (performance.now() - lastYield >= YIELD_AFTER_MS) {
          await nextTask();
          lastYield = performance.now();
        }
        if (callbacks.signal?.aborted) throw abortError();
      }
      // The epoch's measurement (the whole training set through the head) gets a task of its own.
      await nextTask();
      lastYield = performance.now();
      epochWeights = trainer.weights();
      const train = await measure(epochWeights, trainSet);
      const validation = validationSet ? await measure(epochWeights, validationSet) : null;
      if (!Number.isFinite(train.loss)) {
        throw new DenseTrainingError('loss-not-finite', `The loss became ${train.loss} in epoch ${epoch}, so training stopped. Try a lower learning rate (now ${s.learningRate}).`);
      }
      const report: EpochReport = {
        epoch,
        epochs: s.epochs,
        loss: train.loss,
        accuracy: train.accuracy,
        validationLoss: validation?.loss ?? null,
        validationAccuracy: validation?.accuracy ?? null,
      };
      history.push(report);
      callbacks.onEpoch?.(report);
      const earlyStopping = validation !== null && s.patience > 0;
      if (!earlyStopping || validation.loss < bestLoss) {
        keptEpoch = epoch;
        if (earlyStopping) {
          bestLoss = validation.loss;
          disposeWeights(best);
          best = epochWeights;
          epochWeights = null;
        }
      } else if (epoch - keptEpoch >= s.patience) {
        break;
      }
      disposeWeights(epochWeights);
      epochWeights = null;
      await nextTask();
      lastYield = performance.now();
      if (callbacks.signal?.aborted) throw abortError();
    }

    const kept = best ?? trainer.weights();
    best = null;
    return new DenseHead([...data.classIds], data.dim, fingerprint, s, history, keptEpoch, split.validation, kept);
  } finally {
    tf.dispose(owned);
    disposeWeights(best);
    disposeWeights(epochWeights);
    trainer?.dispose();
  }
}
