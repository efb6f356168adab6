/**
 * The app's frame path with the frame embedding worker (src/pipeline/frame-embedding.ts), the real default MobileNet
 * and real webcam frames (../shared/datasets/webcam-hand-gestures): recorded examples and votes equal the page's
 * path bit for bit, a worker that cannot start falls back to the page with one message, and dispose lets the
 * model go.
 * Skips with a message without the models or the photos.
 */
import { expect } from '@open-wc/testing';
import * as tf from '@tensorflow/tfjs';
import { Teachable } from '../../src/app/teachable';
import { DEFAULT_MODEL_ID, findModel } from '../../src/models/catalog';
import type { Embedder } from '../../src/models/embedder';
import { loadEmbedder } from '../../src/models/loader';
import { stopIdleEmbeddingWorker } from '../../src/models/worker-embedder';
import { FramePipeline } from '../../src/pipeline/frame-pipeline';
import { useBackend } from '../../src/platform/backend';
import { withoutFeatures } from '../../src/platform/capabilities';
import { loadAppConfig } from '../../src/platform/config';
import { pausedVideoOf } from '../helpers/paused-video';
import { FIREFOX_EMBEDS_ON_PAGE, itExceptInFirefox } from '../helpers/browser';
import { framesByClass, loadImage } from '../helpers/webcam-frames';

/** A paused 640 x 480 video of the photo at `url`, as a webcam would show it. */
async function videoOf(url: string): Promise<{ video: HTMLVideoElement; stop: () => void }> {
  const canvas = Object.assign(document.createElement('canvas'), { width: 640, height: 480 });
  canvas.getContext('2d')!.drawImage(await loadImage(url), 0, 0, 640, 480);
  return pausedVideoOf(canvas);
}

