/**
 * The dense head's training steps on plain Float32Arrays (no tfjs, so they run in a worker as well as on the page):
 * Dense(units, relu) -> Dense(classes, no bias), the mean softmax cross-entropy, gradients written out by hand
 * (d loss / d logits = (softmax - y) / n) and tf.train.adam's update, up to float rounding.
 * The two large products (the batch through W1, and W1's gradient X^T dHidden) and the Adam update over every
 * parameter run in dense-head-kernels.ts; the small ones (through W2, 10 classes) in plain loops here.
 *
 * Everything lives on the kernels' heap: [W1 | b1 | W2] (the parameters, in that order, one block so one Adam
 * call updates them all), the two moments and the gradient in the same layout, the rows being pushed through
 * and their hidden layer. The hidden layer is padded to a multiple of COLUMN_BLOCK units whose weights start and
 * stay 0 (their gradient is always 0, so Adam leaves them at 0): the head computes exactly what an unpadded one does.
 */
import { COLUMN_BLOCK, createKernels, flush, FLUSH, type Kernels } from './dense-head-kernels';
import { mulberry32 } from '../training-data';

export interface Shape {
  readonly dim: number;
  readonly units: number;
  readonly classes: number;
}

/** The weights as tfjs shapes them: w1 [dim, units], b1 [units], w2 [units, classes], row after row. */
export interface HeadArrays {
  readonly w1: Float32Array;
  readonly b1: Float32Array;
  readonly w2: Float32Array;
}

/** Examples as the head sees them (see prepareRows in dense-head.ts), n rows of dim, and their class indices. */
export interface TrainingRows {
  readonly rows: Float32Array;
  readonly labels: Int32Array;
}

const BETA1 = 0.9;
const BETA2 = 0.999;
/** tf.train.adam's default: the float32 backends' epsilon. */
const EPSILON = 1e-7;
/**
 * Adam sets moments too small to matter to 0 every this many steps (see FLUSH): in 16 steps a first moment of 1e-30
 * decays to 1.9e-31 and a second of 1e-35 to 9.8e-36, both far above the subnormal range (below 1.2e-38), and
 * the gradients come in already flushed. Flushing every step made the update twice as slow.
 */
const FLUSH_EVERY = 16;

/** Rows pushed through the head at once when measuring a whole set. */
const MEASURE_ROWS = 128;

/**
 * Teachable Machine's initialiser (variance scaling, fan-in, truncated normal), seeded: tf's truncated normal
 * redraws beyond two standard deviations, and variance scaling divides by that truncation's shrinkage.
 */
export function initialWeights(shape: Shape, seed: number): HeadArrays {
  const draw = (count: number, fanIn: number, streamSeed: number) => {
    const uniform = mulberry32(streamSeed);
    const stddev = Math.sqrt(1 / fanIn) / 0.87962566103423978;
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) {
      let z: number;
      do z = Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
      while (Math.abs(z) > 2);
      out[i] = z * stddev;
    }
    return out;
  };
  return {
    w1: draw(shape.dim * shape.units, shape.dim, seed + 2),
    b1: new Float32Array(shape.units),
    w2: draw(shape.units * shape.classes, shape.units, seed + 3),
  };
}

/** A head being trained with Adam. */
export class AdamHead {
  readonly kernels: Kernels;
  /** Hidden units padded to COLUMN_BLOCK. */
  private readonly width: number;
  private readonly capacity: number;
  private readonly count: number;
  private readonly at: { w1: number; b1: number; w2: number; m: number; v: number; g: number; x: number; hidden: number; dHidden: number };
  /** Per row pushed through: the logits, their log-sum-exp and the softmax probabilities. */
  private readonly logits: Float64Array;
  private readonly logSumExp: Float64Array;
  private readonly probabilities: Float64Array;
  private readonly gradW2: Float64Array;
  private readonly gradB1: Float64Array;
  private readonly classSums: Float64Array;
  private steps = 0;

