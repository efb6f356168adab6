import { expect, waitUntil } from '@open-wc/testing';
import '../../components/tm-app';
import type { TmApp } from '../../components/tm-app';
import type { TmExampleGrid } from '../../components/tm-example-grid';
import { serializeDataset } from '../../src/dataset';
import { canvasStream } from '../helpers/canvas-stream';

/**
 * The real app with the real default MobileNet: examples recorded, cleared, deleted in the grid and put back by the
 * toast's Undo and by Ctrl+Z; what is deleted stays deleted after the app is opened again, which then has nothing to
 * undo and says so; an import says what it will do before it does it, and importing the same file again skips
 * every example.
 */
const DATABASE = `e2e-undo-${Date.now()}`;

function shadow<T extends Element>(root: Element, selector: string): T {
  const found = root.shadowRoot?.querySelector<T>(selector);
  if (!found) throw new Error(`No ${selector} inside <${root.localName}>`);
  return found;
}

const buttonNamed = (root: Element, name: string) => {
  const found = [...root.shadowRoot!.querySelectorAll<HTMLButtonElement>('button')].find((b) => (b.getAttribute('aria-label') ?? b.textContent!.trim()) === name);
  if (!found) throw new Error(`No "${name}" button inside <${root.localName}>`);
  return found;
};

