/**
 * The frame embedder's worker against the page, on real webcam frames (../shared/datasets/webcam-hand-gestures)
 * embedded by each real MobileNet: the worker loads the model as the page does and runs tfjs's wasm backend with
 * the page's flags, so every embedding must be the page's, bit for bit. Skips with a message without the models or
 * the photos.
 */
import { expect } from '@open-wc/testing';
import * as tf from '@tensorflow/tfjs';
import { FrameGrabber } from '../../src/camera/frame';
import { MODEL_CATALOG } from '../../src/models/catalog';
import { isCached, loadEmbedder, removeFromCache } from '../../src/models/loader';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { WorkerEmbedder, stopIdleEmbeddingWorker } from '../../src/models/worker-embedder';
import { FrameEmbedding } from '../../src/pipeline/frame-embedding';
import { useBackend } from '../../src/platform/backend';
import { loadAppConfig } from '../../src/platform/config';
import { FIREFOX_EMBEDS_ON_PAGE, itExceptInFirefox } from '../helpers/browser';
import { framesByClass, loadImage } from '../helpers/webcam-frames';

const CLASSES = ['up', 'down', 'left', 'right', 'closer', 'follow'];
const PER_CLASS = 4;

describe('WorkerEmbedder on real webcam frames', function () {
  let mirror: string | null = null;
  let frames: ImageData[] = [];

  before(async function () {
    mirror = (await loadAppConfig('/app-config.json')).modelMirror;
    const csv = await fetch('/datasets/webcam-hand-gestures/frames.csv');
    if (!mirror || !csv.ok) {
      console.log('Skipping: this needs the genuine MobileNets and the photos of ../shared (or MOBILENET_MODELS_DIR).');
      this.skip();
    }
    await useBackend('wasm');
    const grabber = new FrameGrabber();
    const urls = [...(await framesByClass(CLASSES)).values()].flatMap((files) => files.slice(0, PER_CLASS));
    for (const url of urls) frames.push(grabber.grab(await loadImage(url), true)!);
  });

  after(() => {
    frames = [];
  });

  itExceptInFirefox(
    FIREFOX_EMBEDS_ON_PAGE,
    'ends a worker still loading its model when the frame path is disposed: the load does not go on to fill the model cache',
    async () => {
      const spec = MODEL_CATALOG[0];
      const page = await loadEmbedder(spec, { mirrorBase: mirror, useCache: true });
      const wasmBase = () => new URL('/tfjs-wasm/', location.href).href;
      try {
        // Left alone, the worker loads the model from the network and keeps it in the browser's cache.
        await removeFromCache(spec);
        const kept = new FrameEmbedding({ wasmBase });
        const startedAt = performance.now();
        expect(await kept.embed(page, frames[0]), 'frames go to the page while the worker loads').to.equal(null);
        expect(await kept.ready()).to.equal(true);
        const loadMs = performance.now() - startedAt;
        expect(await isCached(spec), 'the worker keeps what it loaded').to.equal(true);
        expect(await kept.dispose()).to.equal(0);
        stopIdleEmbeddingWorker();

        // Disposed just after the same load began (a new worker again), it keeps nothing, however long one waits.
        await removeFromCache(spec);
        const ended = new FrameEmbedding({ wasmBase });
        expect(await ended.embed(page, frames[0])).to.equal(null);
        const ready = ended.ready();
        await new Promise((resolve) => setTimeout(resolve, 50));
        await ended.dispose();
        expect(await ready).to.equal(false);
        await new Promise((resolve) => setTimeout(resolve, 2 * loadMs + 1000));
        expect(await isCached(spec), 'a disposed worker went on loading').to.equal(false);
      } finally {
        page.dispose();
      }
    },
  );

  for (const spec of MODEL_CATALOG) {
    itExceptInFirefox(
      FIREFOX_EMBEDS_ON_PAGE,
      `embeds as the page does with ${spec.name}, bit for bit`,
      async () => {
      const tensors = tf.memory().numTensors;
      const page = await loadEmbedder(spec, { mirrorBase: mirror, useCache: false });
      const worker = await WorkerEmbedder.start(spec, {
        wasmBase: new URL('/tfjs-wasm/', location.href).href,
        simd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT') as boolean,
        threads: await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT') as boolean,
        mirrorBase: new URL(mirror!, location.href).href,
        useCache: false,
      });
      try {
        let differing = 0;
        for (const pixels of frames) {
          const tensor = page.embed(pixels);
          const expected = tensor.dataSync<'float32'>().slice();
          tensor.dispose();
          const got = await worker.embed(pixels.data);
          expect(got.length).to.equal(spec.embeddingDim);
          if (!expected.every((v, i) => Object.is(v, got[i]))) differing++;
        }
        console.log(`${spec.name}: ${frames.length} real frames, ${differing} embeddings differ from the page's; threads: page ${getThreadsCount()}, worker ${worker.threads} (threaded build: ${String(tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT'))})`);
        expect(differing).to.equal(0);
      } finally {
        expect(await worker.dispose(), 'tensors left in the worker').to.equal(0);
        page.dispose();
      }
      expect(tf.memory().numTensors).to.equal(tensors);
      },
    );
  }
});