  /** `batchSize`: the most rows a step gets. `preferWasm`: false to run the JavaScript loops (tests compare them). */
  constructor(
    initial: HeadArrays,
    readonly shape: Shape,
    private readonly learningRate: number,
    batchSize: number,
    preferWasm = true,
  ) {
    const { dim, units, classes } = shape;
    this.width = Math.ceil(units / COLUMN_BLOCK) * COLUMN_BLOCK;
    this.capacity = Math.max(batchSize, MEASURE_ROWS);
    // Parameters, padded to a multiple of 4 for Adam's four-at-a-time update.
    this.count = Math.ceil((dim * this.width + this.width + this.width * classes) / 4) * 4;
    const w1 = 0;
    const b1 = dim * this.width;
    const w2 = b1 + this.width;
    const m = this.count;
    const v = m + this.count;
    const g = v + this.count;
    const x = g + this.count;
    const hidden = x + this.capacity * dim;
    const dHidden = hidden + this.capacity * this.width;
    this.at = { w1, b1, w2, m, v, g, x, hidden, dHidden };
    this.kernels = createKernels(dHidden + this.capacity * this.width, preferWasm);
    this.logits = new Float64Array(this.capacity * classes);
    this.logSumExp = new Float64Array(this.capacity);
    this.probabilities = new Float64Array(this.capacity * classes);
    this.gradW2 = new Float64Array(this.width * classes);
    this.gradB1 = new Float64Array(this.width);
    this.classSums = new Float64Array(classes);
    const heap = this.kernels.heap;
    for (let k = 0; k < dim; k++) heap.set(initial.w1.subarray(k * units, (k + 1) * units), w1 + k * this.width);
    heap.set(initial.b1, b1);
    heap.set(initial.w2, w2);
  }

  /** A copy of the current weights. */
  weights(): HeadArrays {
    const { dim, units, classes } = this.shape;
    const heap = this.kernels.heap;
    const w1 = new Float32Array(dim * units);
    for (let k = 0; k < dim; k++) w1.set(heap.subarray(this.at.w1 + k * this.width, this.at.w1 + k * this.width + units), k * units);
    return {
      w1,
      b1: heap.slice(this.at.b1, this.at.b1 + units),
      w2: heap.slice(this.at.w2, this.at.w2 + units * classes),
    };
  }

  /** One Adam step on the mean cross-entropy of the examples at `batch` (indices into `set`). */
  step(set: TrainingRows, batch: readonly number[]): void {
    const { dim, classes } = this.shape;
    const { heap } = this.kernels;
    const { width, at } = this;
    const n = batch.length;
    this.forward(set, batch);
    // d loss / d logits = (softmax - y) / n, in place of the probabilities.
    const d = this.probabilities;
    for (let r = 0; r < n; r++) {
      const label = set.labels[batch[r]];
      for (let c = 0; c < classes; c++) d[r * classes + c] = (d[r * classes + c] - (c === label ? 1 : 0)) / n;
    }
    // dW2 = hidden^T dLogits; dHidden = dLogits W2^T where the unit was active; db1 = the column sums of dHidden.
    const gw2 = at.g + (at.w2 - at.w1);
    const gb1 = at.g + (at.b1 - at.w1);
    // Summed in doubles, and stored without subnormal floats (see FLUSH), which would slow down what reads them.
    const gradW2 = this.gradW2.fill(0);
    const gradB1 = this.gradB1.fill(0);
    for (let r = 0; r < n; r++) {
      const hidden = at.hidden + r * width;
      const dHidden = at.dHidden + r * width;
      for (let j = 0; j < width; j++) {
        const h = heap[hidden + j];
        // An inactive unit (about half of them) passes no gradient back and adds nothing to dW2.
        if (h === 0) {
          heap[dHidden + j] = 0;
          continue;
        }
        let sum = 0;
        for (let c = 0; c < classes; c++) {
          const dl = d[r * classes + c];
          gradW2[j * classes + c] += h * dl;
          sum += dl * heap[at.w2 + j * classes + c];
        }
        const grad = h > 0 ? flush(sum, FLUSH.gradient) : 0;
        heap[dHidden + j] = grad;
        gradB1[j] += grad;
      }
    }
    for (let i = 0; i < gradW2.length; i++) heap[gw2 + i] = flush(gradW2[i], FLUSH.gradient);
    for (let j = 0; j < width; j++) heap[gb1 + j] = flush(gradB1[j], FLUSH.gradient);
    // dW1 = X^T dHidden: X read column-wise, so no transposed copy.
    this.kernels.matmul(at.x, 1, dim, at.dHidden, at.g + at.w1, dim, n, width);
    this.steps++;
    // tf.train.adam's m_hat / (sqrt(v_hat) + eps), with both bias corrections moved onto the step size and epsilon.
    const correction2 = Math.sqrt(1 - BETA2 ** this.steps);
    const stepSize = (this.learningRate * correction2) / (1 - BETA1 ** this.steps);
    const flushing = this.steps % FLUSH_EVERY === 0;
    this.kernels.adam(at.w1, at.m, at.v, at.g, this.count, BETA1, BETA2, stepSize, EPSILON * correction2, flushing);
  }

