/**
 * The runtime library (src/runtime) with the genuine default MobileNet on real webcam photos
 * (../shared/datasets/webcam-hand-gestures): classes taught with the app's own pieces and exported as the app
 * exports them, loaded by loadClassifier, answer as the app's pieces answer, from every kind of source; bad input
 * is refused with a ClassifierError saying what is wrong; nothing leaks. Skips with a message without ../shared.
 */
import { expect } from '@open-wc/testing';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../../src/platform/backend';
import { KnnClassifier } from '../../src/classifier/knn/knn';
import { calibrateUnknown } from '../../src/classifier/knn/unknown';
import { DEFAULT_VOTE, type VoteOptions } from '../../src/classifier/knn/vote';
import { loadAppConfig } from '../../src/platform/config';
import { serializeDataset } from '../../src/dataset';
import { FrameGrabber } from '../../src/camera/frame';
import { DEFAULT_MODEL_ID, findModel } from '../../src/models/catalog';
import type { Embedder } from '../../src/models/embedder';
import { loadEmbedder } from '../../src/models/loader';
import { ClassifierError, loadClassifier, type TeachableClassifier } from '../../src/runtime';
import { pausedVideoOf } from '../helpers/paused-video';

const DATASET = '/datasets/webcam-hand-gestures';
const CLASSES = ['up', 'left', 'palm'];
const TRAIN = 8;
const TEST = 6;

async function photosByClass(): Promise<Map<string, string[]> | null> {
  const csv = await fetch(`${DATASET}/frames.csv`);
  if (!csv.ok) return null;
  const files = (await csv.text()).split('\n').slice(1).map((line) => line.split(',')[0]).filter(Boolean).sort();
  return new Map(CLASSES.map((c) => [c, files.filter((f) => f.startsWith(`${c}/`)).slice(0, TRAIN + TEST).map((f) => `${DATASET}/${f}`)]));
}

async function imageOf(url: string): Promise<HTMLImageElement> {
  const image = new Image();
  image.src = url;
  await image.decode();
  return image;
}

async function rejection(promise: Promise<unknown>): Promise<ClassifierError> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(ClassifierError);
    return error as ClassifierError;
  }
  throw new Error('expected a ClassifierError');
}

