import { expect } from '@open-wc/testing';
import * as tf from '@tensorflow/tfjs';
import { Teachable } from '../../../src/app/teachable';
import { solidImage, tinyEmbedderPair } from '../../helpers/tiny-model';

const RED = solidImage([220, 30, 30], 20);
const BLUE = solidImage([30, 30, 220], 20);
const RED_AGAIN = solidImage([230, 40, 25], 10);
const BLUE_AGAIN = solidImage([25, 45, 230], 10);

describe("Teachable with the classic vote (knn-classifier's predictClass)", () => {
  const tiny = tinyEmbedderPair();
  let teachable: Teachable;

  beforeEach(() => {
    teachable = new Teachable();
    teachable.setEmbedder(tiny.a);
  });

  afterEach(() => teachable.dispose());

  const shares = async (pixels: ImageData) => {
    const { prediction } = await teachable.processFrame(pixels, null);
    return { classId: prediction.classId, confidences: prediction.votes.map((v) => v.confidence) };
  };

  it('follows recordings, clears, deletes and model switches, and lets every tensor go when another vote is chosen', async () => {
    const tensors = tf.memory().numTensors;
    const [first, second] = teachable.classes.map((c) => c.id);
    await teachable.processFrame(RED, first);
    await teachable.processFrame(BLUE, second);
    await teachable.processFrame(BLUE, second);
    teachable.voteOptions = { ...teachable.voteOptions, method: 'knn-classifier', k: 3 };
    expect(await shares(RED_AGAIN)).to.deep.equal({ classId: second, confidences: [1 / 3, 2 / 3] });
    teachable.voteOptions = { ...teachable.voteOptions, k: 1 };
    expect(await shares(RED_AGAIN)).to.deep.equal({ classId: first, confidences: [1, 0] });
    expect(tf.memory().numTensors).to.be.greaterThan(tensors);

    // Cleared and recorded again to as many examples as before: its red example is gone. Three equal blue examples
    // now, whose tie goes to the first class (the red one still held would leave the vote to the second).
    teachable.clearClass(first);
    await teachable.processFrame(BLUE, first);
    expect(await shares(BLUE_AGAIN)).to.deep.equal({ classId: first, confidences: [1, 0] });

    teachable.setEmbedder(tiny.b);
    expect(await shares(RED_AGAIN)).to.deep.equal({ classId: null, confidences: [0, 0] });
    teachable.setEmbedder(tiny.a);
    teachable.deleteClass(second);
    expect(await shares(RED_AGAIN)).to.deep.equal({ classId: first, confidences: [1] });
    expect((await shares(BLUE_AGAIN)).classId).to.equal(first);

    teachable.voteOptions = { ...teachable.voteOptions, method: 'soft-nearest' };
    expect(tf.memory().numTensors).to.equal(tensors);
    expect((await shares(RED_AGAIN)).classId).to.equal(first);
  });

  it('is saved and restored as the chosen vote, and refuses a method it does not know', () => {
    teachable.voteOptions = { k: 5, sharpness: 30, method: 'knn-classifier' };
    const saved = teachable.savedState();
    const restored = new Teachable(0);
    try {
      restored.restoreState(saved, []);
      expect(restored.voteOptions).to.deep.equal({ k: 5, sharpness: 30, method: 'knn-classifier' });
    } finally {
      restored.dispose();
    }
    expect(() => (teachable.voteOptions = { k: 3, sharpness: 30, method: 'majority' as never })).to.throw(
      "The vote method is 'soft-nearest', 'mean-of-k' or 'knn-classifier', not \"majority\".",
    );
  });
});