  /** Mean cross-entropy and accuracy of the head on every example of `set`. */
  measure(set: TrainingRows): { loss: number; accuracy: number } {
    const { classes } = this.shape;
    // The products here skip inactive units, and so would miss the NaN of 0 x Infinity that tf's products give
    // once a weight has overflowed: a weight that is no longer finite makes the loss NaN directly.
    const { heap } = this.kernels;
    for (let i = 0; i < this.count; i++) {
      if (!Number.isFinite(heap[this.at.w1 + i])) return { loss: Number.NaN, accuracy: 0 };
    }
    const total = set.labels.length;
    let loss = 0;
    let hits = 0;
    const chunk: number[] = [];
    for (let start = 0; start < total; start += MEASURE_ROWS) {
      chunk.length = 0;
      for (let i = start; i < Math.min(total, start + MEASURE_ROWS); i++) chunk.push(i);
      this.forward(set, chunk);
      // The loss is -log softmax(label) = logSumExp - logit(label); a hit when the label's logit is the largest.
      for (let r = 0; r < chunk.length; r++) {
        const row = r * classes;
        const label = set.labels[chunk[r]];
        let best = 0;
        for (let c = 1; c < classes; c++) if (this.logits[row + c] > this.logits[row + best]) best = c;
        if (best === label) hits++;
        loss += this.logSumExp[r] - this.logits[row + label];
      }
    }
    return { loss: loss / total, accuracy: hits / total };
  }

  /**
   * The rows at `batch` (at most the capacity) through the head: copies them onto the heap, leaves relu(X W1 + b1)
   * in `hidden`, and the logits, their log-sum-exp and the probabilities in the arrays of those names.
   */
  private forward(set: TrainingRows, batch: readonly number[]): void {
    const { dim, classes } = this.shape;
    const { heap } = this.kernels;
    const { width, at } = this;
    const n = batch.length;
    batch.forEach((example, r) => heap.set(set.rows.subarray(example * dim, (example + 1) * dim), at.x + r * dim));
    this.kernels.matmul(at.x, dim, 1, at.w1, at.hidden, n, dim, width);
    for (let r = 0; r < n; r++) {
      const hidden = at.hidden + r * width;
      for (let j = 0; j < width; j++) {
        const h = heap[hidden + j] + heap[at.b1 + j];
        heap[hidden + j] = h > 0 ? h : 0;
      }
      const row = r * classes;
      // logits = hidden W2, skipping inactive units (adding their zero terms would change no sum).
      const sums = this.classSums.fill(0);
      for (let j = 0; j < width; j++) {
        const h = heap[hidden + j];
        if (h === 0) continue;
        const weights = at.w2 + j * classes;
        for (let c = 0; c < classes; c++) sums[c] += h * heap[weights + c];
      }
      let max = Number.NEGATIVE_INFINITY;
      for (let c = 0; c < classes; c++) {
        const logit = Math.fround(sums[c]);
        this.logits[row + c] = logit;
        if (logit > max) max = logit;
      }
      let total = 0;
      for (let c = 0; c < classes; c++) total += Math.exp(this.logits[row + c] - max);
      this.logSumExp[r] = max + Math.log(total);
      for (let c = 0; c < classes; c++) this.probabilities[row + c] = Math.exp(this.logits[row + c] - this.logSumExp[r]);
    }
  }
}
