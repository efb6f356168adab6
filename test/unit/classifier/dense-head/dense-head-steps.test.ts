/**
 * The dense head's hand-written training steps against what tfjs computes itself for the same head: tf's tape
 * (optimizer.minimize) and tf.train.adam on Dense(units, relu) -> Dense(classes, no bias), softmax cross-entropy;
 * and the WebAssembly kernels against the plain JavaScript loops.
 */
import { expect } from '@open-wc/testing';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../../../../src/platform/backend';
import { createKernels, jsKernels } from '../../../../src/classifier/dense-head/dense-head-kernels';
import { AdamHead, type HeadArrays } from '../../../../src/classifier/dense-head/dense-head-steps';
import { seededRandom } from '../../../helpers/tiny-model';

/** 7 units: not a multiple of the kernels' 8 columns, so the padding is exercised. */
const shape = { dim: 24, units: 7, classes: 3 };

function randomWeights(seed: number): HeadArrays {
  const random = seededRandom(seed);
  const values = (n: number) => Float32Array.from({ length: n }, () => random() - 0.5);
  return { w1: values(shape.dim * shape.units), b1: values(shape.units), w2: values(shape.units * shape.classes) };
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).to.equal(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
};

describe('dense head training steps', () => {
  before(async () => {
    await useBackend('wasm');
  });

  it('runs WebAssembly SIMD kernels here, which compute what the JavaScript loops do', () => {
    const floats = 4096;
    const wasm = createKernels(floats);
    expect(wasm.kind).to.equal('wasm-simd');
    const js = jsKernels(new Float32Array(floats));
    const random = seededRandom(4);
    for (let i = 0; i < floats; i++) wasm.heap[i] = js.heap[i] = random() - 0.5;
    // 7 rows (one block of 4 and 3 more) of A (9 columns) times B (9 x 16); then A read transposed (9 x 7).
    for (const k of [wasm, js]) {
      k.matmul(0, 9, 1, 100, 1000, 7, 9, 16);
      k.matmul(0, 1, 9, 300, 1200, 9, 7, 16);
    }
    let reference = 0;
    for (let k = 0; k < 9; k++) reference += js.heap[5 * 9 + k] * js.heap[100 + k * 16 + 11];
    expect(wasm.heap[1000 + 5 * 16 + 11]).to.be.closeTo(reference, 1e-6);
    expect(maxAbsDiff(wasm.heap.subarray(1000, 1400), js.heap.subarray(1000, 1400))).to.be.lessThan(1e-6);
    // Adam, three steps on 400 parameters (second moments must not be negative).
    for (const k of [wasm, js]) {
      for (let i = 3000; i < 3400; i++) k.heap[i] = Math.abs(k.heap[i]);
      for (let step = 0; step < 3; step++) k.adam(2000, 2400, 3000, 3600, 400, 0.9, 0.999, 0.01, 1e-7, step === 1);
    }
    expect(maxAbsDiff(wasm.heap, js.heap)).to.be.lessThan(1e-6);
    expect(maxAbsDiff(wasm.heap.subarray(2000, 2400), jsKernels(new Float32Array(floats)).heap.subarray(0, 400))).to.be.greaterThan(0.1);
  });

  it('sets gradients and moments too small to move a weight to 0, so that none becomes a slow subnormal float', () => {
    for (const kernels of [createKernels(64), jsKernels(new Float32Array(64))]) {
      const { heap } = kernels;
      // Parameters at 0..3, m at 4..7, v at 8..11, gradients at 12..15.
      const start = [0.5, 0.5, 0.5, 0.5, 1.05e-30, 0.2, 0, 0, 1.0005e-35, 0.3, 0, 0, 0, 0, 1e-18, 1e-3];
      // Without flushing, the small moments stay.
      heap.set(start);
      kernels.adam(0, 4, 8, 12, 4, 0.9, 0.999, 0.01, 1e-7, false);
      expect(heap[4], kernels.kind).to.be.closeTo(0.9 * 1.05e-30, 1e-36);
      expect(heap[6], kernels.kind).to.be.closeTo(0.1 * 1e-18, 1e-24);
      heap.set(start);
      kernels.adam(0, 4, 8, 12, 4, 0.9, 0.999, 0.01, 1e-7, true);
      // 0.9 x 1.05e-30 and 0.999 x 1.0005e-35 fall below the limits; a gradient of 1e-18 is dropped.
      const expected = [0, 0.9 * 0.2, 0, 0.1 * 1e-3, 0, 0.999 * 0.3, 0, 0.001 * 1e-6];
      heap.subarray(4, 12).forEach((value, i) => {
        if (expected[i] === 0) expect(value, `${kernels.kind} ${i}`).to.equal(0);
        else expect(value / expected[i], `${kernels.kind} ${i}`).to.be.closeTo(1, 1e-6);
      });
      expect(heap[2], kernels.kind).to.equal(0.5);
      expect(heap[3], kernels.kind).to.be.lessThan(0.5);
    }
  });

  for (const preferWasm of [true, false]) {
    it(`takes the same Adam steps as tf.train.adam with tf’s own gradients (${preferWasm ? 'WebAssembly' : 'JavaScript'})`, () => {
      const random = seededRandom(2);
      const examples = 40;
      const set = {
        rows: Float32Array.from({ length: examples * shape.dim }, () => 2 * random() - 1),
        labels: Int32Array.from({ length: examples }, () => Math.floor(random() * shape.classes)),
      };
      const initial = randomWeights(3);
      const before = tf.memory().numTensors;
      const head = new AdamHead(initial, shape, 0.01, 10, preferWasm);
      expect(head.kernels.kind).to.equal(preferWasm ? 'wasm-simd' : 'js');
      // tidy frees the tensors the variables copy, and never variables.
      const reference = tf.tidy(() => ({
        w1: tf.variable(tf.tensor2d(initial.w1, [shape.dim, shape.units])),
        b1: tf.variable(tf.tensor1d(initial.b1)),
        w2: tf.variable(tf.tensor2d(initial.w2, [shape.units, shape.classes])),
      }));
      const optimizer = tf.train.adam(0.01);
      const x = tf.tensor2d(set.rows, [examples, shape.dim]);
      const y = tf.tidy(() => tf.oneHot(tf.tensor1d(set.labels, 'int32'), shape.classes));
      const logits = (rows: tf.Tensor2D) => tf.matMul(tf.relu(tf.add(tf.matMul(rows, reference.w1), reference.b1)), reference.w2);
      const batches = [
        [0, 5, 9, 13, 2, 7, 30, 31],
        [1, 2, 3],
        [39, 38, 10, 11, 12, 14, 15, 16, 17, 18],
      ];
      for (let round = 0; round < 4; round++) {
        for (const batch of batches) {
          head.step(set, batch);
          const indices = tf.tensor1d(batch, 'int32');
          optimizer.minimize(() => tf.losses.softmaxCrossEntropy(tf.gather(y, indices), logits(tf.gather(x, indices))) as tf.Scalar);
          indices.dispose();
        }
      }
      const trained = head.weights();
      const referenceValues = { w1: reference.w1.dataSync(), b1: reference.b1.dataSync(), w2: reference.w2.dataSync() };
      for (const key of ['w1', 'b1', 'w2'] as const) {
        // The weights moved (12 steps at rate 0.01), and both moved alike.
        expect(maxAbsDiff(trained[key], initial[key]), key).to.be.greaterThan(0.02);
        expect(maxAbsDiff(trained[key], referenceValues[key]), key).to.be.lessThan(1e-5);
      }
      // The measurement: tf's mean cross-entropy and accuracy with the same weights.
      const measured = head.measure(set);
      const [loss, accuracy] = tf.tidy(() => {
        const out = logits(x);
        return [
          tf.losses.softmaxCrossEntropy(y, out).dataSync()[0],
          tf.mean(tf.cast(tf.equal(tf.argMax(out, 1), tf.argMax(y, 1)), 'float32')).dataSync()[0],
        ];
      });
      expect(measured.loss).to.be.closeTo(loss, 1e-5);
      expect(measured.accuracy).to.be.closeTo(accuracy, 1e-6);
      tf.dispose([x, y, reference.w1, reference.b1, reference.w2]);
      optimizer.dispose();
      expect(tf.memory().numTensors).to.equal(before);
    });
  }
});
