/**
 * The dense head's training steps, written for speed on the wasm backend, where a step's cost is mostly the
 * number of kernels it launches (tens of microseconds each) rather than its arithmetic:
 * - every parameter lives in one matrix, [W1; b1; W2^T] of (dim + 1 + classes) x units (kept transposed), so Adam updates it in
 *   one pass of a dozen kernels instead of one per parameter tensor;
 * - b1 is the last row of W1's block, met by a column of ones appended to each input row;
 * - the gradients are written out by hand (d loss / d logits = (softmax - y) / n for the mean cross-entropy);
 * - every large matrix product has its operands the way round XNNPACK takes them: the wasm backend runs a matMul
 *   with a transpose flag as plain scalar loops, so transposed operands are made beforehand (in JS, for the inputs);
 * - the parameter matrix is never sliced or concatenated (the wasm backend copies the whole input to slice it).
 * The numbers are those of tf.train.adam on Dense(units, relu) -> Dense(classes, no bias) with a softmax
 * cross-entropy, up to float rounding.
 */
import * as tf from '@tensorflow/tfjs';

export interface HeadWeights {
  readonly w1: tf.Tensor2D;
  readonly b1: tf.Tensor1D;
  readonly w2: tf.Tensor2D;
}

export interface Shape {
  readonly dim: number;
  readonly units: number;
  readonly classes: number;
}

/** The examples to train on, as the head sees them (see prepareRows in dense-head.ts), and their class indices. */
export interface TrainingRows {
  readonly rows: Float32Array;
  readonly labels: Int32Array;
}

const BETA1 = 0.9;
const BETA2 = 0.999;

/** The parameter matrix of `weights`; the caller keeps `weights`. */
export function packWeights(weights: HeadWeights): tf.Tensor2D {
  return tf.tidy(() => tf.concat([weights.w1, tf.reshape(weights.b1, [1, -1]), tf.transpose(weights.w2)], 0));
}

/** The separate tensors of a parameter matrix; the caller keeps `packed`. */
export function unpackWeights(packed: tf.Tensor2D, shape: Shape): HeadWeights {
  return tf.tidy(() => ({
    w1: tf.slice(packed, [0, 0], [shape.dim, shape.units]),
    // Sliced from the flat view so that it is a rank-1 tensor of its own: the wasm backend's fused matMul reads a
    // bias's rank from its storage, which a reshaped [1, units] slice would still give as 2.
    b1: tf.slice(tf.reshape(packed, [-1]), [shape.dim * shape.units], [shape.units]) as tf.Tensor1D,
    w2: tf.transpose(tf.slice(packed, [shape.dim + 1, 0], [shape.classes, shape.units])),
  }));
}

/** Adam (tf.train.adam's update and defaults) on a packed head. Owns its tensors: dispose it. */
export class PackedAdamTrainer {
  private params: tf.Tensor2D;
  private firstMoment: tf.Tensor2D;
  private secondMoment: tf.Tensor2D;
  private steps = 0;
  private readonly constants: { beta1: tf.Scalar; beta2: tf.Scalar; oneMinusBeta1: tf.Scalar; oneMinusBeta2: tf.Scalar };

  constructor(
    initial: HeadWeights,
    readonly shape: Shape,
    private readonly learningRate: number,
    private readonly epsilon = tf.backend().epsilon(),
  ) {
    // Kept transposed (units x rows): XNNPACK repacks a matMul's right operand whenever it changes, so the
    // parameters, which change every step, go on the left and the batch's small matrices on the right.
    this.params = tf.tidy(() => tf.transpose(packWeights(initial)));
    this.firstMoment = tf.zerosLike(this.params);
    this.secondMoment = tf.zerosLike(this.params);
    this.constants = {
      beta1: tf.scalar(BETA1),
      beta2: tf.scalar(BETA2),
      oneMinusBeta1: tf.scalar(1 - BETA1),
      oneMinusBeta2: tf.scalar(1 - BETA2),
    };
  }

