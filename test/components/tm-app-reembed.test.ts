import { expect, waitUntil } from '@open-wc/testing';
import '../../components/tm-app';
import type { TmApp } from '../../components/tm-app';
import type { TmClassCard } from '../../components/tm-class-card';
import type { TmModelPanel } from '../../components/tm-model-panel';
import type { TmReembedOffer } from '../../components/tm-reembed-offer';
import type { TmWebcam } from '../../components/tm-webcam';
import type { AppConfig } from '../../src/platform/config';
import { canvasStream } from '../helpers/canvas-stream';

const inside = <T extends Element>(host: Element, selector: string) => host.shadowRoot!.querySelector<T>(selector);

/** The re-embed offer in the whole app, with the real models: switch, offer, re-embed, counts kept. */
describe('<tm-app> re-embedding after a model switch', function () {
  const realGetUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  let app: TmApp;

  before(async function () {
    const mirror = ((await (await fetch('/app-config.json')).json()) as AppConfig).modelMirror;
    if (!mirror) this.skip();
  });

  afterEach(() => {
    app?.remove();
    navigator.mediaDevices.getUserMedia = realGetUserMedia;
  });

  it('offers the re-embed after a switch, and the classes keep their counts with the new model', async function () {
    this.timeout(180000);
    navigator.mediaDevices.getUserMedia = async () => canvasStream();
    localStorage.clear();
    localStorage.setItem('teachable.backend', 'wasm');
    app = document.createElement('tm-app');
    app.databaseName = `tm-app-reembed-${Math.random()}`;
    document.body.append(app);
    const ready = () => app.teachable.embedder !== null && inside<TmWebcam>(app, 'tm-webcam')!.video !== null;
    await waitUntil(ready, 'the app never became ready', { timeout: 60000 });
    const firstModel = app.teachable.embedder!.spec.id;
    const cards = [...app.shadowRoot!.querySelector('tm-class-list')!.shadowRoot!.querySelectorAll<TmClassCard>('tm-class-card')];
    for (const [i, c] of app.teachable.classes.entries()) {
      cards[i].dispatchEvent(new CustomEvent('tm-record-start', { detail: { classId: c.id }, bubbles: true, composed: true }));
      await waitUntil(() => app.teachable.exampleCount(c.id) >= 3, 'nothing was recorded', { timeout: 20000 });
      cards[i].dispatchEvent(new CustomEvent('tm-record-end', { detail: { classId: c.id }, bubbles: true, composed: true }));
    }
    const counts = app.teachable.classes.map((c) => app.teachable.exampleCount(c.id));
    const offer = inside<TmReembedOffer>(app, 'tm-reembed-offer')!;
    expect(offer.offer, 'nothing to offer with the model the examples were made with').to.equal('');

    inside<TmModelPanel>(app, 'tm-model-panel')!.dispatchEvent(
      new CustomEvent('tm-model-change', { detail: { modelId: 'mobilenet-v1-0.25' }, bubbles: true, composed: true }),
    );
    await waitUntil(() => app.teachable.embedder?.spec.id === 'mobilenet-v1-0.25', 'the model did not switch', { timeout: 60000 });
    await app.updateComplete;
    expect(app.teachable.classes.map((c) => app.teachable.exampleCount(c.id))).to.deep.equal([0, 0]);
    const total = counts.reduce((a, b) => a + b, 0);
    expect(offer.offer).to.contain(`${total} examples in 2 classes were recorded with`);

    offer.shadowRoot!.querySelector('button')!.click();
    await waitUntil(() => offer.message !== '', 'the re-embed never ended', { timeout: 60000 });
    expect(offer.message).to.equal(`${total} examples re-embedded for MobileNet V1 0.25.`);
    expect(app.teachable.classes.map((c) => app.teachable.exampleCount(c.id))).to.deep.equal(counts);
    expect(offer.offer).to.equal('');
    expect(app.teachable.exampleCountFor(firstModel, app.teachable.classes[0].id)).to.equal(counts[0]);
  });
});