describe('loadClassifier with the real model', function () {
  let mirror: string | null = null;
  let photos: Map<string, string[]> | null = null;
  let classesFile: Blob;
  /** The app's own pieces: what the runtime must agree with. */
  let embedder: Embedder;
  let knn: KnnClassifier;
  let appVote: VoteOptions;
  const grabber = new FrameGrabber();

  before(async function () {
    mirror = (await loadAppConfig('/app-config.json')).modelMirror;
    photos = await photosByClass();
    if (!mirror || !photos) {
      console.log('Skipping: this needs the genuine MobileNets and the photos of ../shared (or MOBILENET_MODELS_DIR).');
      this.skip();
    }
    await useBackend('wasm');
    embedder = await loadEmbedder(findModel(DEFAULT_MODEL_ID)!, { mirrorBase: mirror, useCache: false });
    knn = new KnnClassifier();
    const classes = [];
    for (const [label, urls] of photos) {
      const rows = new Float32Array(TRAIN * embedder.spec.embeddingDim);
      for (let i = 0; i < TRAIN; i++) {
        const embedding = embedder.embed(grabber.grab(await imageOf(urls[i]), false)!);
        rows.set(embedding.dataSync(), i * embedder.spec.embeddingDim);
        embedding.dispose();
      }
      knn.setClassVectors(label, rows, embedder.spec.embeddingDim);
      classes.push({ label, color: null, vectors: rows, thumbnails: [] });
    }
    classesFile = new Blob([serializeDataset({ model: DEFAULT_MODEL_ID, dimension: embedder.spec.embeddingDim, classes })]);
    // The app votes with the sharpness its calibration fits to the stored examples.
    const { sharpness } = calibrateUnknown({ classIds: CLASSES, vectors: CLASSES.map((l) => knn.classVectors(l)), dim: embedder.spec.embeddingDim });
    expect(sharpness, 'enough examples to fit the sharpness').to.be.a('number');
    appVote = { ...DEFAULT_VOTE, sharpness: sharpness! };
  });

  after(() => {
    embedder?.dispose();
    knn?.dispose();
  });

  it('answers as the app does, from images, canvases, bitmaps and ImageData, and leaks no tensors', async () => {
    const tensors = tf.memory().numTensors;
    const classifier = await loadClassifier(classesFile, { modelBaseUrl: mirror });
    expect(classifier.labels).to.deep.equal(CLASSES);
    expect(classifier.model.id).to.equal(DEFAULT_MODEL_ID);
    let correct = 0;
    let total = 0;
    for (const [label, urls] of photos!) {
      for (const url of urls.slice(TRAIN)) {
        const image = await imageOf(url);
        const result = await classifier.classify(image);
        const appEmbedding = embedder.embed(grabber.grab(image, false)!);
        const app = await knn.predict(appEmbedding.dataSync<'float32'>(), CLASSES, appVote);
        appEmbedding.dispose();
        expect(result.label).to.equal(app.classId);
        result.confidences.forEach((c, i) => expect(c.confidence).to.be.closeTo(app.votes[i].confidence, 1e-5));
        expect(result.confidence).to.equal(result.confidences.find((c) => c.label === result.label)!.confidence);
        expect(typeof result.unknown).to.equal('boolean');

        const canvas = Object.assign(document.createElement('canvas'), { width: image.naturalWidth, height: image.naturalHeight });
        const context = canvas.getContext('2d')!;
        context.drawImage(image, 0, 0);
        const bitmap = await createImageBitmap(image);
        for (const source of [canvas, bitmap, context.getImageData(0, 0, canvas.width, canvas.height)]) {
          const other = await classifier.classify(source);
          expect(other.label, source.constructor.name).to.equal(result.label);
          other.confidences.forEach((c, i) => expect(c.confidence).to.be.closeTo(result.confidences[i].confidence, 1e-5));
        }
        bitmap.close();
        total++;
        if (result.label === label) correct++;
      }
    }
    console.log(`runtime on webcam-hand-gestures (${CLASSES.join(', ')}), ${TRAIN} examples per class: ${correct} of ${total} right`);
    expect(correct / total).to.be.greaterThan(0.6);
    classifier.dispose();
    expect(tf.memory().numTensors).to.equal(tensors);
  });

  it('with calibrateAfterFirstAnswer, answers first as the app does before calibrating, then calibrates', async () => {
    const tensors = tf.memory().numTensors;
    const classifier = await loadClassifier(classesFile, { modelBaseUrl: mirror, calibrateAfterFirstAnswer: true });
    const image = await imageOf(photos!.get('palm')![TRAIN]);
    const appEmbedding = embedder.embed(grabber.grab(image, false)!);
    const uncalibrated = await knn.predict(appEmbedding.dataSync<'float32'>(), CLASSES, DEFAULT_VOTE);
    const calibrated = await knn.predict(appEmbedding.dataSync<'float32'>(), CLASSES, appVote);
    appEmbedding.dispose();
    expect(calibrated.votes.map((v) => v.confidence), 'the calibration changes the confidences').to.not.deep.equal(uncalibrated.votes.map((v) => v.confidence));
    const first = await classifier.classify(image);
    first.confidences.forEach((c, i) => expect(c.confidence).to.be.closeTo(uncalibrated.votes[i].confidence, 1e-5));
    expect(first.unknown).to.equal(false);
    // The calibration runs in a task of its own after the first answer.
    await new Promise((done) => setTimeout(done, 0));
    const next = await classifier.classify(image);
    next.confidences.forEach((c, i) => expect(c.confidence).to.be.closeTo(calibrated.votes[i].confidence, 1e-5));
    classifier.dispose();
    expect(tf.memory().numTensors).to.equal(tensors);
  });

  it('reads a video frame, mirrored as the app shows its camera unless told otherwise', async () => {
    const tensors = tf.memory().numTensors;
    const classifier = await loadClassifier(classesFile, { modelBaseUrl: mirror });
    const image = await imageOf(photos!.get('left')![TRAIN]);
    const canvas = Object.assign(document.createElement('canvas'), { width: 640, height: 480 });
    canvas.getContext('2d')!.drawImage(image, 0, 0, 640, 480);
    const { video, stop } = await pausedVideoOf(canvas);
    try {
      const mirrored = await classifier.classify(video);
      const asIs = await classifier.classify(video, { mirror: false });
      const flipped = document.createElement('canvas');
      Object.assign(flipped, { width: 640, height: 480 });
      const context = flipped.getContext('2d')!;
      context.translate(640, 0);
      context.scale(-1, 1);
      context.drawImage(canvas, 0, 0);
      const ofFlipped = await classifier.classify(flipped);
      expect(mirrored.confidences.map((c) => c.label)).to.deep.equal(CLASSES);
      // The same pixels mirrored by the runtime and by hand; video frames pass a colour conversion, hence the tolerance.
      mirrored.confidences.forEach((c, i) => expect(c.confidence).to.be.closeTo(ofFlipped.confidences[i].confidence, 0.05));
      expect(asIs.confidences.map((c) => c.confidence)).to.not.deep.equal(mirrored.confidences.map((c) => c.confidence));
    } finally {
      stop();
      classifier.dispose();
    }
    expect(tf.memory().numTensors).to.equal(tensors);
  });

  it('refuses classes made with another model, saying which', async () => {
    const error = await rejection(loadClassifier(classesFile, { modelBaseUrl: mirror, model: 'mobilenet-v1-0.25' }));
    expect(error.kind).to.equal('wrong-model');
    expect(error.message).to.contain('made with MobileNet V2 0.35 (mobilenet-v2-0.35), not MobileNet V1 0.25');
  });

  it('refuses missing, truncated and hostile classes files', async () => {
    const missing = await rejection(loadClassifier('/no-such-classes.json', { modelBaseUrl: mirror }));
    expect(missing.kind).to.equal('classes-file');
    expect(missing.message).to.match(/no-such-classes\.json: the server answered HTTP 404/);
    const text = await classesFile.text();
    const truncated = await rejection(loadClassifier(new Blob([text.slice(0, 500)]), { modelBaseUrl: mirror }));
    expect(truncated.message).to.match(/^The classes file cannot be used: .*(not valid JSON|base64)/);
    const hostile = await rejection(loadClassifier({ format: 'teachable-knn-dataset', version: 1, dimension: 1e9, classes: [] }, { modelBaseUrl: mirror }));
    expect(hostile.message).to.match(/dimension/);
    const empty = await rejection(loadClassifier({ format: 'teachable-knn-dataset', version: 1, model: DEFAULT_MODEL_ID, dimension: 1280, classes: [] }));
    expect(empty.message).to.match(/holds no examples/);
  });

  it('says when the model folder is absent or damaged, and leaks nothing', async () => {
    const tensors = tf.memory().numTensors;
    const absent = await rejection(loadClassifier(classesFile, { modelBaseUrl: '/no-such-models/' }));
    expect(absent.kind).to.equal('model');
    expect(absent.message).to.match(/MobileNet V2 0\.35 was not found at .*no-such-models.*model\.json \(HTTP 404\)/);
    const truncatingFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (!String(input instanceof Request ? input.url : input).endsWith('.bin')) return response;
      return new Response((await response.arrayBuffer()).slice(0, 1000), { status: 200 });
    };
    const damaged = await rejection(loadClassifier(classesFile, { modelBaseUrl: mirror, fetch: truncatingFetch }));
    expect(damaged.kind).to.equal('model');
    expect(damaged.message).to.match(/files of MobileNet V2 0\.35 .* are damaged/);
    expect(tf.memory().numTensors).to.equal(tensors);
  });

  it('refuses what is not an image, and calls after dispose', async () => {
    const classifier: TeachableClassifier = await loadClassifier(classesFile, { modelBaseUrl: mirror });
    const broken = new Image();
    broken.src = 'data:image/png;base64,bm90IGFuIGltYWdl';
    await broken.decode().catch(() => undefined);
    const notLoaded = await rejection(classifier.classify(broken));
    expect(notLoaded.kind).to.equal('image');
    expect(notLoaded.message).to.match(/no pixels|cannot be read/);
    const notASource = await rejection(classifier.classify('cat.jpg' as unknown as HTMLImageElement));
    expect(notASource.message).to.equal('classify() takes a video, an image, a canvas, an ImageBitmap or ImageData, not string.');
    classifier.dispose();
    const disposed = await rejection(classifier.classify(await imageOf(photos!.get('up')![0])));
    expect(disposed.kind).to.equal('disposed');
  });
});
