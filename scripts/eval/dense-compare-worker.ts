/**
 * The dense head trained two ways in a worker, for scripts/measure-kernels.mjs: the app's own training
 * (trainingSteps: hand-written gradients, WebAssembly SIMD products and Adam) and tfjs's (tf.layers Dense(units,
 * relu) -> Dense(classes, softmax, no bias), Adam, categorical cross-entropy, model.fit with batches of the same
 * size, shuffled, validated on the same held-out rows, with early stopping that keeps the best epoch's weights),
 * on the tfjs backend the request names. Each training also scores a test set the head never saw.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { rowsOf, trainingSteps, type DenseHeadSettings } from '../../src/classifier/dense-head/dense-head-training';
import { validationSplit, type TrainingData } from '../../src/classifier/training-data';

export interface CompareRequest {
  /** 'tfjs': tf.layers + model.fit; 'tfjs-loop': the same network as tf.variables, optimizer.minimize per batch. */
  readonly way: 'kernels' | 'tfjs' | 'tfjs-loop';
  /** For 'tfjs': the backend ('wasm' or 'cpu'); set once per worker. */
  readonly backend?: 'wasm' | 'cpu';
  readonly wasmBase?: string;
  readonly data: TrainingData;
  readonly settings: DenseHeadSettings;
  /** Rows to score after training (scaled as the head sees them here), and their class indices. */
  readonly test: { readonly rows: Float32Array; readonly labels: Int32Array } | null;
}

export interface CompareReply {
  readonly ms: number;
  readonly epochs: number;
  readonly keptEpoch: number;
  readonly finalLoss: number;
  readonly testAccuracy: number | null;
  readonly backend: string;
  readonly tensorsLeft: number;
}

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<CompareRequest>) => void) | null;
  postMessage(message: CompareReply | { error: string }): void;
};

function accuracyOf(probabilities: Float32Array, labels: Int32Array, classes: number): number {
  let hits = 0;
  labels.forEach((label, r) => {
    let best = 0;
    for (let c = 1; c < classes; c++) if (probabilities[r * classes + c] > probabilities[r * classes + best]) best = c;
    if (best === label) hits++;
  });
  return hits / labels.length;
}

/** relu(x W1 + b1) W2, argmax per row, in plain loops: scores the kernels' weights. */
function kernelsAccuracy(w: { w1: Float32Array; b1: Float32Array; w2: Float32Array }, test: NonNullable<CompareRequest['test']>, dim: number, units: number, classes: number): number {
  const out = new Float32Array(test.labels.length * classes);
  const hidden = new Float32Array(units);
  for (let r = 0; r < test.labels.length; r++) {
    hidden.set(w.b1);
    for (let k = 0; k < dim; k++) {
      const x = test.rows[r * dim + k];
      for (let j = 0; j < units; j++) hidden[j] += x * w.w1[k * units + j];
    }
    for (let j = 0; j < units; j++) {
      const h = Math.max(0, hidden[j]);
      for (let c = 0; c < classes; c++) out[r * classes + c] += h * w.w2[j * classes + c];
    }
  }
  return accuracyOf(out, test.labels, classes);
}

function trainKernels(request: CompareRequest): CompareReply {
  const start = performance.now();
  const run = trainingSteps({ data: request.data, settings: request.settings });
  let next = run.next();
  while (!next.done) next = run.next();
  const ms = performance.now() - start;
  const outcome = next.value;
  const { units } = request.settings;
  const classes = request.data.classIds.length;
  return {
    ms,
    epochs: outcome.history.length,
    keptEpoch: outcome.keptEpoch,
    finalLoss: outcome.history[outcome.history.length - 1].loss,
    testAccuracy: request.test ? kernelsAccuracy(outcome.weights, request.test, request.data.dim, units, classes) : null,
    backend: outcome.kernels,
    tensorsLeft: 0,
  };
}

function oneHot(labels: Int32Array, classes: number): tf.Tensor2D {
  return tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), classes).toFloat() as tf.Tensor2D);
}

let backendReady: Promise<void> | null = null;

/** The app's early stopping (dense-head-training.ts): the weights of the epoch with the lowest validation loss. */
class EarlyStopping {
  best: tf.Tensor[] | null = null;
  keptEpoch = 0;
  private bestLoss = Number.POSITIVE_INFINITY;

