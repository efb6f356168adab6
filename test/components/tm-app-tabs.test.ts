import { expect, waitUntil } from '@open-wc/testing';
import '../../components/tm-app';
import type { TmApp } from '../../components/tm-app';
import type { TmDatasetToolbar } from '../../components/tm-dataset-toolbar';
import { DatasetStore } from '../../src/storage/dataset-store';
import { Teachable } from '../../src/app/teachable';
import { canvasStream } from '../helpers/canvas-stream';

/**
 * Two tabs of the app on one saved dataset: two apps in this page, each with its own IndexedDB connection to the
 * same database and its own Web Lock request, as two tabs of one origin have.
 */
describe('<tm-app> open in two tabs', function () {
  const realGetUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  const apps: TmApp[] = [];
  let databaseName: string;

  beforeEach(() => {
    navigator.mediaDevices.getUserMedia = async () => canvasStream();
    databaseName = `tm-app-tabs-${Math.random()}`;
  });

  afterEach(() => {
    for (const app of apps.splice(0)) app.remove();
    navigator.mediaDevices.getUserMedia = realGetUserMedia;
  });

  async function open(): Promise<TmApp> {
    const app = document.createElement('tm-app');
    app.databaseName = databaseName;
    document.body.append(app);
    apps.push(app);
    await app.updateComplete;
    return app;
  }

  const statusOf = (app: TmApp) => app.shadowRoot!.querySelector<TmDatasetToolbar>('tm-dataset-toolbar')!.status;
  const labels = (teachable: Teachable) => teachable.classes.map((c) => c.label);

  /** What a third tab opened now would find in the database. */
  async function saved(): Promise<string[]> {
    const store = await DatasetStore.open({ name: databaseName });
    const teachable = new Teachable(0);
    try {
      await store.restore(teachable);
      return labels(teachable);
    } finally {
      store.close();
      teachable.dispose();
    }
  }

  async function savedBecomes(expected: string[], message: string): Promise<void> {
    await waitUntil(async () => JSON.stringify(await saved()) === JSON.stringify(expected), message, { timeout: 10000 });
  }

  it('lets one tab save and tells the other it is not saving; the other takes over, as it shows, when the first closes', async () => {
    const first = await open();
    await waitUntil(() => first.autosave.saving, 'the first tab never started saving', { timeout: 10000 });
    const second = await open();
    await waitUntil(() => statusOf(second).includes('open in another tab'), 'the second tab never said it is not saving', { timeout: 10000 });
    expect(second.autosave.saving).to.equal(false);
    expect(statusOf(first)).not.to.contain('another tab');

    first.teachable.renameClass(first.teachable.classes[0].id, 'Cup');
    first.teachable.addClass('Pen');
    await savedBecomes(['Cup', 'Class 2', 'Pen'], 'the saving tab did not save');
    // The waiting tab changes its own copy: it must not write over what the saving tab saved.
    second.teachable.renameClass(second.teachable.classes[1].id, 'Mug');
    second.teachable.deleteClass(second.teachable.classes[0].id);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await saved()).to.deep.equal(['Cup', 'Class 2', 'Pen']);

    first.remove();
    await waitUntil(() => statusOf(second).includes('this tab saves your classes now'), 'the second tab never took over', { timeout: 10000 });
    expect(second.autosave.saving).to.equal(true);
    await savedBecomes(['Mug'], 'the tab that took over did not save what it shows');
    second.teachable.addClass('Ball');
    await savedBecomes(['Mug', 'Ball'], 'later changes of the tab that took over are not saved');
  });

  it('a waiting tab with no changes of its own loads what the closed tab saved when it takes over', async () => {
    const first = await open();
    await waitUntil(() => first.autosave.saving, 'the first tab never started saving', { timeout: 10000 });
    const second = await open();
    await waitUntil(() => statusOf(second).includes('open in another tab'), 'the second tab never said it is not saving', { timeout: 10000 });
    first.teachable.addClass('Late');
    first.remove();
    await waitUntil(() => statusOf(second).includes('its saved classes are loaded here'), 'the second tab never took over', { timeout: 10000 });
    expect(second.autosave.saving).to.equal(true);
    expect(labels(second.teachable)).to.deep.equal(['Class 1', 'Class 2', 'Late']);
    expect(await saved()).to.deep.equal(['Class 1', 'Class 2', 'Late']);
  });
});
