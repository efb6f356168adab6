/**
 * <tm-classifier> with the genuine default MobileNet, fed by a fake camera playing real webcam photos
 * (../shared/datasets/webcam-hand-gestures): classes taught by the app (Teachable) and exported as the app exports
 * them; the element's per-frame confidences equal the app's on the same frames, its events are the app's, and
 * bad input is shown in the element with an error event, never a stack trace. Skips with a message without ../shared.
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import * as tf from '@tensorflow/tfjs';
import '../../components/tm-classifier';
import type { TmClassifier } from '../../components/tm-classifier';
import type { ClassChangeDetail, PredictionDetail } from '../../src/pipeline/prediction-stream';
import { Teachable } from '../../src/app/teachable';
import { FrameGrabber } from '../../src/camera/frame';
import { serializeDataset } from '../../src/dataset';
import { DEFAULT_MODEL_ID, findModel } from '../../src/models/catalog';
import { loadEmbedder } from '../../src/models/loader';
import { useBackend } from '../../src/platform/backend';
import { loadAppConfig } from '../../src/platform/config';
import { expectNoAxeViolations } from '../helpers/axe';
import { pausedVideoOf } from '../helpers/paused-video';

const DATASET = '/datasets/webcam-hand-gestures';
const CLASSES = ['up', 'left', 'palm'];
const TRAIN = 10;

async function photosByClass(): Promise<Map<string, string[]> | null> {
  const csv = await fetch(`${DATASET}/frames.csv`);
  if (!csv.ok) return null;
  const files = (await csv.text()).split('\n').slice(1).map((line) => line.split(',')[0]).filter(Boolean).sort();
  return new Map(CLASSES.map((c) => [c, files.filter((f) => f.startsWith(`${c}/`)).slice(0, TRAIN + 2).map((f) => `${DATASET}/${f}`)]));
}

async function imageOf(url: string): Promise<HTMLImageElement> {
  const image = new Image();
  image.src = url;
  await image.decode();
  return image;
}

/** The fake camera: a 640 x 480 canvas showing one photo, repainted so that its stream keeps sending frames. */
class PhotoCamera {
  readonly canvas = Object.assign(document.createElement('canvas'), { width: 640, height: 480 });
  private photo: HTMLImageElement | null = null;
  private readonly timer = window.setInterval(() => this.paint(), 30);

  show(photo: HTMLImageElement): void {
    this.photo = photo;
    this.paint();
  }

  stream = (): Promise<MediaStream> => Promise.resolve(this.canvas.captureStream(30));

  stop(): void {
    clearInterval(this.timer);
  }

  private paint(): void {
    if (this.photo) this.canvas.getContext('2d')!.drawImage(this.photo, 0, 0, 640, 480);
  }
}

/** Errors shown to people never carry a stack trace's "at file:line" lines. */
function expectNoStack(text: string): void {
  expect(text).not.to.match(/\bat .*:\d+:\d+|\.ts:\d+|Error:/);
}