  constructor(private readonly patience: number) {}

  /** After `epoch` (from 1), with its validation loss (undefined without a validation set): whether to stop. */
  stopAfter(epoch: number, validationLoss: number | undefined, weights: () => tf.Tensor[]): boolean {
    if (validationLoss === undefined || this.patience === 0) {
      this.keptEpoch = epoch;
      return false;
    }
    if (validationLoss < this.bestLoss) {
      this.bestLoss = validationLoss;
      this.keptEpoch = epoch;
      tf.dispose(this.best ?? []);
      this.best = weights().map((w) => w.clone());
      return false;
    }
    return epoch - this.keptEpoch >= this.patience;
  }
}

/** Accuracy on the request's test rows of the head `predict` applies (scores per class), or null without them. */
async function testAccuracyOf(request: CompareRequest, predict: (x: tf.Tensor2D) => tf.Tensor): Promise<number | null> {
  const test = request.test;
  if (!test) return null;
  const scores = tf.tidy(() => predict(tf.tensor2d(test.rows, [test.labels.length, request.data.dim])));
  try {
    return accuracyOf((await scores.data()) as Float32Array, test.labels, request.data.classIds.length);
  } finally {
    scores.dispose();
  }
}

/** The same split and the same scaled rows as the app's training: the training rows, and the validation rows if any. */
function splitRows(request: CompareRequest) {
  const { data, settings } = request;
  const split = validationSplit(data, settings.validationFraction, settings.seed);
  return { train: rowsOf(data, split.train), validation: split.validation.length > 0 ? rowsOf(data, split.validation) : null };
}

async function trainTfjs(request: CompareRequest): Promise<CompareReply> {
  await startBackend(request);
  const tensorsBefore = tf.memory().numTensors;
  const { data, settings: s } = request;
  const classes = data.classIds.length;
  const start = performance.now();
  const { train, validation } = splitRows(request);
  const xs = tf.tensor2d(train.rows, [train.labels.length, data.dim]);
  const ys = oneHot(train.labels, classes);
  const validationTensors = validation ? [tf.tensor2d(validation.rows, [validation.labels.length, data.dim]), oneHot(validation.labels, classes)] : null;
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [data.dim], units: s.units, activation: 'relu', kernelInitializer: 'varianceScaling', useBias: true }),
      tf.layers.dense({ units: classes, activation: 'softmax', kernelInitializer: 'varianceScaling', useBias: false }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(s.learningRate), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const stopping = new EarlyStopping(s.patience);
  let epochs = 0;
  let finalLoss = Number.NaN;
  await model.fit(xs, ys, {
    batchSize: s.batchSize,
    epochs: s.epochs,
    shuffle: true,
    validationData: validationTensors ? [validationTensors[0], validationTensors[1]] : undefined,
    callbacks: {
      onEpochEnd: async (epoch, logs) => {
        epochs = epoch + 1;
        finalLoss = logs?.loss ?? Number.NaN;
        if (stopping.stopAfter(epochs, logs?.val_loss, () => model.getWeights())) model.stopTraining = true;
      },
    },
  });
  if (stopping.best) model.setWeights(stopping.best);
  const ms = performance.now() - start;
  const testAccuracy = await testAccuracyOf(request, (x) => model.predict(x) as tf.Tensor);
  const keptEpoch = stopping.keptEpoch;
  tf.dispose([xs, ys, ...(validationTensors ?? []), ...(stopping.best ?? [])]);
  model.optimizer.dispose();
  model.dispose();
  const threads =
    request.backend === 'wasm'
      ? ` (threads: ${String(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'))}, SIMD: ${String(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'))})`
      : '';
  return { ms, epochs, keptEpoch, finalLoss, testAccuracy, backend: `${tf.getBackend()}${threads}`, tensorsLeft: tf.memory().numTensors - tensorsBefore };
}

async function startBackend(request: CompareRequest): Promise<void> {
  backendReady ??= (async () => {
    if (request.backend === 'wasm') setWasmPaths(request.wasmBase!);
    if (!(await tf.setBackend(request.backend ?? 'cpu'))) throw new Error(`backend ${request.backend} did not start`);
    await tf.ready();
  })();
  await backendReady;
}

