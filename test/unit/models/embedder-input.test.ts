/**
 * Embedder.embed reads a 224 x 224 ImageData straight into the model's float32 input on the CPU backends (wasm,
 * cpu): the embedding must be the very one fromPixels and embedBatch's cast, multiply and add give.
 */
import { expect } from '@open-wc/testing';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../../../src/platform/backend';
import { Embedder, inputTable } from '../../../src/models/embedder';
import { tinyNetwork, tinySpec } from '../../helpers/tiny-model';

/** Every channel value, each channel of each pixel different, so a swapped or shifted channel shows. */
function noise(width = 224, height = 224, seed = 7): ImageData {
  const image = new ImageData(width, height);
  let state = seed;
  for (let i = 0; i < image.data.length; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    image.data[i] = i % 4 === 3 ? 255 : state >>> 24;
  }
  return image;
}

/** The embedding as embedBatch makes it from fromPixels: the reference. */
function reference(embedder: Embedder, image: ImageData): Float32Array {
  return tf.tidy(() => embedder.embedBatch(tf.browser.fromPixels(image).expandDims(0) as tf.Tensor4D).dataSync() as Float32Array);
}

describe('inputTable', () => {
  it('maps 0..255 onto the model input range, as float32 arithmetic does', () => {
    const symmetric = inputTable([-1, 1]);
    expect(symmetric.length).to.equal(256);
    expect(symmetric[0]).to.equal(-1);
    expect(symmetric[255]).to.equal(1);
    expect(symmetric[51]).to.equal(Math.fround(Math.fround(51 * Math.fround(2 / 255)) - 1));
    const unit = inputTable([0, 1]);
    expect(unit[0]).to.equal(0);
    expect(unit[255]).to.equal(1);
    expect(unit[128]).to.be.closeTo(128 / 255, 1e-7);
  });
});

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`Embedder.embed of an ImageData on ${backend}`, () => {
    let symmetric: Embedder;
    let unit: Embedder;

    before(async () => {
      await useBackend(backend);
      symmetric = new Embedder(tinySpec({ inputRange: [-1, 1] }), tinyNetwork(8, 3));
      unit = new Embedder(tinySpec({ inputRange: [0, 1] }), tinyNetwork(8, 4));
    });

    after(async () => {
      symmetric.dispose();
      unit.dispose();
      await useBackend('wasm');
    });

    it('gives exactly the embedding of fromPixels and embedBatch, for either input range', () => {
      for (const [embedder, seed] of [
        [symmetric, 1],
        [unit, 2],
        [symmetric, 3],
      ] as const) {
        const image = noise(224, 224, seed);
        const embedding = embedder.embed(image);
        expect(embedding.shape).to.deep.equal([8]);
        expect(Array.from(embedding.dataSync())).to.deep.equal(Array.from(reference(embedder, image)));
        embedding.dispose();
      }
    });

    it('tells two images apart that differ in one channel of one pixel', () => {
      const image = noise();
      const changed = new ImageData(new Uint8ClampedArray(image.data), 224, 224);
      changed.data[(100 * 224 + 37) * 4 + 2] ^= 0x80;
      const a = symmetric.embed(image);
      const b = symmetric.embed(changed);
      expect(Array.from(a.dataSync())).to.not.deep.equal(Array.from(b.dataSync()));
      expect(Array.from(b.dataSync())).to.deep.equal(Array.from(reference(symmetric, changed)));
      a.dispose();
      b.dispose();
    });

    it('still resizes an ImageData of another size, and leaves no tensor behind', () => {
      const before = tf.memory().numTensors;
      const small = noise(100, 60);
      const embedding = symmetric.embed(small);
      expect(Array.from(embedding.dataSync())).to.deep.equal(Array.from(reference(symmetric, small)));
      embedding.dispose();
      symmetric.embed(noise()).dispose();
      expect(tf.memory().numTensors).to.equal(before);
    });
  });
}