describe('<tm-classifier> with the real model and a camera playing real photos', function () {
  let mirror: string | null = null;
  let photos: Map<string, string[]> | null = null;
  let app: Teachable;
  let classesUrl: string;
  const grabber = new FrameGrabber();

  before(async function () {
    mirror = (await loadAppConfig('/app-config.json')).modelMirror;
    photos = await photosByClass();
    if (!mirror || !photos) {
      console.log('Skipping: this needs the genuine MobileNets and the photos of ../shared (or MOBILENET_MODELS_DIR).');
      this.skip();
    }
    await useBackend('wasm');
    app = new Teachable(0);
    app.setEmbedder(await loadEmbedder(findModel(DEFAULT_MODEL_ID)!, { mirrorBase: mirror, useCache: false }));
    for (const label of CLASSES) {
      const id = app.addClass(label).id;
      // Mirrored, as the app records its camera.
      for (const url of photos.get(label)!.slice(0, TRAIN)) await app.processFrame(grabber.grab(await imageOf(url), true)!, id);
    }
    // As the app is once recording stops: the next frame starts a refit of the store's space and the calibration of
    // the vote's sharpness and the "unknown" threshold, which later frames use.
    await app.processFrame(grabber.grab(await imageOf(photos.get(CLASSES[0])![0]), true)!, null);
    await app.settled();
    await app.recalibrate();
    classesUrl = URL.createObjectURL(new Blob([serializeDataset(await app.exportDataset())]));
  });

  after(() => {
    if (!app) return;
    app.embedder?.dispose();
    app.dispose();
    URL.revokeObjectURL(classesUrl);
  });

  it('predicts every camera frame as the app does, fires its events, and leaks nothing when removed', async () => {
    const tensors = tf.memory().numTensors;
    const camera = new PhotoCamera();
    const element = await fixture<TmClassifier>(html`<tm-classifier camera .getUserMedia=${camera.stream}></tm-classifier>`);
    const predictions: PredictionDetail[] = [];
    const changes: ClassChangeDetail[] = [];
    element.addEventListener('tm-prediction', (e) => predictions.push(e.detail));
    element.addEventListener('tm-class-change', (e) => changes.push(e.detail));
    const ready = oneEvent(element, 'tm-classifier-ready');
    element.modelBaseUrl = mirror;
    element.src = classesUrl;
    expect((await ready).detail).to.deep.equal({ labels: CLASSES, model: DEFAULT_MODEL_ID });
    expect(element.getAttribute('role')).to.equal('group');

    for (const label of CLASSES) {
      const photo = await imageOf(photos!.get(label)![TRAIN]);
      camera.show(photo);
      // The app on the same frame: a paused video of the same canvas, grabbed mirrored as the app grabs its camera.
      const { video, stop } = await pausedVideoOf(camera.canvas);
      const appFrame = await app.processFrame(grabber.grab(video, true)!, null);
      stop();
      const appLabel = app.classes.find((c) => c.id === appFrame.prediction.classId)!.label;
      const from = predictions.length;
      // Frames of the photo before it was shown may still be in flight: wait for a few of the new one.
      await waitUntil(() => predictions.length >= from + 4, 'predictions keep coming', { timeout: 30000 });
      const last = predictions.at(-1)!;
      expect(last.mode).to.equal('knn');
      expect(last.rawClassId, `raw class of a ${label} photo`).to.equal(appFrame.unknown ? null : appLabel);
      for (const vote of appFrame.prediction.votes) {
        const classLabel = app.classes.find((c) => c.id === vote.classId)!.label;
        const ours = last.confidences.find((c) => c.classId === classLabel)!;
        expect(ours.label).to.equal(classLabel);
        expect(ours.raw, `${classLabel} on a ${label} photo`).to.be.closeTo(vote.confidence, 1e-3);
      }
      if (!appFrame.unknown) {
        await waitUntil(() => element.latest?.classId === appLabel, `${appLabel} becomes the stable class`, { timeout: 30000 });
        expect(changes.at(-1)!.label).to.equal(appLabel);
      }
    }
    expect(changes.length, 'one change per class shown').to.be.at.least(2);
    const bars = element.shadowRoot!.querySelector('tm-confidence-bars')!;
    expect([...bars.shadowRoot!.querySelectorAll('li .label')].map((l) => l.textContent!.replace(' (top match)', '').trim())).to.deep.equal(CLASSES);
    await expectNoAxeViolations(element, '<tm-classifier>');

    element.remove();
    camera.stop();
    await waitUntil(() => tf.memory().numTensors === tensors, 'the model and the examples are let go', { timeout: 10000 });
  });

  async function failure(src: string, modelBaseUrl: string | null = mirror) {
    const element = await fixture<TmClassifier>(html`<tm-classifier></tm-classifier>`);
    const failed = oneEvent(element, 'tm-classifier-error');
    element.modelBaseUrl = modelBaseUrl;
    element.src = src;
    const { detail } = await failed;
    await element.updateComplete;
    const shown = element.shadowRoot!.querySelector('[role="alert"]')!.textContent!;
    expect(shown).to.equal(detail.message);
    expectNoStack(shown);
    expect(element.status).to.equal('error');
    element.remove();
    return detail;
  }

  const blobUrl = (text: string) => URL.createObjectURL(new Blob([text]));

  it('says clearly when the classes file is missing, truncated or hostile, or the model folder is absent', async () => {
    const missing = await failure('/no-such-classes.json');
    expect(missing.kind).to.equal('classes-file');
    expect(missing.message).to.contain('HTTP 404');

    const whole = await (await fetch(classesUrl)).text();
    const truncated = await failure(blobUrl(whole.slice(0, Math.floor(whole.length / 2))));
    expect(truncated.kind).to.equal('classes-file');

    const hostile = await failure(
      blobUrl(JSON.stringify({ format: 'teachable-knn-dataset', version: 1, model: DEFAULT_MODEL_ID, dimension: 1e12, classes: [{ label: '<img src=x onerror=alert(1)>', vectors: [] }] })),
    );
    expect(hostile.kind).to.equal('classes-file');
    expect(document.querySelector('img[src="x"]')).to.equal(null);

    const noModel = await failure(classesUrl, '/no-such-models/');
    expect(noModel.kind).to.equal('model');
    expect(noModel.message).to.contain('was not found');
  });
});
