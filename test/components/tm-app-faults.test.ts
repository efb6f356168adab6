import { expect, waitUntil } from '@open-wc/testing';
import '../../components/tm-app';
import type { TmApp } from '../../components/tm-app';
import type { TmClassCard } from '../../components/tm-class-card';
import type { TmDatasetToolbar } from '../../components/tm-dataset-toolbar';
import type { TmModelPanel } from '../../components/tm-model-panel';
import type { TmWebcam } from '../../components/tm-webcam';
import type { AppConfig } from '../../src/platform/config';
import { DEFAULT_MODEL_ID, findModel } from '../../src/models/catalog';
import { removeFromCache } from '../../src/models/loader';
import { DatasetStore } from '../../src/storage/dataset-store';
import { Teachable } from '../../src/app/teachable';
import { canvasStream } from '../helpers/canvas-stream';
import { itExceptInFirefox } from '../helpers/browser';

/**
 * Each fault as the user meets it in the whole app: the message shown where it appears, the rest of the app still
 * usable, and recovery once the cause is gone. Faults are made at the browser's edge (fetch, IndexedDB, the camera
 * track), so the app's own code runs unchanged.
 */
describe('<tm-app> faults', function () {
  const realGetUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  const realFetch = window.fetch;
  const realPut = IDBObjectStore.prototype.put;
  const realOpen = IDBFactory.prototype.open;
  const spec = findModel(DEFAULT_MODEL_ID)!;
  let app: TmApp;
  let mirror: string | null;

  before(async () => {
    mirror = ((await (await fetch('/app-config.json')).json()) as AppConfig).modelMirror;
  });

  beforeEach(async () => {
    navigator.mediaDevices.getUserMedia = async () => canvasStream();
    // Every model fault is met on a first visit: nothing in the browser's model cache.
    await removeFromCache(spec);
  });

  afterEach(() => {
    app?.remove();
    navigator.mediaDevices.getUserMedia = realGetUserMedia;
    window.fetch = realFetch;
    IDBObjectStore.prototype.put = realPut;
    IDBFactory.prototype.open = realOpen;
  });

  async function mount(): Promise<TmApp> {
    localStorage.clear();
    localStorage.setItem('teachable.backend', 'wasm');
    app = document.createElement('tm-app');
    app.databaseName = `tm-app-faults-${Math.random()}`;
    document.body.append(app);
    await app.updateComplete;
    return app;
  }

  const inside = <T extends Element>(host: Element, selector: string) => host.shadowRoot!.querySelector<T>(selector);
  const panel = () => inside<TmModelPanel>(app, 'tm-model-panel')!;
  const webcam = () => inside<TmWebcam>(app, 'tm-webcam')!;
  const toolbarStatus = () => inside<TmDatasetToolbar>(app, 'tm-dataset-toolbar')!.status;
  const button = (host: Element, text: string) =>
    [...host.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent?.trim() === text) ?? null;
  const urlOf = (input: RequestInfo | URL) => (typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);

  /** Answers requests whose URL contains `part` with `answer`; everything else goes to the network. */
  function interceptFetch(part: string, answer: (url: string) => Promise<Response>): void {
    window.fetch = (input, init) => (urlOf(input).includes(part) ? answer(urlOf(input)) : realFetch(input, init));
  }

  /** The rest of the app works meanwhile: the camera runs (unless it is the fault) and classes can be added and renamed. */
  async function expectRestUsable({ camera = true } = {}): Promise<void> {
    if (camera) await waitUntil(() => webcam().video !== null, 'the camera did not run', { timeout: 10000 });
    button(app, 'Add a class')!.click();
    const added = app.teachable.classes.at(-1)!;
    app.teachable.renameClass(added.id, 'Still works');
    await app.updateComplete;
    const cards = [...app.shadowRoot!.querySelector('tm-class-list')!.shadowRoot!.querySelectorAll<TmClassCard>('tm-class-card')];
    expect(cards.map((c) => c.label)).to.include('Still works');
  }

  async function retryModelAndExpectReady(): Promise<void> {
    window.fetch = realFetch;
    button(panel(), 'Retry')!.click();
    await waitUntil(() => panel().status === 'ready', 'Retry did not load the model', { timeout: 60000 });
    expect(panel().shadowRoot!.querySelector('[role="alert"]')).to.equal(null);
    await waitUntil(() => app.teachable.embedder !== null, 'the app never got the model');
  }

  async function modelAlert(): Promise<string> {
    await waitUntil(() => panel().status === 'error', 'the model error never showed', { timeout: 60000 });
    await panel().updateComplete;
    return panel().shadowRoot!.querySelector('[role="alert"]')?.textContent ?? '';
  }

  it('model 404: says the model was not found and where, keeps the rest usable, and Retry loads it', async function () {
    if (!mirror) this.skip();
    interceptFetch(`/${spec.mirrorFolder}/`, async () => new Response('Not found', { status: 404 }));
    await mount();
    const text = await modelAlert();
    expect(text).to.contain(`${spec.name} was not found at`).and.to.contain('HTTP 404');
    await expectRestUsable();
    await retryModelAndExpectReady();
  });

  it('truncated model weights: says the files are damaged, and Retry loads good ones', async function () {
    if (!mirror) this.skip();
    interceptFetch(`/${spec.mirrorFolder}/`, async (url) => {
      const real = await realFetch(url);
      if (!url.endsWith('.bin')) return real;
      const bytes = await real.arrayBuffer();
      return new Response(bytes.slice(0, bytes.byteLength >> 1), { status: 200 });
    });
    await mount();
    const text = await modelAlert();
    expect(text).to.contain('are damaged');
    await expectRestUsable();
    await retryModelAndExpectReady();
  });

  it('a corrupt model.json: says the files are damaged, and Retry loads good ones', async function () {
    if (!mirror) this.skip();
    interceptFetch(`/${spec.mirrorFolder}/model.json`, async () => new Response('{"modelTopology": tru', { status: 200 }));
    await mount();
    expect(await modelAlert()).to.contain('are damaged');
    await retryModelAndExpectReady();
  });

  it('no network on the first visit: says the model could not be downloaded, and Retry works once the network is back', async function () {
    if (!mirror) this.skip();
    window.fetch = () => Promise.reject(new TypeError('Failed to fetch'));
    await mount();
    const text = await modelAlert();
    expect(text).to.contain('Could not reach').and.to.contain('no network?');
    await expectRestUsable();
    await retryModelAndExpectReady();
  });

  for (const [name, fault, says] of [
    ['NotReadableError', 'the camera held by another program', 'in use by another program'],
    ['NotFoundError', 'no camera', 'No camera was found'],
    ['NotAllowedError', 'camera permission denied', 'Camera access was blocked'],
  ] as const) {
    it(`${fault}: says so with a Retry button, keeps the rest usable, and Retry starts the camera once it is free`, async () => {
      navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException(`test ${name}`, name));
      await mount();
      await waitUntil(() => webcam().status === 'error', 'the camera error never showed', { timeout: 10000 });
      await webcam().updateComplete;
      expect(webcam().shadowRoot!.querySelector('[role="alert"]')?.textContent).to.contain(says);
      await expectRestUsable({ camera: false });
      navigator.mediaDevices.getUserMedia = async () => canvasStream();
      button(webcam(), 'Retry')!.click();
      await waitUntil(() => webcam().video !== null, 'Retry did not start the camera', { timeout: 10000 });
      expect(webcam().shadowRoot!.querySelector('[role="alert"]')).to.equal(null);
    });
  }

  itExceptInFirefox("a page cannot end its camera track as an unplugged camera does (stop() fires nothing, and Firefox gives a track no untrusted 'ended' event)", 'the camera unplugged while recording: recording stops, the examples so far stay, Retry brings the camera back', async function () {
    if (!mirror) this.skip();
    await mount();
    await waitUntil(() => app.teachable.embedder !== null && webcam().video !== null, 'the app never became ready', { timeout: 60000 });
    const [first] = app.teachable.classes;
    const card = inside<TmClassCard>(inside(app, 'tm-class-list')!, 'tm-class-card')!;
    card.dispatchEvent(new CustomEvent('tm-record-start', { detail: { classId: first.id }, bubbles: true, composed: true }));
    await waitUntil(() => app.teachable.exampleCount(first.id) >= 3, 'nothing was recorded', { timeout: 20000 });

    const [track] = (webcam().shadowRoot!.querySelector('video')!.srcObject as MediaStream).getVideoTracks();
    // Chromium fires 'ended' for a device that goes away, not for track.stop().
    track.stop();
    track.dispatchEvent(new Event('ended'));
    await app.updateComplete;
    await webcam().updateComplete;
    expect(webcam().shadowRoot!.querySelector('[role="alert"]')?.textContent).to.contain('The camera stopped (was it unplugged?)');
    const kept = app.teachable.exampleCount(first.id);
    expect(kept).to.be.at.least(3);
    expect(card.recording).to.equal(false);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(app.teachable.exampleCount(first.id)).to.equal(kept);
    await expectRestUsable({ camera: false });

    button(webcam(), 'Retry')!.click();
    await waitUntil(() => webcam().video !== null, 'Retry did not bring the camera back', { timeout: 10000 });
    card.dispatchEvent(new CustomEvent('tm-record-end', { detail: { classId: first.id }, bubbles: true, composed: true }));
    card.dispatchEvent(new CustomEvent('tm-record-start', { detail: { classId: first.id }, bubbles: true, composed: true }));
    await waitUntil(() => app.teachable.exampleCount(first.id) > kept, 'recording did not work after Retry', { timeout: 20000 });
    card.dispatchEvent(new CustomEvent('tm-record-end', { detail: { classId: first.id }, bubbles: true, composed: true }));
    expect(app.teachable.exampleCount(first.id)).to.be.greaterThan(kept);
  });

  it('storage full: says the latest changes are not saved, keeps working, and a later save clears the message', async () => {
    await mount();
    await waitUntil(() => app.autosave.saving, 'autosave never started');
    IDBObjectStore.prototype.put = function () {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
    app.teachable.addClass('Unsaved for now');
    await waitUntil(() => toolbarStatus().includes('storage for this site is full'), 'the full storage was never reported', {
      timeout: 10000,
    });
    expect(inside<TmDatasetToolbar>(app, 'tm-dataset-toolbar')!.statusIsError).to.equal(true);
    await expectRestUsable();

    IDBObjectStore.prototype.put = realPut;
    app.teachable.addClass('After the room came back');
    await waitUntil(() => toolbarStatus().includes('Saving works again'), 'the message stayed after a successful save', {
      timeout: 10000,
    });
    const store = await DatasetStore.open({ name: app.databaseName });
    const saved = new Teachable(0);
    try {
      await store.restore(saved);
      expect(saved.classes.map((c) => c.label)).to.deep.equal(app.teachable.classes.map((c) => c.label));
    } finally {
      store.close();
      saved.dispose();
    }
  });

  it('no IndexedDB (private mode): says nothing is kept after the page closes, and the model and camera still work', async function () {
    IDBFactory.prototype.open = function () {
      throw new DOMException('A mutation operation was attempted on a database that did not allow mutations.', 'InvalidStateError');
    };
    await mount();
    await waitUntil(() => toolbarStatus().includes('private browsing'), 'the missing storage was never reported', { timeout: 10000 });
    expect(toolbarStatus()).to.contain('last only until the page closes');
    await expectRestUsable();
    if (!mirror) return;
    // The model cannot be cached in IndexedDB either: it is downloaded and used all the same.
    await waitUntil(() => panel().status === 'ready', 'the model did not load without IndexedDB', { timeout: 60000 });
  });
});