describe('FramePipeline with the frame embedding worker, on real webcam frames', function () {
  let embedder: Embedder | null = null;
  let videos: { video: HTMLVideoElement; stop: () => void }[] = [];

  before(async function () {
    const mirror = (await loadAppConfig('/app-config.json')).modelMirror;
    const csv = await fetch('/datasets/webcam-hand-gestures/frames.csv');
    if (!mirror || !csv.ok) {
      console.log('Skipping: this needs the genuine MobileNets and the photos of ../shared (or MOBILENET_MODELS_DIR).');
      this.skip();
    }
    await useBackend('wasm');
    embedder = await loadEmbedder(findModel(DEFAULT_MODEL_ID)!, { mirrorBase: mirror, useCache: false });
    const byClass = await framesByClass(['up', 'down']);
    const urls = [...byClass.get('up')!.slice(0, 2), ...byClass.get('down')!.slice(0, 2)];
    videos = await Promise.all(urls.map(videoOf));
  });

  after(() => {
    for (const { stop } of videos) stop();
    embedder?.dispose();
  });

  /** Records videos 0 and 1 to the first class, 2 to the second, then predicts video 3. */
  async function run(frames: FramePipeline, teachable: Teachable, onEachStep: () => Promise<void> = async () => undefined) {
    const [first, second] = teachable.classes;
    const targets = [first.id, first.id, second.id, null];
    let last = null;
    for (const [i, recordTo] of targets.entries()) {
      last = await frames.step(videos[i].video, true, recordTo);
      expect(last?.recordedTo ?? null).to.equal(recordTo);
      await onEachStep();
    }
    return {
      first: teachable.readExamplesNow(embedder!.spec.id, first.id),
      second: teachable.readExamplesNow(embedder!.spec.id, second.id),
      votes: last!.prediction.votes,
      thumbnails: [...teachable.thumbnails(first.id), ...teachable.thumbnails(second.id)],
    };
  }

  itExceptInFirefox(
    FIREFOX_EMBEDS_ON_PAGE,
    'embeds in the worker once it has the model: the same examples, bit for bit, and votes as the page path',
    async () => {
    const tensors = tf.memory().numTensors;
    const inWorker = new Teachable();
    inWorker.setEmbedder(embedder);
    const frames = new FramePipeline(inWorker);
    const states: string[] = [];
    const viaWorker = await run(frames, inWorker, async () => {
      states.push(frames.embedding.stateFor(embedder!));
      await frames.embedding.ready();
    });
    // The first frame starts the worker and is embedded on the page meanwhile; the others go to the worker.
    expect(states).to.deep.equal(['starting', 'worker', 'worker', 'worker']);

    const onPage = new Teachable();
    onPage.setEmbedder(embedder);
    const restore = withoutFeatures('embedWorker');
    const pageFrames = new FramePipeline(onPage);
    let viaPage;
    try {
      viaPage = await run(pageFrames, onPage);
      expect(pageFrames.embedding.stateFor(embedder!)).to.equal('page');
    } finally {
      restore();
    }
    expect(viaWorker.first.length).to.equal(2 * embedder!.spec.embeddingDim);
    expect(Array.from(viaWorker.first)).to.deep.equal(Array.from(viaPage.first));
    expect(Array.from(viaWorker.second)).to.deep.equal(Array.from(viaPage.second));
    expect(viaWorker.votes).to.deep.equal(viaPage.votes);
    // Made while the worker embedded the frame, of the same frame.
    expect(viaWorker.thumbnails).to.have.length(3);
    expect(viaWorker.thumbnails).to.deep.equal(viaPage.thumbnails);
    expect(await frames.dispose(), 'tensors left in the worker').to.equal(0);
    await pageFrames.dispose();
    inWorker.dispose();
    onPage.dispose();
    expect(tf.memory().numTensors, 'tensors left behind').to.equal(tensors);
    },
  );

  itExceptInFirefox(
    FIREFOX_EMBEDS_ON_PAGE,
    'starts the worker before any frame when asked (the app does while it restores), so the first frame goes to it',
    async () => {
    const teachable = new Teachable();
    teachable.setEmbedder(embedder);
    const frames = new FramePipeline(teachable);
    try {
      frames.prepare(embedder!);
      expect(frames.embedding.stateFor(embedder!)).to.equal('starting');
      expect(await frames.embedding.ready()).to.equal(true);
      // Asked again for the same model, it keeps the worker it has.
      frames.prepare(embedder!);
      expect(frames.embedding.stateFor(embedder!)).to.equal('worker');
      expect(await frames.step(videos[0].video, true, teachable.classes[0].id)).to.not.equal(null);
      expect(frames.embedding.stateFor(embedder!)).to.equal('worker');
      expect(teachable.exampleCount(teachable.classes[0].id)).to.equal(1);
    } finally {
      expect(await frames.dispose(), 'tensors left in the worker').to.equal(0);
      teachable.dispose();
    }
    },
  );

  itExceptInFirefox(
    'a new threaded tfjs worker in a page that ended one never starts there (the app keeps its one worker)',
    'falls back to the page with one message when the worker cannot start, and keeps predicting',
    async () => {
      // A kept worker has its backend started already: this needs a new one.
      stopIdleEmbeddingWorker();
      const teachable = new Teachable();
      teachable.setEmbedder(embedder);
      const messages: string[] = [];
      const frames = new FramePipeline(teachable, {
        wasmBase: () => new URL('/no-such-folder/', location.href).href,
        onFallback: (message) => messages.push(message),
      });
      try {
        expect(await frames.step(videos[0].video, true, teachable.classes[0].id)).to.not.equal(null);
        expect(await frames.embedding.ready()).to.equal(false);
        expect(frames.embedding.stateFor(embedder!)).to.equal('failed');
        for (const { video } of videos.slice(1)) expect((await frames.step(video, true, null))?.prediction.classId).to.equal(teachable.classes[0].id);
        expect(messages).to.have.length(1);
        expect(messages[0]).to.match(/MobileNet V2 0\.35 embeds the camera's frames on the page, not in a worker \(.+\)/);
      } finally {
        await frames.dispose();
        teachable.dispose();
      }
    },
  );

  itExceptInFirefox(
    FIREFOX_EMBEDS_ON_PAGE,
    'lets the model go on dispose, leaving no tensor in the worker; the next frame loads it again; a frame of a model switched meanwhile is dropped',
    async () => {
    const teachable = new Teachable();
    teachable.setEmbedder(embedder);
    const frames = new FramePipeline(teachable);
    try {
      await frames.step(videos[0].video, true, null);
      expect(await frames.embedding.ready()).to.equal(true);
      expect(await frames.dispose(), 'tensors left in the worker').to.equal(0);
      expect(frames.embedding.stateFor(embedder!)).to.equal('page');
      await frames.step(videos[1].video, true, null);
      expect(frames.embedding.stateFor(embedder!)).to.equal('starting');
      expect(await frames.embedding.ready()).to.equal(true);
      const pending = frames.step(videos[2].video, true, teachable.classes[0].id);
      teachable.setEmbedder(null);
      expect(await pending).to.equal(null);
      expect(teachable.exampleCount(teachable.classes[0].id)).to.equal(0);
    } finally {
      await frames.dispose();
      teachable.dispose();
    }
    },
  );
});
