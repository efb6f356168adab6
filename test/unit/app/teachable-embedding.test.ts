import { expect } from '@open-wc/testing';
import * as tf from '@tensorflow/tfjs';
import { Teachable } from '../../../src/app/teachable';
import { tinyEmbedderPair, TINY_DIM } from '../../helpers/tiny-model';

/** A 224 x 224 frame of one colour. */
function frameOf(red: number, green: number, blue: number): ImageData {
  const image = new ImageData(224, 224);
  for (let i = 0; i < image.data.length; i += 4) image.data.set([red, green, blue, 255], i);
  return image;
}

/** The page's own embedding of `pixels`, read once. */
function embeddingOf(teachable: Teachable, pixels: ImageData): Float32Array {
  const tensor = teachable.embedder!.embed(pixels);
  try {
    return tensor.dataSync<'float32'>().slice();
  } finally {
    tensor.dispose();
  }
}

describe('Teachable.processEmbedding (a frame embedded elsewhere, e.g. in the frame worker)', () => {
  const tiny = tinyEmbedderPair();

  it('records and votes exactly as processFrame does on the same frames, leaving no tensor behind', async () => {
    const frames = [frameOf(200, 30, 30), frameOf(30, 200, 30), frameOf(190, 40, 35)];
    const byPixels = new Teachable();
    const byValues = new Teachable();
    byPixels.setEmbedder(tiny.a);
    byValues.setEmbedder(tiny.a);
    const tensors = tf.memory().numTensors;
    try {
      const [a1, a2] = byPixels.classes;
      const [b1, b2] = byValues.classes;
      await byPixels.processFrame(frames[0], a1.id);
      await byPixels.processFrame(frames[1], a2.id);
      const expected = await byPixels.processFrame(frames[2], null);
      expect((await byValues.processEmbedding(embeddingOf(byValues, frames[0]), b1.id)).recordedTo).to.equal(b1.id);
      await byValues.processEmbedding(embeddingOf(byValues, frames[1]), b2.id);
      const got = await byValues.processEmbedding(embeddingOf(byValues, frames[2]), null);
      expect(got.prediction.classId).to.equal(b1.id);
      expect(got.prediction.votes.map((v) => v.confidence)).to.deep.equal(expected.prediction.votes.map((v) => v.confidence));
      expect(got.unknown).to.equal(expected.unknown);
      expect(Array.from(byValues.readExamplesNow(tiny.a.spec.id, b1.id))).to.deep.equal(Array.from(byPixels.readExamplesNow(tiny.a.spec.id, a1.id)));
      expect(tf.memory().numTensors, 'tensors left behind').to.equal(tensors);
    } finally {
      byPixels.dispose();
      byValues.dispose();
    }
  });

  it('refuses numbers that are not an embedding of the loaded model, and frames with no model', async () => {
    const teachable = new Teachable();
    try {
      let error: unknown = null;
      await teachable.processEmbedding(new Float32Array(TINY_DIM), null).catch((e: unknown) => (error = e));
      expect(String(error)).to.match(/No model is loaded/);
      teachable.setEmbedder(tiny.a);
      error = null;
      await teachable.processEmbedding(new Float32Array(TINY_DIM + 1), teachable.classes[0].id).catch((e: unknown) => (error = e));
      expect(error).to.be.instanceOf(RangeError);
      expect(teachable.exampleCount(teachable.classes[0].id)).to.equal(0);
    } finally {
      teachable.dispose();
    }
  });
});
