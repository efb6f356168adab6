/**
 * Folding a layers model into fused ops, on small networks built from the same layer types as MobileNet V2
 * (the genuine model is compared in embedder-real.test.ts). Batch-norm statistics are set to non-trivial
 * values, since a freshly built layer's (mean 0, variance 1, gamma 1, beta 0) would hide a wrong fold.
 */
import { expect } from '@open-wc/testing';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../../../src/platform/backend';
import { Embedder } from '../../../src/models/embedder';
import { foldLayersModel } from '../../../src/models/fold-layers';
import { UnsupportedNetworkError } from '../../../src/models/fused-network';
import { seededRandom, solidImage, tinySpec } from '../../helpers/tiny-model';

const SIZE = 224;

/** Sets every weight of `model` to seeded values; variances positive, as trained ones are. */
function randomiseWeights(model: tf.LayersModel, seed: number): void {
  const random = seededRandom(seed);
  for (const layer of model.layers.flatMap((l) => (l instanceof tf.LayersModel ? l.layers : [l]))) {
    const values = layer.getWeights().map((w, i) => {
      const name = layer.weights[i].originalName;
      const positive = name.endsWith('/moving_variance') || name.endsWith('/gamma');
      return tf.tensor(Float32Array.from({ length: w.size }, () => (positive ? 0.2 + random() : random() - 0.5)), w.shape);
    });
    layer.setWeights(values);
    tf.dispose(values);
  }
}

