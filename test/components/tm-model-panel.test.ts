import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../components/tm-model-panel';
import { formatFrameTime, type TmModelPanel } from '../../components/tm-model-panel';
import { MODEL_CATALOG } from '../../src/models/catalog';
import { expectNoAxeViolations } from '../helpers/axe';

// Assertions compare strings and booleans, not elements: a failing assertion holding a DOM node can crash
// the test runner's error serialisation and hide which test failed.
const $ = (el: TmModelPanel, selector: string) => el.shadowRoot!.querySelector(selector);
const present = (el: TmModelPanel, selector: string) => $(el, selector) !== null;
const text = (el: TmModelPanel, selector: string) =>
  $(el, selector)?.textContent?.replace(/\s+/g, ' ').trim() ?? null;
const select = (el: TmModelPanel) => $(el, 'select') as HTMLSelectElement;
const retryButton = (el: TmModelPanel) =>
  [...el.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Retry') ?? null;

type PanelProps = Pick<
  TmModelPanel,
  | 'status'
  | 'progress'
  | 'progressSource'
  | 'errorMessage'
  | 'backend'
  | 'backendDetail'
  | 'frameMs'
  | 'otherModelExamples'
  | 'selectedId'
>;

async function panel(props: Partial<PanelProps>) {
  const el = await fixture<TmModelPanel>(html`<tm-model-panel .models=${MODEL_CATALOG}></tm-model-panel>`);
  Object.assign(el, props);
  await el.updateComplete;
  return el;
}

describe('tm-model-panel', () => {
  it('shows download progress as a determinate progressbar with the percentage in words', async () => {
    const el = await panel({ status: 'loading', progress: 0.42, progressSource: 'network' });
    const bar = $(el, '[role="progressbar"]');
    expect(bar?.getAttribute('aria-valuenow')).to.equal('42');
    expect(bar?.getAttribute('aria-valuemin')).to.equal('0');
    expect(bar?.getAttribute('aria-valuemax')).to.equal('100');
    const labelId = bar?.getAttribute('aria-labelledby');
    expect(labelId).to.be.a('string');
    const label = el.shadowRoot!.getElementById(labelId!)?.textContent?.trim();
    expect(label).to.equal('Downloading MobileNet V2 0.35… 42%');
    expect(($(el, '[role="progressbar"] .fill') as HTMLElement).style.width).to.equal('42%');

    el.progress = 0.9;
    await el.updateComplete;
    expect($(el, '[role="progressbar"]')?.getAttribute('aria-valuenow')).to.equal('90');
    expect(text(el, '#progress-text')).to.equal('Downloading MobileNet V2 0.35… 90%');

    // Every byte is in; the model's first run is still to come.
    el.progress = 1;
    await el.updateComplete;
    expect(text(el, '#progress-text')).to.equal('Preparing MobileNet V2 0.35…');
  });

  it('has no axe violations while downloading, indeterminate, ready with timings and kept examples, and failed', async () => {
    await expectNoAxeViolations(await panel({ status: 'loading', progress: 0.42, progressSource: 'network' }), 'downloading');
    await expectNoAxeViolations(await panel({ status: 'loading', progress: null }), 'loading, size unknown');
    await expectNoAxeViolations(
      await panel({ status: 'ready', backend: 'wasm', backendDetail: 'SIMD, threads', frameMs: 42, otherModelExamples: 3 }),
      'ready',
    );
    await expectNoAxeViolations(await panel({ status: 'error', errorMessage: 'MobileNet was not found (HTTP 404).' }), 'failed');
  });

  it('is an indeterminate progressbar (no aria-valuenow) while the size is unknown', async () => {
    const el = await panel({ status: 'loading', progress: null, progressSource: 'network' });
    const bar = $(el, '[role="progressbar"]');
    expect(bar !== null).to.equal(true);
    expect(bar!.hasAttribute('aria-valuenow')).to.equal(false);
    expect(bar!.classList.contains('indeterminate')).to.equal(true);
    expect(text(el, '#progress-text')).to.equal('Downloading MobileNet V2 0.35…');

    el.progressSource = null;
    await el.updateComplete;
    expect(text(el, '#progress-text')).to.equal('Loading MobileNet V2 0.35…');
  });

  it('names the model being loaded and says when it comes from the cache', async () => {
    const el = await panel({
      status: 'loading',
      selectedId: 'mobilenet-v1-0.25',
      progress: 1,
      progressSource: 'cache',
    });
    expect(text(el, '#progress-text')).to.equal("Loading MobileNet V1 0.25 from this browser's cache…");
  });

  it('disables the model picker while loading and enables it once ready or failed', async () => {
    const el = await panel({ status: 'loading' });
    expect(select(el).disabled).to.equal(true);
    el.status = 'ready';
    await el.updateComplete;
    expect(select(el).disabled).to.equal(false);
    expect(present(el, '[role="progressbar"]')).to.equal(false);
    expect(present(el, '[role="alert"]')).to.equal(false);
    el.status = 'error';
    await el.updateComplete;
    expect(select(el).disabled).to.equal(false);
  });

  it('lists every model by name and summary in a labelled select showing the selected one', async () => {
    const el = await panel({ status: 'ready', selectedId: 'mobilenet-v2-1.0' });
    const picker = select(el);
    expect(text(el, `label[for="${picker.id}"]`)).to.equal('Model');
    expect([...picker.options].map((o) => o.value)).to.deep.equal(MODEL_CATALOG.map((m) => m.id));
    expect(picker.options[1].textContent?.trim()).to.equal(`${MODEL_CATALOG[1].name}: ${MODEL_CATALOG[1].summary}`);
    expect(picker.value).to.equal('mobilenet-v2-1.0');
    el.selectedId = 'mobilenet-v1-0.25';
    await el.updateComplete;
    expect(picker.value).to.equal('mobilenet-v1-0.25');
  });

  it('fires a bubbling, composed model-change with the picked model', async () => {
    const el = await panel({ status: 'ready' });
    const picker = select(el);
    picker.value = 'mobilenet-v1-0.25';
    setTimeout(() => picker.dispatchEvent(new Event('change')));
    const event = await oneEvent(el, 'tm-model-change');
    expect(event.detail).to.deep.equal({ modelId: 'mobilenet-v1-0.25' });
    expect(event.bubbles).to.equal(true);
    expect(event.composed).to.equal(true);
  });

  it('shows a load error as an alert with a Retry button that fires model-retry', async () => {
    const message = 'MobileNet V2 0.35 was not found at /models/x/model.json (HTTP 404).';
    const el = await panel({ status: 'error', errorMessage: message });
    expect(text(el, '[role="alert"]')).to.equal(message);
    const button = retryButton(el);
    expect(button !== null).to.equal(true);
    setTimeout(() => button!.click());
    const event = await oneEvent(el, 'tm-model-retry');
    expect(event.detail).to.deep.equal({ modelId: 'mobilenet-v2-0.35' });
    expect(event.bubbles && event.composed).to.equal(true);

    el.status = 'loading';
    await el.updateComplete;
    expect(present(el, '[role="alert"]')).to.equal(false);
    expect(retryButton(el) === null).to.equal(true);
  });

  it('says which runtime the model runs on, and how long a frame takes', async () => {
    const el = await panel({ status: 'ready', backend: 'wasm', backendDetail: 'SIMD, threads', frameMs: 31 });
    expect(text(el, '.backend')).to.equal('Running on wasm (SIMD, threads)');
    expect(text(el, '.frame-time')).to.equal('31 ms per frame · fast enough for 32 fps');

    el.backend = 'webgl';
    el.backendDetail = '';
    el.frameMs = null;
    await el.updateComplete;
    expect(text(el, '.backend')).to.equal('Running on webgl');
    // Until real frames have been timed, no number: a dash.
    expect(text(el, '.frame-time')).to.equal('— ms per frame');
  });

  it('formats frame times', () => {
    expect(formatFrameTime(31)).to.equal('31 ms per frame · fast enough for 32 fps');
    expect(formatFrameTime(4.26)).to.equal('4.3 ms per frame · fast enough for 235 fps');
    expect(formatFrameTime(100)).to.equal('100 ms per frame · fast enough for 10 fps');
  });

  it('says how many examples are kept with other models, only when there are some', async () => {
    const el = await panel({ status: 'ready', otherModelExamples: 0 });
    expect(present(el, '#kept')).to.equal(false);
    expect(select(el).hasAttribute('aria-describedby')).to.equal(false);

    el.otherModelExamples = 40;
    await el.updateComplete;
    expect(text(el, '#kept')).to.equal('40 examples recorded with other models are kept for when you switch back.');
    expect(select(el).getAttribute('aria-describedby')).to.equal('kept');

    el.otherModelExamples = 1;
    await el.updateComplete;
    expect(text(el, '#kept')).to.equal('1 example recorded with another model is kept for when you switch back.');
  });
});
