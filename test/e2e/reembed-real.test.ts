/**
 * A model switch without loss, with the real MobileNets on real webcam frames (../shared/datasets/webcam-hand-gestures):
 * examples recorded with MobileNet V1 0.25, then re-embedded for V2 0.35 from the frames kept with them, keep their
 * counts, and recognise other frames of the same recordings within 2 points of examples recorded afresh with V2 0.35.
 * It also measures what the re-embed costs: the bytes kept per example and the time per 1,000 examples.
 */
import { expect } from '@open-wc/testing';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../../src/platform/backend';
import { loadAppConfig } from '../../src/platform/config';
import { FrameGrabber } from '../../src/camera/frame';
import { findModel } from '../../src/models/catalog';
import type { Embedder } from '../../src/models/embedder';
import { loadEmbedder } from '../../src/models/loader';
import { planReembed, reembedForModel } from '../../src/app/model-reembed';
import { Teachable } from '../../src/app/teachable';
import { KEPT_FRAME_SIZE } from '../../src/pipeline/frame-pipeline';

const DATASET = '/datasets/webcam-hand-gestures';
const TRAIN_PER_CLASS = 20;
const TEST_PER_CLASS = 15;

interface Frame {
  readonly label: string;
  readonly pixels: ImageData;
}

interface Photo {
  readonly label: string;
  readonly image: HTMLImageElement;
}

async function loadImage(url: string): Promise<HTMLImageElement> {
  const image = new Image();
  image.src = url;
  await image.decode();
  return image;
}

/** The first TRAIN_PER_CLASS frames of each class (sorted by name) to teach, and every third after them to test. */
async function frames(grabber: FrameGrabber): Promise<{ train: Photo[]; test: Frame[]; labels: string[] }> {
  const csv = await (await fetch(`${DATASET}/frames.csv`)).text();
  const rows = csv.split('\n').slice(1).filter(Boolean).map((line) => line.split(','));
  const labels = [...new Set(rows.map((r) => r[1]))].sort();
  const train: Photo[] = [];
  const test: Frame[] = [];
  for (const label of labels) {
    const files = rows.filter((r) => r[1] === label).map((r) => r[0]).sort();
    for (const file of files.slice(0, TRAIN_PER_CLASS)) train.push({ label, image: await loadImage(`${DATASET}/${file}`) });
    for (const file of files.slice(TRAIN_PER_CLASS).filter((_, i) => i % 3 === 0).slice(0, TEST_PER_CLASS)) {
      test.push({ label, pixels: grabber.grab(await loadImage(`${DATASET}/${file}`), false)! });
    }
  }
  return { train, test, labels };
}

/** Records `train` into a new Teachable with `embedder`, keeping each frame's thumbnail as the app does. */
async function recorded(embedder: Embedder, labels: readonly string[], train: readonly Photo[]): Promise<Teachable> {
  const teachable = new Teachable(0);
  teachable.setEmbedder(embedder);
  const ids = new Map(labels.map((label) => [label, teachable.addClass(label).id]));
  const grabber = new FrameGrabber(KEPT_FRAME_SIZE);
  for (const { label, image } of train) {
    const pixels = grabber.grab(image, false)!;
    await teachable.processFrame(pixels, ids.get(label)!, () => grabber.thumbnail());
  }
  await teachable.settled();
  return teachable;
}

async function accuracy(teachable: Teachable, test: readonly Frame[]): Promise<number> {
  const labelOf = new Map(teachable.classes.map((c) => [c.id, c.label]));
  let right = 0;
  for (const { label, pixels } of test) if (labelOf.get((await teachable.processFrame(pixels, null)).prediction.classId ?? '') === label) right++;
  return right / test.length;
}

describe('re-embedding on a model switch, with the real models on real webcam frames', function () {
  let older: Embedder | null = null;
  let newer: Embedder | null = null;

  before(async function () {
    const mirror = (await loadAppConfig('/app-config.json')).modelMirror;
    if (!mirror || !(await fetch(`${DATASET}/frames.csv`)).ok) {
      console.warn('Skipping: this needs the real MobileNets (../shared/models) and ../shared/datasets/webcam-hand-gestures.');
      this.skip();
    }
    await useBackend('wasm');
    older = await loadEmbedder(findModel('mobilenet-v1-0.25')!, { mirrorBase: mirror, useCache: false });
    newer = await loadEmbedder(findModel('mobilenet-v2-0.35')!, { mirrorBase: mirror, useCache: false });
  });

  after(() => {
    older?.dispose();
    newer?.dispose();
  });

  it('keeps every count, and recognises new frames within 2 points of recording afresh', async function () {
    this.timeout(600000);
    const { train, test, labels } = await frames(new FrameGrabber());
    const switched = await recorded(older!, labels, train);
    const fresh = await recorded(newer!, labels, train);
    try {
      const before = new Map(switched.classes.map((c) => [c.label, switched.exampleCount(c.id)]));
      const tensors = tf.memory().numTensors;
      switched.setEmbedder(newer);
      expect(switched.classes.every((c) => switched.exampleCount(c.id) === 0)).to.equal(true);
      const plan = planReembed(switched)!;
      expect(plan.fromModel).to.equal('mobilenet-v1-0.25');
      expect(plan.frames).to.equal(train.length);
      let progressCalls = 0;
      const started = performance.now();
      const added = await reembedForModel(switched, newer!, plan, { onProgress: () => progressCalls++ });
      const ms = performance.now() - started;
      expect(added).to.equal(train.length);
      expect(progressCalls).to.be.greaterThan(0);
      expect(tf.memory().numTensors).to.equal(tensors);
      for (const c of switched.classes) expect(switched.exampleCount(c.id), c.label).to.equal(before.get(c.label));
      // The old model's examples are still there.
      expect(switched.examplesWithOtherModels()).to.equal(train.length);
      expect(planReembed(switched), 'nothing left to re-embed').to.equal(null);

      const reembedded = await accuracy(switched, test);
      const afresh = await accuracy(fresh, test);
      const thumbnails = switched.classes.flatMap((c) => switched.keptThumbnails('mobilenet-v1-0.25', c.id));
      const frameBytes = thumbnails.reduce((sum, url) => sum + url.length, 0) / thumbnails.length;
      console.log(
        `re-embed: ${labels.length} classes, ${train.length} examples, ${test.length} test frames; ` +
          `accuracy re-embedded ${(reembedded * 100).toFixed(1)}% vs recorded afresh ${(afresh * 100).toFixed(1)}%; ` +
          `${Math.round(ms)} ms (${Math.round((ms / train.length) * 1000)} ms per 1,000 examples); ` +
          `frame kept per example: ${Math.round(frameBytes)} bytes (${KEPT_FRAME_SIZE} x ${KEPT_FRAME_SIZE} JPEG data URL)`,
      );
      expect(reembedded).to.be.at.least(afresh - 0.02);
    } finally {
      switched.dispose();
      fresh.dispose();
    }
  });
});
