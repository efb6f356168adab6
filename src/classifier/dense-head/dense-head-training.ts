/**
 * The dense head's training loop, free of tfjs and of the page, so that the same code runs in the training worker
 * (dense-head-worker.ts) and, where no worker can be made, on the page (dense-head.ts). It is a generator: it
 * yields after every batch and every epoch, and whoever drives it decides what to do meanwhile (post a message,
 * give the event loop a turn, stop).
 */
import { AdamHead, initialWeights, type HeadArrays, type TrainingRows } from './dense-head-steps';
import {
  checkTrainingData,
  exampleRow,
  mulberry32,
  shuffle,
  trainingFingerprint,
  validationSplit,
  type ExampleRef,
  type TrainingData,
} from '../training-data';

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

/** What a training run is given. */
export interface TrainingRequest {
  readonly data: TrainingData;
  readonly settings: DenseHeadSettings;
}

/**
 * Inputs are unit vectors (that is what the k-NN store keeps). Scaling them by sqrt(dim) gives each component a
 * mean square of 1, so the head trains as it would on the network's raw activations (whose length is about 20
 * for the catalog's MobileNets) without depending on any one network's scale.
 */
export function inputScale(dim: number): number {
  return Math.sqrt(dim);
}

/** Rows of `refs` as the head sees them (scaled to unit length, then by inputScale) and their class indices. */
export function rowsOf(data: TrainingData, refs: readonly ExampleRef[]): TrainingRows {
  const { dim } = data;
  const rows = new Float32Array(refs.length * dim);
  const labels = new Int32Array(refs.length);
  const scale = inputScale(dim);
  refs.forEach((ref, i) => {
    const row = exampleRow(data, ref.classIndex, ref.row);
    let squares = 0;
    for (let k = 0; k < dim; k++) squares += row[k] * row[k];
    const factor = scale / (Math.sqrt(squares) + 1e-12);
    for (let k = 0; k < dim; k++) rows[i * dim + k] = row[k] * factor;
    labels[i] = ref.classIndex;
  });
  return { rows, labels };
}

export type TrainingEvent =
  | { readonly kind: 'batch'; readonly epoch: number; readonly batch: number; readonly batches: number }
  | { readonly kind: 'epoch'; readonly report: EpochReport };

export interface TrainingOutcome {
  /** trainingFingerprint of the examples trained on. */
  readonly fingerprint: string;
  /** The examples held out for validation. */
  readonly validation: readonly ExampleRef[];
  readonly weights: HeadArrays;
  /** The epoch whose weights these are. */
  readonly keptEpoch: number;
  readonly history: readonly EpochReport[];
  /** Which loops ran: 'wasm-simd' or 'js'. */
  readonly kernels: string;
}

/**
 * Checks the examples, holds out the validation share and trains as the settings say, yielding after every batch
 * and after every epoch's report. Throws a TrainingDataError for examples it cannot learn from, and a
 * DenseTrainingError when the loss stops being finite. Early stopping (validation examples and patience > 0) keeps
 * the weights of the epoch with the lowest validation loss and stops `patience` epochs after it.
 * The caller checks the settings.
 */
export function* trainingSteps(request: TrainingRequest): Generator<TrainingEvent, TrainingOutcome, void> {
  const { data, settings: s } = request;
  checkTrainingData(data);
  const fingerprint = trainingFingerprint(data);
  const split = validationSplit(data, s.validationFraction, s.seed);
  const trainSet = rowsOf(data, split.train);
  const validationSet = split.validation.length > 0 ? rowsOf(data, split.validation) : null;
  const shape = { dim: data.dim, units: s.units, classes: data.classIds.length };
  const head = new AdamHead(initialWeights(shape, s.seed), shape, s.learningRate, s.batchSize);
  const random = mulberry32(s.seed + 1);
  const history: EpochReport[] = [];
  let best: HeadArrays | null = null;
  let bestLoss = Number.POSITIVE_INFINITY;
  let keptEpoch = 0;
  const order = Array.from(trainSet.labels, (_, i) => i);
  const batches = Math.ceil(order.length / s.batchSize);
  for (let epoch = 1; epoch <= s.epochs; epoch++) {
    shuffle(order, random);
    for (let b = 0; b < batches; b++) {
      head.step(trainSet, order.slice(b * s.batchSize, (b + 1) * s.batchSize));
      yield { kind: 'batch', epoch, batch: b + 1, batches };
    }
    const train = head.measure(trainSet);
    const validation = validationSet ? head.measure(validationSet) : null;
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
    yield { kind: 'epoch', report };
    const earlyStopping = validation !== null && s.patience > 0;
    if (!earlyStopping || validation.loss < bestLoss) {
      keptEpoch = epoch;
      if (earlyStopping) {
        bestLoss = validation.loss;
        best = head.weights();
      }
    } else if (epoch - keptEpoch >= s.patience) {
      break;
    }
  }
  return { fingerprint, validation: split.validation, weights: best ?? head.weights(), keptEpoch, history, kernels: head.kernels.kind };
}