  /** The current weights as separate tensors, which the caller owns. */
  weights(): HeadWeights {
    const packed = tf.transpose(this.params);
    try {
      return unpackWeights(packed, this.shape);
    } finally {
      packed.dispose();
    }
  }

  /** One Adam step on the mean cross-entropy of the examples at `batch` (indices into `set`). */
  step(set: TrainingRows, batch: readonly number[]): void {
    const { units, classes } = this.shape;
    const n = batch.length;
    const height = this.params.shape[1];
    const { a, aT, y } = batchArrays(set, batch, this.shape);
    this.steps++;
    // tf.train.adam's m_hat / (sqrt(v_hat) + eps), with both bias corrections moved onto scalars.
    const correction2 = Math.sqrt(1 - BETA2 ** this.steps);
    const stepSize = (this.learningRate * correction2) / (1 - BETA1 ** this.steps);
    const next = tf.tidy(() => {
      // One product of A with the parameter matrix gives both the hidden layer's input (the batch rows of A) and W2^T
      // (the selector rows of A), so the large matrix is never sliced: the wasm backend's Slice copies its whole input.
      const products = tf.transpose(tf.matMul(this.params, tf.tensor2d(aT, [height, n + classes])));
      const preActivation = tf.slice(products, [0, 0], [n, units]);
      const w2T = tf.slice(products, [n, 0], [classes, units]);
      const hidden = tf.relu(preActivation);
      const probabilities = tf.softmax(tf.matMul(hidden, w2T, false, true));
      const dLogits = tf.div(tf.sub(probabilities, tf.tensor2d(y, [n, classes])), n);
      const dHidden = tf.mul(tf.matMul(dLogits, w2T), tf.step(preActivation));
      // d loss / d params^T = [dHidden; dLogits^T hidden]^T A: the batch rows take the hidden layer's gradient, the
      // selector rows the output layer's.
      const stacked = tf.concat([dHidden, tf.matMul(tf.transpose(dLogits), hidden)], 0);
      const gradient = tf.matMul(tf.transpose(stacked), tf.tensor2d(a, [n + classes, height]));
      const c = this.constants;
      const m = tf.add(tf.mul(this.firstMoment, c.beta1), tf.mul(gradient, c.oneMinusBeta1));
      const v = tf.add(tf.mul(this.secondMoment, c.beta2), tf.mul(tf.square(gradient), c.oneMinusBeta2));
      const update = tf.div(m, tf.add(tf.sqrt(v), this.epsilon * correction2));
      return [tf.sub(this.params, tf.mul(update, stepSize)), m, v] as tf.Tensor2D[];
    });
    tf.dispose([this.params, this.firstMoment, this.secondMoment]);
    [this.params, this.firstMoment, this.secondMoment] = next;
  }

  dispose(): void {
    tf.dispose([this.params, this.firstMoment, this.secondMoment, ...Object.values(this.constants)]);
  }
}

/**
 * A = [rows with a 1 and `classes` zeros appended; 0 ... 0 | identity] of (n + classes) x (dim + 1 + classes):
 * A x [W1; b1; W2^T] gives each row's hidden-layer input and, below them, W2^T. Also A^T, and the one-hot labels.
 */
function batchArrays(set: TrainingRows, batch: readonly number[], { dim, classes }: Shape) {
  const n = batch.length;
  const width = dim + 1 + classes;
  const height = n + classes;
  const a = new Float32Array(height * width);
  const aT = new Float32Array(height * width);
  const y = new Float32Array(n * classes);
  batch.forEach((example, r) => {
    const row = set.rows.subarray(example * dim, (example + 1) * dim);
    a.set(row, r * width);
    a[r * width + dim] = 1;
    for (let c = 0; c < dim; c++) aT[c * height + r] = row[c];
    aT[dim * height + r] = 1;
    y[r * classes + set.labels[example]] = 1;
  });
  for (let k = 0; k < classes; k++) {
    a[(n + k) * width + dim + 1 + k] = 1;
    aT[(dim + 1 + k) * height + n + k] = 1;
  }
  return { a, aT, y };
}
