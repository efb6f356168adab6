import { expect, waitUntil } from '@open-wc/testing';
import * as tf from '@tensorflow/tfjs';
import '../../components/tm-app';
import type { TmApp } from '../../components/tm-app';
import type { TmClassCard } from '../../components/tm-class-card';
import type { TmVoteSettings } from '../../components/tm-vote-settings';
import type { TmWebcam } from '../../components/tm-webcam';
import type { AppConfig } from '../../src/platform/config';

/** The classic k-NN vote (knn-classifier's predictClass) chosen in the app: its events, and its tensors. */

function canvasStream(): MediaStream {
  const canvas = Object.assign(document.createElement('canvas'), { width: 64, height: 48 });
  const context = canvas.getContext('2d')!;
  let frame = 0;
  const paint = () => {
    context.fillStyle = `hsl(${(frame++ * 7) % 360} 60% 50%)`;
    context.fillRect(0, 0, 64, 48);
    if (stream.active) requestAnimationFrame(paint);
  };
  const stream = canvas.captureStream(30);
  paint();
  return stream;
}

const inside = <T extends Element>(host: Element, selector: string) => host.shadowRoot!.querySelector<T>(selector);

describe('<tm-app> with the classic k-NN vote', function () {
  const realGetUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  let app: TmApp;
  let mirror: string | null;

  before(async () => {
    mirror = ((await (await fetch('/app-config.json')).json()) as AppConfig).modelMirror;
  });

  afterEach(() => {
    app?.remove();
    navigator.mediaDevices.getUserMedia = realGetUserMedia;
  });

  /** Tensors alive when the next prediction event fires: between two frames, so none of a frame's own. */
  function tensorsBetweenFrames(): Promise<number> {
    return new Promise((resolve) => app.addEventListener('tm-prediction', () => resolve(tf.memory().numTensors), { once: true }));
  }

  it('predicts with it, and leaves no tensor of it behind after switching back and forth 20 times', async function () {
    if (!mirror) {
      console.warn('Skipping: recording needs a real MobileNet from ../shared/models, which is absent.');
      this.skip();
    }
    navigator.mediaDevices.getUserMedia = async () => canvasStream();
    localStorage.clear();
    localStorage.setItem('teachable.backend', 'wasm');
    app = document.createElement('tm-app');
    app.databaseName = `tm-app-classic-${Math.random()}`;
    document.body.append(app);
    await app.updateComplete;
    const webcam = inside<TmWebcam>(app, 'tm-webcam')!;
    await waitUntil(() => app.teachable.embedder !== null && webcam.video !== null, 'app never became ready', { timeout: 60000 });
    const card = inside<TmClassCard>(inside(app, 'tm-class-list')!, 'tm-class-card')!;
    for (const c of app.teachable.classes) {
      card.dispatchEvent(new CustomEvent('tm-record-start', { detail: { classId: c.id }, bubbles: true, composed: true }));
      await waitUntil(() => app.teachable.exampleCount(c.id) >= 4, 'nothing was recorded', { timeout: 10000 });
      card.dispatchEvent(new CustomEvent('tm-record-end', { detail: { classId: c.id }, bubbles: true, composed: true }));
    }
    await app.teachable.settled();
    const settings = inside<TmVoteSettings>(app, 'tm-vote-settings')!;
    const radios = () => [...settings.shadowRoot!.querySelectorAll<HTMLInputElement>('input[type="radio"]')];
    const classicRadio = () => radios().find((r) => r.parentElement!.textContent!.includes('knn-classifier'))!;
    const defaultRadio = () => radios()[0];

    const baseline = await tensorsBetweenFrames();
    classicRadio().click();
    expect(app.teachable.voteOptions.method).to.equal('knn-classifier');
    const confidences: number[][] = [];
    const seen = new Promise<void>((resolve) => {
      const listener = (e: HTMLElementEventMap['tm-prediction']) => {
        confidences.push(e.detail.confidences.map((c) => c.raw));
        if (confidences.length >= 3) {
          app.removeEventListener('tm-prediction', listener);
          resolve();
        }
      };
      app.addEventListener('tm-prediction', listener);
    });
    await seen;
    // The package's confidences are shares of k = 3 votes.
    for (const frame of confidences) {
      expect(frame.reduce((a, b) => a + b, 0)).to.be.closeTo(1, 1e-6);
      for (const c of frame) expect([0, 1 / 3, 2 / 3, 1].some((share) => Math.abs(share - c) < 1e-6), `${frame}`).to.equal(true);
    }
    expect(await tensorsBetweenFrames()).to.be.greaterThan(baseline);

    for (let i = 0; i < 20; i++) {
      defaultRadio().click();
      await tensorsBetweenFrames();
      await settings.updateComplete;
      classicRadio().click();
      await tensorsBetweenFrames();
      await settings.updateComplete;
    }
    defaultRadio().click();
    expect(app.teachable.voteOptions.method).to.equal('soft-nearest');
    expect(await tensorsBetweenFrames()).to.equal(baseline);
  });
});