/** An inverted-residual block as MobileNet V2 has them: expand, pad, strided depthwise, project, residual add. */
function mobileNetLike(seed: number): tf.LayersModel {
  const input = tf.input({ shape: [SIZE, SIZE, 3] });
  const bn = () => tf.layers.batchNormalization({ epsilon: 0.001 });
  const relu6 = () => tf.layers.reLU({ maxValue: 6 });
  let x = tf.layers.zeroPadding2d({ padding: [[0, 1], [0, 1]] }).apply(input) as tf.SymbolicTensor;
  x = tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'valid', useBias: false }).apply(x) as tf.SymbolicTensor;
  x = relu6().apply(bn().apply(x)) as tf.SymbolicTensor;
  let y = tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', useBias: false }).apply(x) as tf.SymbolicTensor;
  y = relu6().apply(bn().apply(y)) as tf.SymbolicTensor;
  y = bn().apply(tf.layers.conv2d({ filters: 8, kernelSize: 1, useBias: false }).apply(y)) as tf.SymbolicTensor;
  x = tf.layers.add().apply([x, y]) as tf.SymbolicTensor;
  x = tf.layers.conv2d({ filters: 16, kernelSize: 1, useBias: true }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.reLU({}).apply(bn().apply(x)) as tf.SymbolicTensor;
  x = tf.layers.zeroPadding2d({ padding: [[1, 1], [0, 1]] }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.depthwiseConv2d({ kernelSize: 3, strides: 2, depthMultiplier: 2, padding: 'valid', useBias: true }).apply(x) as tf.SymbolicTensor;
  x = relu6().apply(bn().apply(x)) as tf.SymbolicTensor;
  // A batch norm after an add has no convolution to fold into: it stays a scale and shift.
  const base = tf.model({ inputs: input, outputs: x });
  // Teachable Machine's file nests the base model in a Sequential that pools it.
  const outer = tf.sequential({ layers: [base, bn(), tf.layers.globalAveragePooling2d({})] });
  randomiseWeights(outer, seed);
  return outer;
}

const maxAbsDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe('foldLayersModel', () => {
  before(async () => {
    await useBackend('wasm');
  });

  it('gives what predict gives, with every batch norm after a convolution, ReLU and padding folded in', () => {
    const model = mobileNetLike(5);
    const folded = foldLayersModel(model);
    try {
      const kinds = folded.steps.map((s) => s.kind);
      expect(kinds).to.deep.equal(['conv', 'depthwise', 'conv', 'add', 'conv', 'depthwise', 'affine', 'mean']);
      const activations = folded.steps.map((s) => ('activation' in s ? s.activation : null));
      expect(activations).to.deep.equal(['relu6', 'relu6', 'linear', null, 'relu', 'relu6', null, null]);
      const x = tf.randomUniform([2, SIZE, SIZE, 3], -1, 1, 'float32', 3) as tf.Tensor4D;
      const expected = (model.predict(x) as tf.Tensor).dataSync() as Float32Array;
      const before = tf.memory().numTensors;
      const out = folded.run(x);
      expect(tf.memory().numTensors).to.equal(before + 1);
      expect(out.shape).to.deep.equal([2, 32]);
      const actual = out.dataSync() as Float32Array;
      out.dispose();
      x.dispose();
      expect(Math.max(...expected.map(Math.abs))).to.be.greaterThan(0.1);
      expect(maxAbsDiff(actual, expected)).to.be.lessThan(1e-4);
    } finally {
      folded.dispose();
      model.dispose();
    }
  });

  it('owns its weights: it leaves no tensor behind once disposed, and still runs after the model is disposed', () => {
    const model = mobileNetLike(6);
    const x = tf.randomUniform([1, SIZE, SIZE, 3], -1, 1, 'float32', 4) as tf.Tensor4D;
    const expected = tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync() as Float32Array);
    const before = tf.memory().numTensors;
    const folded = foldLayersModel(model);
    model.dispose();
    const out = folded.run(x);
    expect(maxAbsDiff(out.dataSync() as Float32Array, expected)).to.be.lessThan(1e-4);
    out.dispose();
    folded.dispose();
    x.dispose();
    // The model's own weights were disposed with it; the fold added none that outlive it.
    expect(tf.memory().numTensors).to.be.lessThan(before);
  });

  it('refuses a layer it does not know, leaving no tensor behind; the Embedder then runs the model as loaded', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [SIZE, SIZE, 3], filters: 4, kernelSize: 3 }),
        tf.layers.batchNormalization({}),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.globalAveragePooling2d({}),
      ],
    });
    randomiseWeights(model, 7);
    const before = tf.memory().numTensors;
    expect(() => foldLayersModel(model)).to.throw(UnsupportedNetworkError, /MaxPooling2D/);
    expect(tf.memory().numTensors).to.equal(before);
    const embedder = new Embedder(tinySpec({ embeddingDim: 4 }), model);
    expect(embedder.execution).to.equal('layers');
    const image = solidImage([10, 200, 30], 20);
    const embedding = embedder.embed(image);
    const expected = tf.tidy(() => model.predict(tf.browser.fromPixels(image).toFloat().div(127.5).sub(1).expandDims(0)) as tf.Tensor);
    expect(maxAbsDiff(embedding.dataSync() as Float32Array, expected.dataSync() as Float32Array)).to.be.lessThan(1e-5);
    tf.dispose([embedding, expected]);
    embedder.dispose();
  });

  it('is how the Embedder runs a network made of known layers, tensor-neutral and equal to predict', () => {
    const model = mobileNetLike(8);
    const embedder = new Embedder(tinySpec({ embeddingDim: 32 }), model);
    expect(embedder.execution).to.equal('fused ops');
    const image = solidImage([120, 40, 220], 20);
    const expected = tf.tidy(() => model.predict(tf.browser.fromPixels(image).toFloat().div(127.5).sub(1).expandDims(0)) as tf.Tensor);
    const before = tf.memory().numTensors;
    const embedding = embedder.embed(image);
    expect(tf.memory().numTensors).to.equal(before + 1);
    expect(maxAbsDiff(embedding.dataSync() as Float32Array, expected.dataSync() as Float32Array)).to.be.lessThan(1e-4);
    tf.dispose([embedding, expected]);
    const held = tf.memory().numTensors;
    embedder.dispose();
    expect(tf.memory().numTensors).to.be.lessThan(held);
  });
});
