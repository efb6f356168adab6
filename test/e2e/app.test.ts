import { expect, waitUntil } from '@open-wc/testing';
import * as tf from '@tensorflow/tfjs';
import '../../components/tm-app';
import type { TmApp } from '../../components/tm-app';
import type { TmClassCard } from '../../components/tm-class-card';
import type { TmConfidenceBars } from '../../components/tm-confidence-bars';
import type { TmWebcam } from '../../components/tm-webcam';
import { expectNoAxeViolations } from '../helpers/axe';

/**
 * The real app, with the real default MobileNet from the local mirror, fed by a camera whose frames are
 * real webcam photos (../shared/datasets/webcam-hand-gestures) drawn on a canvas: record two gestures,
 * then check that the live top class follows what the camera shows.
 */

const DATASET = '/datasets/webcam-hand-gestures';
const CLASS_A = 'palm';
const CLASS_B = 'no_class';
const TRAIN_PER_CLASS = 12;
const TEST_PER_CLASS = 8;
const DATABASE = `e2e-${Date.now()}`;

async function framesOf(className: string): Promise<string[]> {
  const csv = await (await fetch(`${DATASET}/frames.csv`)).text();
  return csv
    .split('\n')
    .slice(1)
    .map((line) => line.split(',')[0])
    .filter((file) => file?.startsWith(`${className}/`))
    .sort()
    .map((file) => `${DATASET}/${file}`);
}

async function loadImage(url: string): Promise<HTMLImageElement> {
  const image = new Image();
  image.src = url;
  await image.decode();
  return image;
}

/** A fake camera: a canvas that keeps repainting whatever image it is told to show. */
class CanvasCamera {
  readonly canvas = Object.assign(document.createElement('canvas'), { width: 320, height: 240 });
  readonly stream = this.canvas.captureStream(30);
  private image: HTMLImageElement | null = null;
  private frame = 0;
  private painted = 0;

  constructor() {
    const paint = () => {
      const context = this.canvas.getContext('2d')!;
      if (this.image) context.drawImage(this.image, 0, 0, 320, 240);
      // A one-pixel flicker in a corner so every frame is a new frame for the capture.
      context.fillStyle = this.painted++ % 2 ? '#000' : '#010101';
      context.fillRect(0, 0, 1, 1);
      this.frame = requestAnimationFrame(paint);
    };
    paint();
  }

  show(image: HTMLImageElement): void {
    this.image = image;
  }

  stop(): void {
    cancelAnimationFrame(this.frame);
    for (const track of this.stream.getTracks()) track.stop();
  }
}

function shadow<T extends Element>(root: Element, selector: string): T {
  const found = root.shadowRoot?.querySelector<T>(selector);
  if (!found) throw new Error(`No ${selector} inside <${root.localName}>`);
  return found;
}

