/**
 * The dense head's hand-written training step against what tfjs computes itself for the same head: tf's tape
 * (optimizer.minimize) and tf.train.adam on Dense(units, relu) -> Dense(classes, no bias), softmax cross-entropy.
 */
import { expect } from '@open-wc/testing';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../../src/backend';
import { packWeights, PackedAdamTrainer, unpackWeights, type HeadWeights } from '../../src/classifier/dense-head-steps';
import { seededRandom } from '../helpers/tiny-model';

const shape = { dim: 24, units: 7, classes: 3 };

function randomWeights(seed: number): HeadWeights {
  const random = seededRandom(seed);
  const values = (n: number) => Float32Array.from({ length: n }, () => random() - 0.5);
  return {
    w1: tf.tensor2d(values(shape.dim * shape.units), [shape.dim, shape.units]),
    b1: tf.tensor1d(values(shape.units)),
    w2: tf.tensor2d(values(shape.units * shape.classes), [shape.units, shape.classes]),
  };
}

const maxAbsDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
const disposeWeights = (w: HeadWeights) => tf.dispose([w.w1, w.b1, w.w2]);

describe('dense head training steps', () => {
  before(async () => {
    await useBackend('wasm');
  });

  it('packs and unpacks the weights unchanged, leaving no tensor behind', () => {
    const weights = randomWeights(1);
    const before = tf.memory().numTensors;
    const packed = packWeights(weights);
    expect(packed.shape).to.deep.equal([shape.dim + 1 + shape.classes, shape.units]);
    const back = unpackWeights(packed, shape);
    expect(back.b1.rank).to.equal(1);
    for (const key of ['w1', 'b1', 'w2'] as const) {
      expect(back[key].shape, key).to.deep.equal(weights[key].shape);
      expect(maxAbsDiff(back[key], weights[key]), key).to.equal(0);
    }
    packed.dispose();
    disposeWeights(back);
    expect(tf.memory().numTensors).to.equal(before);
    disposeWeights(weights);
  });

  it('takes the same Adam steps as tf.train.adam with tf’s own gradients', () => {
    const random = seededRandom(2);
    const examples = 40;
    const set = {
      rows: Float32Array.from({ length: examples * shape.dim }, () => 2 * random() - 1),
      labels: Int32Array.from({ length: examples }, () => Math.floor(random() * shape.classes)),
    };
    const initial = randomWeights(3);
    const before = tf.memory().numTensors;
    const trainer = new PackedAdamTrainer(initial, shape, 0.01);
    // tf.variable copies what it is given.
    const reference = { w1: tf.variable(initial.w1), b1: tf.variable(initial.b1), w2: tf.variable(initial.w2) };
    const optimizer = tf.train.adam(0.01);
    const x = tf.tensor2d(set.rows, [examples, shape.dim]);
    const y = tf.tidy(() => tf.oneHot(tf.tensor1d(set.labels, 'int32'), shape.classes));
    const batches = [
      [0, 5, 9, 13, 2, 7, 30, 31],
      [1, 2, 3],
      [39, 38, 10, 11, 12, 14, 15, 16, 17, 18],
    ];
    for (let round = 0; round < 4; round++) {
      for (const batch of batches) {
        trainer.step(set, batch);
        const indices = tf.tensor1d(batch, 'int32');
        optimizer.minimize(() => {
          const xb = tf.gather(x, indices);
          const hidden = tf.relu(tf.add(tf.matMul(xb, reference.w1), reference.b1));
          return tf.losses.softmaxCrossEntropy(tf.gather(y, indices), tf.matMul(hidden, reference.w2)) as tf.Scalar;
        });
        indices.dispose();
      }
    }
    const trained = trainer.weights();
    for (const key of ['w1', 'b1', 'w2'] as const) {
      // The weights moved (12 steps at rate 0.01), and both moved alike.
      expect(maxAbsDiff(trained[key], initial[key]), key).to.be.greaterThan(0.02);
      expect(maxAbsDiff(trained[key], reference[key]), key).to.be.lessThan(1e-5);
    }
    disposeWeights(trained);
    tf.dispose([x, y, reference.w1, reference.b1, reference.w2]);
    optimizer.dispose();
    trainer.dispose();
    expect(tf.memory().numTensors).to.equal(before);
    disposeWeights(initial);
  });
});
