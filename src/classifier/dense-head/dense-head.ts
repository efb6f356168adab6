/**
 * A small network trained on stored examples, as Teachable Machine 2 does it: Dense(units, relu) ->
 * Dense(classes, softmax, no bias), Adam, categorical cross-entropy. Training takes plain vectors (TrainingData) and
 * runs in a worker of its own (dense-head-worker.ts), so the page never waits for it; it reports every epoch, can
 * stop early on the validation loss, and can be cancelled with an AbortSignal. The trained head predicts on the page
 * with tfjs; it leaves no tensor behind except those of the head it returns.
 */
import * as tf from '@tensorflow/tfjs';
import { nextTask } from '../../platform/next-task';
import type { FailureReply, WorkerReply } from './dense-head-protocol';
import {
  DEFAULT_DENSE_SETTINGS,
  DenseTrainingError,
  inputScale,
  trainingSteps,
  type DenseHeadSettings,
  type EpochReport,
  type TrainingEvent,
  type TrainingOutcome,
  type TrainingRequest,
} from './dense-head-training';
import { TrainingDataError, trainingFingerprint, type ExampleRef, type TrainingData } from '../training-data';

export { DEFAULT_DENSE_SETTINGS, DenseTrainingError, type DenseHeadSettings, type EpochReport } from './dense-head-training';

