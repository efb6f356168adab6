import { expect, waitUntil } from '@open-wc/testing';
import '../../components/tm-app';
import type { TmApp } from '../../components/tm-app';
import type { TmClassCard } from '../../components/tm-class-card';
import type { TmRecordButton } from '../../components/tm-record-button';
import type { TmWebcam } from '../../components/tm-webcam';
import { Teachable } from '../../src/app/teachable';
import { DEFAULT_RECORDING } from '../../src/app/timed-recording';
import type { AppConfig } from '../../src/platform/config';
import { canvasStream } from '../helpers/canvas-stream';

const inside = <T extends Element>(host: Element, selector: string) => host.shadowRoot!.querySelector<T>(selector);

/** Recording without holding in the whole app: a click's countdown and timed recording, and what stops them. */
describe('<tm-app> recording without holding', function () {
  const realGetUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  let app: TmApp;
  let mirror: string | null;

  before(async () => {
    mirror = ((await (await fetch('/app-config.json')).json()) as AppConfig).modelMirror;
  });

  beforeEach(async function () {
    if (!mirror) this.skip();
    navigator.mediaDevices.getUserMedia = async () => canvasStream();
    localStorage.clear();
    localStorage.setItem('teachable.backend', 'wasm');
    app = document.createElement('tm-app');
    app.databaseName = `tm-app-timed-${Math.random()}`;
    document.body.append(app);
    await waitUntil(() => app.teachable.embedder !== null && inside<TmWebcam>(app, 'tm-webcam')!.video !== null, 'the app never became ready', {
      timeout: 60000,
    });
  });

  afterEach(() => {
    app?.remove();
    navigator.mediaDevices.getUserMedia = realGetUserMedia;
  });

  const cards = () => [...app.shadowRoot!.querySelector('tm-class-list')!.shadowRoot!.querySelectorAll<TmClassCard>('tm-class-card')];
  const recordButton = (card: TmClassCard) => inside<TmRecordButton>(card, 'tm-record-button')!;
  const clickRecord = (card: TmClassCard) => recordButton(card).shadowRoot!.querySelector('button')!.click();
  const notices = () => [...app.shadowRoot!.querySelectorAll('.notice')].map((n) => n.textContent!.trim().replace(/×$/, ''));

  async function timed(countdownSeconds: number, durationSeconds: number, framesPerSecond = 24): Promise<void> {
    app.teachable.recordingSettings = { holdToRecord: false, countdownSeconds, durationSeconds, framesPerSecond };
    await app.updateComplete;
  }

  it('a click counts down, records for the duration at most at the frame-rate cap, and stops by itself', async () => {
    await timed(1, 2, 4);
    const [first] = app.teachable.classes;
    const card = cards()[0];
    clickRecord(card);
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(app.teachable.exampleCount(first.id), 'nothing is recorded during the countdown').to.equal(0);
    await waitUntil(() => card.recording, 'the recording never started', { timeout: 3000 });
    await waitUntil(() => !card.recording && !recordButton(card).counting, 'the recording never stopped', { timeout: 5000 });
    const count = app.teachable.exampleCount(first.id);
    // 2 s at 4 a second, one more at the edge; the camera and the model run faster than that here.
    expect(count).to.be.within(1, 9);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(app.teachable.exampleCount(first.id), 'nothing is recorded after the duration').to.equal(count);
  });

  it('the class deleted during its countdown: a message, no class, nothing recorded anywhere', async () => {
    await timed(3, 2);
    const [, second] = app.teachable.classes;
    clickRecord(cards()[1]);
    await app.updateComplete;
    // "Delete class", as the card reports it; with no examples the app does not ask first.
    cards()[1].dispatchEvent(new CustomEvent('tm-class-delete', { detail: { classId: second.id }, bubbles: true, composed: true }));
    await app.updateComplete;
    expect(notices()).to.include(`Countdown cancelled: "${second.label}" was deleted.`);
    await new Promise((resolve) => setTimeout(resolve, 3500));
    expect(app.teachable.classes.map((c) => c.id)).to.not.include(second.id);
    expect(app.teachable.classes.map((c) => app.teachable.exampleCount(c.id))).to.deep.equal([0]);
  });

  it('the camera failing during the countdown: a message, the countdown ends, nothing recorded', async () => {
    await timed(2, 2);
    const [first] = app.teachable.classes;
    const card = cards()[0];
    clickRecord(card);
    await app.updateComplete;
    expect(recordButton(card).counting).to.equal(true);
    inside<TmWebcam>(app, 'tm-webcam')!.dispatchEvent(new CustomEvent('tm-camera-error', { detail: {}, bubbles: true, composed: true }));
    await app.updateComplete;
    expect(notices()).to.include(`Recording of "${first.label}" stopped: the camera failed.`);
    expect(recordButton(card).counting).to.equal(false);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(app.teachable.exampleCount(first.id)).to.equal(0);
  });

  it('the setting is saved with the classes and comes back', async () => {
    await timed(0, 7, 10);
    const restored = new Teachable(0);
    restored.restoreState(app.teachable.savedState(), []);
    expect(restored.recordingSettings).to.deep.equal({ holdToRecord: false, countdownSeconds: 0, durationSeconds: 7, framesPerSecond: 10 });
    const older = { ...app.teachable.savedState(), recording: undefined };
    restored.restoreState(older, []);
    expect(restored.recordingSettings).to.deep.equal(DEFAULT_RECORDING);
    expect(() => restored.restoreState({ ...older, recording: { ...DEFAULT_RECORDING, countdownSeconds: 11 } }, [])).to.throw(RangeError, /recording/);
    restored.dispose();
  });
});
