import { expect } from '@open-wc/testing';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../../../src/platform/backend';
import { Embedder } from '../../../src/models/embedder';
import { planReembed, reembedForModel } from '../../../src/app/model-reembed';
import { Teachable } from '../../../src/app/teachable';
import { solidImage, tinyNetwork, tinySpec } from '../../helpers/tiny-model';

/** The frame as the app keeps it: a small JPEG data URL of its pixels. */
function frameUrl(pixels: ImageData): string {
  const canvas = Object.assign(document.createElement('canvas'), { width: pixels.width, height: pixels.height });
  canvas.getContext('2d')!.putImageData(pixels, 0, 0);
  return canvas.toDataURL('image/jpeg', 0.8);
}

describe('re-embedding for a new model', () => {
  let older: Embedder;
  let newer: Embedder;
  let teachable: Teachable;

  before(async () => {
    await useBackend('wasm');
    older = new Embedder(tinySpec(), tinyNetwork(8, 1));
    newer = new Embedder(tinySpec(), tinyNetwork(8, 2));
  });

  after(() => {
    older.dispose();
    newer.dispose();
  });

  beforeEach(async () => {
    teachable = new Teachable(2);
    teachable.setEmbedder(older);
    const [red, blue] = teachable.classes.map((c) => c.id);
    for (let i = 0; i < 5; i++) {
      const r = solidImage([200 + 8 * i, 30, 30], 4 * i);
      const b = solidImage([30, 30, 200 + 8 * i], 4 * i);
      await teachable.processFrame(r, red, () => frameUrl(r));
      await teachable.processFrame(b, blue, () => frameUrl(b));
    }
    await teachable.processFrame(solidImage([30, 30, 250], 3), blue, () => frameUrl(solidImage([30, 30, 250], 3)));
  });

  afterEach(() => teachable.dispose());

  it('offers nothing with the model the examples were made with, and every kept frame after a switch', () => {
    expect(planReembed(teachable)).to.equal(null);
    teachable.setEmbedder(newer);
    const plan = planReembed(teachable)!;
    expect(plan.fromModel).to.equal(older.spec.id);
    expect(plan.toModel).to.equal(newer.spec.id);
    expect(plan.classes.map((c) => [c.label, c.examples, c.frames])).to.deep.equal([
      ['Class 1', 5, 5],
      ['Class 2', 6, 6],
    ]);
    expect([plan.examples, plan.frames]).to.deep.equal([11, 11]);
  });

  it('gives each class as many examples with the new model, which then recognises its frames', async () => {
    teachable.setEmbedder(newer);
    const [red, blue] = teachable.classes.map((c) => c.id);
    const tensors = tf.memory().numTensors;
    const progress: number[] = [];
    const added = await reembedForModel(teachable, newer, planReembed(teachable)!, { onProgress: (p) => progress.push(p.done) });
    expect(added).to.equal(11);
    expect(progress.at(-1)).to.equal(11);
    expect(tf.memory().numTensors).to.equal(tensors);
    expect([teachable.exampleCount(red), teachable.exampleCount(blue)]).to.deep.equal([5, 6]);
    expect(teachable.exampleCountFor(older.spec.id, red)).to.equal(5);
    expect(teachable.thumbnails(red)).to.have.length.greaterThan(0);
    expect((await teachable.processFrame(solidImage([225, 35, 28], 15), null)).prediction.classId).to.equal(red);
    expect((await teachable.processFrame(solidImage([28, 35, 225], 15), null)).prediction.classId).to.equal(blue);
    expect(planReembed(teachable)).to.equal(null);
  });

  it('leaves a class that already has examples with the new model alone', async () => {
    teachable.setEmbedder(newer);
    const [red, blue] = teachable.classes.map((c) => c.id);
    await teachable.processFrame(solidImage([220, 30, 30], 1), red);
    const plan = planReembed(teachable)!;
    expect(plan.classes.map((c) => c.classId)).to.deep.equal([blue]);
    await reembedForModel(teachable, newer, plan);
    expect([teachable.exampleCount(red), teachable.exampleCount(blue)]).to.deep.equal([1, 6]);
  });

  it('cancelled, or the classes changed meanwhile: nothing changes', async () => {
    teachable.setEmbedder(newer);
    const [red, blue] = teachable.classes.map((c) => c.id);
    const abort = new AbortController();
    const running = reembedForModel(teachable, newer, planReembed(teachable)!, { signal: abort.signal, onProgress: () => abort.abort() });
    let error: unknown = null;
    await running.catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(DOMException);
    expect([teachable.exampleCount(red), teachable.exampleCount(blue)]).to.deep.equal([0, 0]);

    const plan = planReembed(teachable)!;
    const deleting = reembedForModel(teachable, newer, plan, { onProgress: () => teachable.hasClass(blue) && teachable.deleteClass(blue) });
    let message = '';
    await deleting.catch((e: Error) => (message = e.message));
    expect(message).to.match(/classes or the model changed/);
    expect(teachable.exampleCount(red)).to.equal(0);
  });

  it('refuses while two classes share a name (saved before names had to differ)', async () => {
    teachable.restoreState({ ...teachable.savedState(), classes: teachable.classes.map((c) => ({ ...c, label: 'Same' })) }, []);
    teachable.setEmbedder(older);
    await teachable.processFrame(solidImage([200, 30, 30]), teachable.classes[0].id, () => frameUrl(solidImage([200, 30, 30])));
    teachable.setEmbedder(newer);
    let message = '';
    await reembedForModel(teachable, newer, planReembed(teachable)!).catch((e: Error) => (message = e.message));
    expect(message).to.equal('two classes are called "Same": rename one, then re-embed');
  });
});