export interface TrainingCallbacks {
  onEpoch?(report: EpochReport): void;
  /** After every batch (1-based numbers), e.g. for a progress bar. */
  onBatch?(progress: { readonly epoch: number; readonly batch: number; readonly batches: number }): void;
  /**
   * Aborting rejects the training with a DOMException named AbortError: at once when it trains in a worker (the
   * worker is stopped), at the next batch boundary on the page.
   */
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

interface Weights {
  readonly w1: tf.Tensor2D;
  readonly b1: tf.Tensor1D;
  readonly w2: tf.Tensor2D;
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
    /** Which loops trained it: 'wasm-simd', or 'js' where WebAssembly SIMD could not be compiled. */
    readonly trainedWith: string,
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
 * Where training runs on the page (no worker), it gives the event loop a turn once this long has passed (and
 * after every epoch) rather than after every batch: a batch takes about a millisecond, a turn often more.
 */
const YIELD_AFTER_MS = 8;


function abortError(): DOMException {
  return new DOMException('Training was cancelled.', 'AbortError');
}

function disposeWeights(weights: Weights): void {
  tf.dispose([weights.w1, weights.b1, weights.w2]);
}

/** How the page hears from a run: its callbacks, and how to end it. */
interface RunCallbacks {
  onEvent(event: TrainingEvent): void;
  readonly signal?: AbortSignal;
}

function errorFrom(reply: FailureReply): Error {
  switch (reply.name) {
    case 'TrainingDataError':
      return new TrainingDataError(reply.reason, reply.message, reply.classId);
    case 'DenseTrainingError':
      return new DenseTrainingError(reply.reason, reply.message);
    default:
      return new Error(reply.message);
  }
}

/** A worker that finished its last training, kept for the next one (its code already compiled and optimised). */
let idleWorker: Worker | null = null;

/** The idle worker, or a new one; null when no worker can be made here. */
function takeWorker(): { worker: Worker; fresh: boolean } | null {
  if (idleWorker) {
    const worker = idleWorker;
    idleWorker = null;
    return { worker, fresh: false };
  }
  if (typeof Worker === 'undefined') return null;
  try {
    return { worker: new Worker(new URL('./dense-head-worker.ts', import.meta.url), { type: 'module', name: 'dense-head-training' }), fresh: true };
  } catch {
    // A policy that refuses workers (worker-src) throws here.
    return null;
  }
}

/** Stops the worker kept for the next training, if any (the next training starts a new one). */
export function stopIdleTrainingWorker(): void {
  idleWorker?.terminate();
  idleWorker = null;
}

/** Keeps `worker` for the next training, unless one is kept already. */
function releaseWorker(worker: Worker): void {
  worker.onmessage = null;
  worker.onerror = null;
  if (idleWorker) worker.terminate();
  else idleWorker = worker;
}

/**
 * Runs `request` in a worker, or returns null when no worker can be made (no Worker in this context, or a policy
 * that refuses it). Cancelling terminates the worker at once, whatever it is doing. If a new worker fails before it
 * starts (its script cannot load), the training runs on the page instead.
 */
function trainInWorker(request: TrainingRequest, callbacks: RunCallbacks): Promise<TrainingOutcome> | null {
  const taken = takeWorker();
  if (!taken) return null;
  const { worker, fresh } = taken;
  return new Promise<TrainingOutcome>((resolve, reject) => {
    let started = false;
    /** Set once the promise is settled: messages the worker posted before it was stopped are then ignored. */
    let settled = false;
    const stop = (keep: boolean) => {
      settled = true;
      callbacks.signal?.removeEventListener('abort', onAbort);
      if (keep) releaseWorker(worker);
      else worker.terminate();
    };
    const onAbort = () => {
      stop(false);
      reject(abortError());
    };
    callbacks.signal?.addEventListener('abort', onAbort);
    worker.onmessage = (event: MessageEvent<WorkerReply>) => {
      if (settled) return;
      const reply = event.data;
      switch (reply.kind) {
        case 'started':
          started = true;
          return;
        case 'done':
          stop(true);
          resolve(reply.outcome);
          return;
        case 'failed':
          stop(true);
          reject(errorFrom(reply.error));
          return;
        case 'events':
          try {
            for (const report of reply.events) {
              callbacks.onEvent(report);
              // A callback that cancels (the abort listener has already settled the promise) hears no more.
              if (settled) return;
            }
          } catch (error) {
            stop(false);
            reject(error instanceof Error ? error : new Error(String(error)));
          }
      }
    };
    worker.onerror = (event) => {
      if (settled) return;
      stop(false);
      // A new worker that never started could not load its script: train on the page rather than not at all.
      if (fresh && !started) resolve(trainOnPage(request, callbacks));
      else reject(new Error(`Training failed in its worker: ${event.message}`));
    };
    worker.postMessage(request);
  });
}

/** The same training on the page's own thread, giving the event loop a turn every YIELD_AFTER_MS and every epoch. */
async function trainOnPage(request: TrainingRequest, callbacks: RunCallbacks): Promise<TrainingOutcome> {
  await nextTask();
  if (callbacks.signal?.aborted) throw abortError();
  const run = trainingSteps(request);
  let lastYield = performance.now();
  for (;;) {
    const next = run.next();
    if (next.done) return next.value;
    callbacks.onEvent(next.value);
    if (next.value.kind === 'epoch' || performance.now() - lastYield >= YIELD_AFTER_MS) {
      await nextTask();
      lastYield = performance.now();
    }
    if (callbacks.signal?.aborted) throw abortError();
  }
}

/** Where trainDenseHead runs: in a worker (the default), or on the page (`'page'`, also the fallback without workers). */
export type TrainingPlace = 'worker' | 'page';

/**
 * Trains a head on a snapshot of `data` (copied before this returns, so examples changed or deleted meanwhile do
 * not affect it; the head is then stale, see DenseHead.isStale).
 * Rejects with a TrainingDataError (fewer than 2 classes, an empty class, bad rows), a DenseTrainingError (bad
 * settings, a loss that is no longer finite) or an AbortError DOMException (cancelled).
 */
export async function trainDenseHead(
  data: TrainingData,
  settings: Partial<DenseHeadSettings> = {},
  callbacks: TrainingCallbacks = {},
  place: TrainingPlace = 'worker',
): Promise<DenseHead> {
  const s: DenseHeadSettings = { ...DEFAULT_DENSE_SETTINGS, ...settings };
  checkSettings(s);
  if (callbacks.signal?.aborted) throw abortError();
  // The snapshot (a copy of a few MB takes a millisecond or two), also for a worker that fails to start.
  const request: TrainingRequest = { data: { classIds: [...data.classIds], vectors: data.vectors.map((v) => v.slice()), dim: data.dim }, settings: s };
  const run: RunCallbacks = {
    signal: callbacks.signal,
    onEvent(event) {
      if (event.kind === 'batch') callbacks.onBatch?.({ epoch: event.epoch, batch: event.batch, batches: event.batches });
      else callbacks.onEpoch?.(event.report);
    },
  };
  const outcome = await ((place === 'worker' ? trainInWorker(request, run) : null) ?? trainOnPage(request, run));
  const { units } = s;
  const weights: Weights = {
    w1: tf.tensor2d(outcome.weights.w1, [data.dim, units]),
    b1: tf.tensor1d(outcome.weights.b1),
    w2: tf.tensor2d(outcome.weights.w2, [units, data.classIds.length]),
  };
  return new DenseHead([...data.classIds], data.dim, outcome.fingerprint, s, outcome.history, outcome.keptEpoch, outcome.validation, weights, outcome.kernels);
}