describe('undo, the example grid and the import preview, end to end with a real MobileNet', function () {
  let app: TmApp;
  const realGetUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);

  async function openApp(): Promise<void> {
    app = document.createElement('tm-app');
    app.databaseName = DATABASE;
    document.body.append(app);
    await waitUntil(() => app.teachable.embedder !== null, 'model never loaded', { timeout: 60000 });
    await waitUntil(() => app.shadowRoot!.querySelector('tm-webcam')?.video, 'camera never started', { timeout: 20000 });
  }

  before(async function () {
    const config = (await (await fetch('/app-config.json')).json()) as { modelMirror: string | null };
    if (!config.modelMirror) {
      console.warn('Skipping the undo end-to-end test: it needs ../shared/models, which is absent.');
      this.skip();
    }
    navigator.mediaDevices.getUserMedia = async () => canvasStream();
    localStorage.setItem('teachable.backend', 'wasm');
    await openApp();
  });

  after(() => {
    navigator.mediaDevices.getUserMedia = realGetUserMedia;
    app?.remove();
  });

  const cards = () => [...app.shadowRoot!.querySelector('tm-class-list')!.shadowRoot!.querySelectorAll('tm-class-card')];
  const counts = () => app.teachable.classes.map((c) => app.teachable.exampleCount(c.id));
  const toast = () => shadow(app, 'tm-action-toast');
  const toastText = () => toast().shadowRoot!.querySelector('[role="status"]')!.textContent!.replace(/\s+/g, ' ').trim();
  const rows = (index: number) => app.teachable.readExamplesNow(app.teachable.embedder!.spec.id, app.teachable.classes[index].id);

  async function record(index: number, atLeast: number): Promise<void> {
    const button = shadow(shadow(cards()[index], 'tm-record-button'), 'button');
    const id = app.teachable.classes[index].id;
    const before = app.teachable.exampleCount(id);
    button.dispatchEvent(new PointerEvent('pointerdown', { pointerId: 1, bubbles: true, isPrimary: true, button: 0 }));
    await waitUntil(() => app.teachable.exampleCount(id) >= before + atLeast, 'nothing was recorded', { timeout: 20000 });
    button.dispatchEvent(new PointerEvent('pointerup', { pointerId: 1, bubbles: true, isPrimary: true, button: 0 }));
    await app.updateComplete;
  }

  it('puts back cleared examples with the toast’s Undo, bit for bit', async () => {
    await record(0, 6);
    await record(1, 6);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(toastText()).to.match(/^Recorded \d+ examples of "Class 2"\./);
    const before = counts();
    const first = rows(0);
    buttonNamed(cards()[0], 'Clear examples of Class 1').click();
    await app.updateComplete;
    expect(counts()[0]).to.equal(0);
    expect(toastText()).to.contain(`Clearing "Class 1" (${before[0]} examples): done.`);
    buttonNamed(toast(), 'Undo').click();
    await app.updateComplete;
    expect(counts()).to.deep.equal(before);
    expect(Array.from(rows(0))).to.deep.equal(Array.from(first));
    expect(toastText()).to.contain(`Undone: clearing "Class 1" (${before[0]} examples).`);
  });

  it('deletes examples in the grid, and Ctrl+Z puts them back', async () => {
    const before = counts();
    buttonNamed(cards()[1], 'See examples of Class 2').click();
    await app.updateComplete;
    const grid = shadow(app, 'tm-example-grid');
    await waitUntil(() => grid.shadowRoot!.querySelector('.remove'), 'the grid shows no examples');
    buttonNamed(grid, 'Delete example 2').click();
    await app.updateComplete;
    expect(counts()[1]).to.equal(before[1] - 1);
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'z', ctrlKey: true, bubbles: true, cancelable: true }));
    await app.updateComplete;
    expect(counts()).to.deep.equal(before);
  });

  it('keeps deletions after the app is opened again, which then has nothing to undo and says so', async () => {
    const grid = shadow<TmExampleGrid>(app, 'tm-example-grid');
    buttonNamed(grid, 'Example 1').click();
    buttonNamed(grid, 'Example 3').click();
    await grid.updateComplete;
    buttonNamed(grid, 'Delete 2 selected').click();
    await app.updateComplete;
    const after = counts();
    const kept = Array.from(rows(1));
    app.remove(); // closing the app writes what is pending
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await openApp();
    await waitUntil(() => counts().join() === after.join(), `the examples came back as ${counts().join()}, not ${after.join()}`, { timeout: 20000 });
    expect(Array.from(rows(1))).to.deep.equal(kept);
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'z', ctrlKey: true, bubbles: true, cancelable: true }));
    await app.updateComplete;
    expect(toastText()).to.contain('There is nothing to undo: the undo history starts when the page opens');
    expect(counts()).to.deep.equal(after);
  });

  it('says what an import will do before it does it, and adding the same file again skips every example', async () => {
    const before = counts();
    const total = before.reduce((a, b) => a + b, 0);
    const file = new File([serializeDataset(await app.teachable.exportDataset())], 'mine.json', { type: 'application/json' });
    const toolbar = shadow(app, 'tm-dataset-toolbar');
    const confirmBar = shadow(app, 'tm-confirm-bar');
    const question = () => confirmBar.shadowRoot!.querySelector('#question')?.textContent ?? '';
    toolbar.dispatchEvent(new CustomEvent('tm-dataset-import', { detail: { file, mode: 'replace' }, bubbles: true, composed: true }));
    await waitUntil(question, 'the import never said what it would do', { timeout: 20000 });
    expect(question()).to.equal(`mine.json: Replace your 2 classes (${total} examples) with 2 classes (${total} examples).`);
    buttonNamed(confirmBar, 'Cancel').click();
    await waitUntil(() => toolbar.shadowRoot!.textContent!.includes('mine.json was not imported: your classes are as they were.'), 'no word of the cancel');
    expect(counts()).to.deep.equal(before);

    toolbar.dispatchEvent(new CustomEvent('tm-dataset-import', { detail: { file, mode: 'merge' }, bubbles: true, composed: true }));
    await waitUntil(question, 'the import never said what it would do', { timeout: 20000 });
    expect(question()).to.equal(`mine.json: Add 2 classes (0 examples) to yours: 2 classes of the same name. ${total} examples already here will be skipped.`);
    buttonNamed(confirmBar, 'Add').click();
    await waitUntil(
      () => toolbar.shadowRoot!.textContent!.includes(`Imported 0 examples from mine.json. ${total} already here were skipped.`),
      'no word of the skipped examples',
      { timeout: 20000 },
    );
    expect(counts()).to.deep.equal(before);
  });
});
