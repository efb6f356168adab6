/**
 * A model switch without loss, with the real MobileNets on real webcam frames (../shared/datasets/webcam-hand-gestures):
 * examples recorded with MobileNet V1 0.25, then re-embedded for V2 0.35 from the frames kept with them, keep their
 * counts (also in classes of more than 200 examples, every one of which keeps its frame), and recognise other frames of the same recordings within 2 points of examples recorded afresh with V2 0.35.
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
/** The classes with more than 250 frames, for classes of more examples than the 200 frames a class once kept. */
const BIG_CLASSES = ['left', 'no_class', 'right'];
const BIG_TRAIN_PER_CLASS = 210;

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

interface Split {
  /** The classes to use (all of the dataset's when absent). */
  readonly classes?: readonly string[];
  readonly trainPerClass: number;
  /** Of the frames after the taught ones, every `testEvery`-th, at most `testPerClass` of them. */
  readonly testEvery: number;
  readonly testPerClass: number;
}

/** The first `trainPerClass` frames of each class (sorted by name) to teach, and some after them to test. */
async function frames(grabber: FrameGrabber, split: Split): Promise<{ train: Photo[]; test: Frame[]; labels: string[] }> {
  const csv = await (await fetch(`${DATASET}/frames.csv`)).text();
  const rows = csv.split('\n').slice(1).filter(Boolean).map((line) => line.split(','));
  const labels = split.classes ? [...split.classes].sort() : [...new Set(rows.map((r) => r[1]))].sort();
  const train: Photo[] = [];
  const test: Frame[] = [];
  for (const label of labels) {
    const files = rows.filter((r) => r[1] === label).map((r) => r[0]).sort();
    expect(files.length, label).to.be.above(split.trainPerClass);
    for (const file of files.slice(0, split.trainPerClass)) train.push({ label, image: await loadImage(`${DATASET}/${file}`) });
    for (const file of files.slice(split.trainPerClass).filter((_, i) => i % split.testEvery === 0).slice(0, split.testPerClass)) {
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
    const { train, test, labels } = await frames(new FrameGrabber(), { trainPerClass: TRAIN_PER_CLASS, testEvery: 3, testPerClass: TEST_PER_CLASS });
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
  it(`keeps every count of classes of ${BIG_TRAIN_PER_CLASS} examples, every frame kept, within 2 points of recording afresh`, async function () {
    this.timeout(1200000);
    const { train, test, labels } = await frames(new FrameGrabber(), { classes: BIG_CLASSES, trainPerClass: BIG_TRAIN_PER_CLASS, testEvery: 1, testPerClass: 60 });
    const switched = await recorded(older!, labels, train);
    const fresh = await recorded(newer!, labels, train);
    try {
      const before = new Map(switched.classes.map((c) => [c.label, switched.exampleCount(c.id)]));
      expect([...before.values()]).to.deep.equal(labels.map(() => BIG_TRAIN_PER_CLASS));
      switched.setEmbedder(newer);
      const plan = planReembed(switched)!;
      expect(plan.frames).to.equal(train.length);
      expect(plan.examples).to.equal(train.length);
      const tensors = tf.memory().numTensors;
      const started = performance.now();
      const added = await reembedForModel(switched, newer!, plan);
      const ms = performance.now() - started;
      expect(added).to.equal(train.length);
      expect(tf.memory().numTensors).to.equal(tensors);
      for (const c of switched.classes) {
        expect(switched.exampleCount(c.id), c.label).to.equal(before.get(c.label));
        expect(switched.keptThumbnails('mobilenet-v2-0.35', c.id), c.label).to.have.length(BIG_TRAIN_PER_CLASS);
      }
      const reembedded = await accuracy(switched, test);
      const afresh = await accuracy(fresh, test);
      console.log(
        `re-embed, ${labels.length} classes of ${BIG_TRAIN_PER_CLASS}: ${train.length} examples, ${test.length} test frames; ` +
          `accuracy re-embedded ${(reembedded * 100).toFixed(1)}% vs recorded afresh ${(afresh * 100).toFixed(1)}%; ` +
          `${Math.round(ms)} ms (${Math.round((ms / train.length) * 1000)} ms per 1,000 examples)`,
      );
      expect(reembedded).to.be.at.least(afresh - 0.02);
    } finally {
      switched.dispose();
      fresh.dispose();
    }
  });
});