/** Mean cross-entropy and accuracy of relu(x W1 + b1) W2 on `x`, read back (as each epoch's report needs). */
function measureLoop(vars: tf.Variable[], x: tf.Tensor2D, y: tf.Tensor2D, labels: tf.Tensor1D): { loss: number; accuracy: number } {
  const [loss, accuracy] = tf.tidy(() => {
    const logits = tf.matMul(tf.relu(tf.add(tf.matMul(x, vars[0]), vars[1])), vars[2]);
    return [tf.losses.softmaxCrossEntropy(y, logits), tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32'))];
  });
  const values = [loss.dataSync()[0], accuracy.dataSync()[0]];
  tf.dispose([loss, accuracy]);
  return { loss: values[0], accuracy: values[1] };
}

/** The same head as plain tf.variables and one optimizer.minimize per batch: what tfjs costs without model.fit. */
async function trainTfjsLoop(request: CompareRequest): Promise<CompareReply> {
  await startBackend(request);
  const tensorsBefore = tf.memory().numTensors;
  const { data, settings: s } = request;
  const classes = data.classIds.length;
  const start = performance.now();
  const { train, validation } = splitRows(request);
  const sets = [train, ...(validation ? [validation] : [])].map((set) => {
    const labels = tf.tensor1d(set.labels, 'int32');
    return { x: tf.tensor2d(set.rows, [set.labels.length, data.dim]), y: oneHot(set.labels, classes), labels };
  });
  const init = (shape: [number, number], fanIn: number) => tf.truncatedNormal(shape, 0, Math.sqrt(1 / fanIn) / 0.8796256610342398);
  const vars = [tf.variable(init([data.dim, s.units], data.dim)), tf.variable(tf.zeros([s.units])), tf.variable(init([s.units, classes], s.units))];
  const optimizer = tf.train.adam(s.learningRate);
  const order = Array.from(train.labels, (_, i) => i);
  const stopping = new EarlyStopping(s.patience);
  let epochs = 0;
  let finalLoss = Number.NaN;
  for (let epoch = 1; epoch <= s.epochs; epoch++) {
    epochs = epoch;
    tf.util.shuffle(order);
    for (let b = 0; b < order.length; b += s.batchSize) {
      tf.tidy(() => {
        const indices = tf.tensor1d(order.slice(b, b + s.batchSize), 'int32');
        const x = tf.gather(sets[0].x, indices);
        const y = tf.gather(sets[0].y, indices);
        optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, tf.matMul(tf.relu(tf.add(tf.matMul(x, vars[0]), vars[1])), vars[2])) as tf.Scalar);
      });
    }
    finalLoss = measureLoop(vars, sets[0].x, sets[0].y, sets[0].labels).loss;
    const validationLoss = sets[1] ? measureLoop(vars, sets[1].x, sets[1].y, sets[1].labels).loss : undefined;
    if (stopping.stopAfter(epoch, validationLoss, () => vars)) break;
  }
  const best = stopping.best;
  if (best) vars.forEach((v, i) => v.assign(best[i]));
  const ms = performance.now() - start;
  const testAccuracy = await testAccuracyOf(request, (x) => tf.matMul(tf.relu(tf.add(tf.matMul(x, vars[0]), vars[1])), vars[2]));
  const keptEpoch = stopping.keptEpoch;
  tf.dispose([...sets.flatMap((set) => [set.x, set.y, set.labels]), ...vars, ...(best ?? [])]);
  optimizer.dispose();
  return { ms, epochs, keptEpoch, finalLoss, testAccuracy, backend: tf.getBackend(), tensorsLeft: tf.memory().numTensors - tensorsBefore };
}

scope.onmessage = (event) => {
  const request = event.data;
  const run = request.way === 'kernels' ? Promise.resolve().then(() => trainKernels(request)) : request.way === 'tfjs' ? trainTfjs(request) : trainTfjsLoop(request);
  run.then(
    (reply) => scope.postMessage(reply),
    (error: unknown) => scope.postMessage({ error: error instanceof Error ? `${error.message}\n${error.stack}` : String(error) }),
  );
};