describe('the app end to end, with a real MobileNet and real webcam frames', function () {
  let camera: CanvasCamera;
  let app: TmApp;
  let trainA: HTMLImageElement[];
  let trainB: HTMLImageElement[];
  let testA: HTMLImageElement[];
  let testB: HTMLImageElement[];
  const realGetUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);

  before(async function () {
    const config = (await (await fetch('/app-config.json')).json()) as { modelMirror: string | null };
    const dataset = await fetch(`${DATASET}/frames.csv`);
    if (!config.modelMirror || !dataset.ok) {
      console.warn('Skipping the end-to-end test: it needs ../shared/models and ../shared/datasets, which are absent.');
      this.skip();
    }
    const [a, b] = await Promise.all([framesOf(CLASS_A), framesOf(CLASS_B)]);
    [trainA, testA, trainB, testB] = await Promise.all(
      [
        a.slice(0, TRAIN_PER_CLASS),
        a.slice(TRAIN_PER_CLASS, TRAIN_PER_CLASS + TEST_PER_CLASS),
        b.slice(0, TRAIN_PER_CLASS),
        b.slice(TRAIN_PER_CLASS, TRAIN_PER_CLASS + TEST_PER_CLASS),
      ].map((urls) => Promise.all(urls.map(loadImage))),
    );
    camera = new CanvasCamera();
    camera.show(trainA[0]);
    navigator.mediaDevices.getUserMedia = async () => camera.stream;
    localStorage.clear();
    // The backend measurement has its own tests; wasm is the fastest here, so skip measuring.
    localStorage.setItem('teachable.backend', 'wasm');
    // Not open-wc's fixture(): it removes the element after each test, and these tests share one session.
    app = document.createElement('tm-app');
    app.databaseName = DATABASE;
    document.body.append(app);
  });

  after(() => {
    navigator.mediaDevices.getUserMedia = realGetUserMedia;
    camera?.stop();
    app?.remove();
  });

  const cards = () => [...app.shadowRoot!.querySelector('tm-class-list')!.shadowRoot!.querySelectorAll('tm-class-card')];
  const recordButton = (card: Element) => shadow<HTMLButtonElement>(shadow(card, 'tm-record-button'), 'button');
  const topClassLabel = () => {
    const top = shadow<TmConfidenceBars>(shadow(app, 'tm-mode-bars'), 'tm-confidence-bars').topClassId;
    return app.teachable.classes.find((c) => c.id === top)?.label ?? null;
  };
  const nextFrames = async (n: number) => {
    for (let i = 0; i < n; i++) await new Promise((r) => requestAnimationFrame(r));
  };

  it('loads the model and the camera, with two classes and their bars', async () => {
    await waitUntil(() => app.teachable.embedder !== null, 'model never loaded', { timeout: 60000 });
    await waitUntil(() => shadow<TmWebcam>(app, 'tm-webcam').video, 'camera never started', { timeout: 20000 });
    expect(cards().map((c) => c.label)).to.deep.equal(['Class 1', 'Class 2']);
    const bars = shadow(shadow(app, 'tm-mode-bars'), 'tm-confidence-bars').shadowRoot!.querySelectorAll('[role="progressbar"]');
    expect(bars.length).to.equal(2);
    expect(bars[0].getAttribute('aria-label')).to.equal('Class 1');
  });

  async function record(card: TmClassCard, images: HTMLImageElement[], hold: 'pointer' | 'keyboard') {
    const button = recordButton(card);
    const countBefore = app.teachable.exampleCount(card.classId);
    camera.show(images[0]);
    await nextFrames(3);
    if (hold === 'pointer') {
      button.dispatchEvent(new PointerEvent('pointerdown', { pointerId: 1, bubbles: true, isPrimary: true, button: 0 }));
    } else {
      button.focus();
      button.dispatchEvent(new KeyboardEvent('keydown', { key: ' ', code: 'Space', bubbles: true }));
    }
    for (const image of images) {
      camera.show(image);
      await nextFrames(4);
    }
    if (hold === 'pointer') {
      button.dispatchEvent(new PointerEvent('pointerup', { pointerId: 1, bubbles: true, isPrimary: true, button: 0 }));
    } else {
      button.dispatchEvent(new KeyboardEvent('keyup', { key: ' ', code: 'Space', bubbles: true }));
    }
    await nextFrames(4);
    return app.teachable.exampleCount(card.classId) - countBefore;
  }

  it('records examples while a class button is held, by pointer and by keyboard', async () => {
    const addedA = await record(cards()[0], trainA, 'pointer');
    const addedB = await record(cards()[1], trainB, 'keyboard');
    expect(addedA).to.be.greaterThan(TRAIN_PER_CLASS / 2);
    expect(addedB).to.be.greaterThan(TRAIN_PER_CLASS / 2);
    // Releasing stops recording: the counts stay put while frames keep flowing.
    const settled = app.teachable.exampleCount(app.teachable.classes[0].id);
    await nextFrames(20);
    expect(app.teachable.exampleCount(app.teachable.classes[0].id)).to.equal(settled);
    // Predicting frame after frame allocates nothing that stays (one frame's embedding may be in flight).
    await nextFrames(10);
    const tensorsBefore = tf.memory().numTensors;
    await nextFrames(30);
    expect(Math.abs(tf.memory().numTensors - tensorsBefore)).to.be.at.most(1);
  });

  it('follows what the camera shows with the live top class', async () => {
    let correct = 0;
    const shown: string[] = [];
    for (const [images, expected] of [
      [testA, 'Class 1'],
      [testB, 'Class 2'],
    ] as const) {
      for (const image of images) {
        camera.show(image);
        await nextFrames(12);
        const top = topClassLabel();
        shown.push(`${expected}->${top}`);
        if (top === expected) correct++;
      }
    }
    const accuracy = correct / (testA.length + testB.length);
    console.log(`live accuracy ${accuracy} on ${shown.length} frames: ${shown.join(' ')}`);
    expect(accuracy, shown.join(' ')).to.be.at.least(0.8);
  });

  it('sends class changes to the example page, which moves its dot', async () => {
    const frame = Object.assign(document.createElement('iframe'), { src: '/examples/dot.html', width: 400, height: 500 });
    document.body.append(frame);
    try {
      await waitUntil(() => frame.contentDocument?.querySelector<HTMLElement>('#dot')?.dataset.x, 'the example page never loaded', { timeout: 20000 });
      const dot = frame.contentDocument!.querySelector<HTMLElement>('#dot')!;
      const last = frame.contentDocument!.querySelector<HTMLElement>('#last')!;
      const position = () => [Number(dot.dataset.x), Number(dot.dataset.y)];
      const start = position();
      // Choose "Send to other pages" on both class cards, as a user would.
      for (const card of cards()) {
        const picker = shadow<HTMLSelectElement>(card, '.output select');
        picker.value = 'broadcast';
        picker.dispatchEvent(new Event('change', { bubbles: true }));
      }
      expect(app.teachable.classes.map((c) => c.output?.kind)).to.deep.equal(['broadcast', 'broadcast']);
      // Class 1 (the first class) moves the dot up, Class 2 (the second) right.
      camera.show(testA[0]);
      await waitUntil(() => position()[1] < start[1], `the dot never went up: ${last.textContent}`, { timeout: 20000 });
      expect(last.textContent).to.contain('"Class 1"');
      camera.show(testB[0]);
      await waitUntil(() => position()[0] > start[0], `the dot never went right: ${last.textContent}`, { timeout: 20000 });
      expect(last.textContent).to.contain('"Class 2"');
      expect(last.textContent).to.contain('moved right');
      expect(frame.contentDocument!.querySelector('#field')!.getAttribute('aria-label')).to.match(/^The dot, \d+ px right and \d+ px up from the middle$/);
    } finally {
      frame.remove();
    }
  });

  it('has no axe violations while it predicts, with examples and thumbnails', async () => {
    await expectNoAxeViolations(app, 'the trained app');
  });

  it('finds every example back when the app is opened again', async () => {
    const counts = app.teachable.classes.map((c) => [c.label, app.teachable.exampleCount(c.id)]);
    expect(counts.every(([, n]) => Number(n) > 0)).to.equal(true);
    app.remove(); // closing the app writes what is pending
    await new Promise((resolve) => setTimeout(resolve, 1500));
    app = document.createElement('tm-app');
    app.databaseName = DATABASE;
    document.body.append(app);
    await waitUntil(() => app.teachable.embedder !== null, 'model never loaded', { timeout: 60000 });
    await waitUntil(
      () => app.teachable.classes.every((c) => app.teachable.exampleCount(c.id) > 0),
      'examples did not come back',
      { timeout: 20000 },
    );
    expect(app.teachable.classes.map((c) => [c.label, app.teachable.exampleCount(c.id)])).to.deep.equal(counts);
  });
});
