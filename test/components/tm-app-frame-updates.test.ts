import { expect, waitUntil } from '@open-wc/testing';
import type { ReactiveControllerHost } from 'lit';
import '../../components/tm-app';
import type { TmApp } from '../../components/tm-app';
import type { TmClassCard } from '../../components/tm-class-card';
import type { TmConfidenceBars } from '../../components/tm-confidence-bars';
import type { TmModeBars } from '../../components/tm-mode-bars';
import type { TmWebcam } from '../../components/tm-webcam';
import type { AppConfig } from '../../src/platform/config';
import { canvasStream } from '../helpers/canvas-stream';

/** Counts the Lit updates of `host` until `stop` is called. */
function countUpdates(host: ReactiveControllerHost): { readonly count: () => number; readonly stop: () => void } {
  let updates = 0;
  const counter = { hostUpdated: () => void updates++ };
  host.addController(counter);
  return { count: () => updates, stop: () => host.removeController(counter) };
}

const FRAMES = 20;

/**
 * What one frame updates in the page: the live bars, and nothing else. The app renders when its classes, examples
 * or settings change, never per frame; a card when what it shows changes.
 */
describe('<tm-app> per frame', function () {
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

  const inside = <T extends Element>(host: Element, selector: string) => host.shadowRoot!.querySelector<T>(selector);
  const cards = () => [...inside(app, 'tm-class-list')!.shadowRoot!.querySelectorAll<TmClassCard>('tm-class-card')];

  it(`updates the bars alone over ${FRAMES} frames: not the app, not the cards`, async function () {
    if (!mirror) {
      console.warn('Skipping: frames need a real MobileNet from ../shared/models, which is absent.');
      this.skip();
    }
    navigator.mediaDevices.getUserMedia = async () => canvasStream();
    localStorage.clear();
    localStorage.setItem('teachable.backend', 'wasm');
    app = document.createElement('tm-app');
    app.databaseName = `tm-app-frame-updates-${Math.random()}`;
    document.body.append(app);
    await app.updateComplete;
    const webcam = inside<TmWebcam>(app, 'tm-webcam')!;
    await waitUntil(() => app.teachable.embedder !== null && webcam.video !== null, 'app never became ready', { timeout: 60000 });

    // Teach the first class a few frames, so every frame has a class to show.
    const [first] = app.teachable.classes;
    const send = (type: string) => cards()[0].dispatchEvent(new CustomEvent(type, { detail: { classId: first.id }, bubbles: true, composed: true }));
    send('tm-record-start');
    await waitUntil(() => app.teachable.exampleCount(first.id) >= 3, 'nothing was recorded', { timeout: 20000 });
    send('tm-record-end');
    let frames = 0;
    let changes = 0;
    app.addEventListener('tm-prediction', () => frames++);
    app.addEventListener('tm-class-change', () => changes++);
    // What the recording set going (its toast, saving) is over, and the stable class is the taught one.
    await waitUntil(() => frames >= 5 && app.predictions.latest?.classId === first.id, 'no stable class', { timeout: 20000 });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await app.updateComplete;

    const modeBars = inside<TmModeBars>(app, 'tm-mode-bars')!;
    const appUpdates = countUpdates(app);
    const barUpdates = countUpdates(modeBars);
    const cardUpdates = cards().map((card) => countUpdates(card));
    const [changesBefore, framesBefore] = [changes, frames];
    await waitUntil(() => frames >= framesBefore + FRAMES, `fewer than ${FRAMES} frames`, { timeout: 60000 });
    await app.updateComplete;
    await modeBars.updateComplete;
    [appUpdates, barUpdates, ...cardUpdates].forEach((counter) => counter.stop());

    expect(changes - changesBefore, 'the stable class stayed').to.equal(0);
    expect(appUpdates.count(), 'app updates').to.equal(0);
    expect(cardUpdates.map((counter) => counter.count()), 'card updates').to.deep.equal(cards().map(() => 0));
    // The bars did follow the frames (at most one update each), and show the taught class on top.
    expect(barUpdates.count(), 'bar updates').to.be.within(1, frames - framesBefore);
    const bars = inside<TmConfidenceBars>(modeBars, 'tm-confidence-bars')!;
    expect(bars.topClassId).to.equal(first.id);
    expect(Number(inside(bars, `li[data-class-id="${first.id}"] [role="progressbar"]`)!.getAttribute('aria-valuenow'))).to.be.greaterThan(50);
    expect(cards()[0].active, 'the first card says "Best match"').to.equal(true);
    // The frame time is shown, without rendering the app.
    const frameTime = inside(inside(app, 'tm-model-panel')!, '.frame-time')!.textContent!;
    expect(frameTime).to.match(/\d ms per frame/);
  });
});
