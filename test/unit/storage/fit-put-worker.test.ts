import { expect } from '@open-wc/testing';
import type { Dataset } from '../../../src/dataset';
import { Teachable } from '../../../src/app/teachable';
import { DatasetStore } from '../../../src/storage/dataset-store';
import { withoutFeatures } from '../../../src/platform/capabilities';
import { FIT_STORE, type FitRecord } from '../../../src/storage/records';
import { seededRandom, solidImage, TINY_DIM, tinyEmbedderPair } from '../../helpers/tiny-model';

function dataset(model: string, perClass: number): Dataset {
  const random = seededRandom(5);
  return {
    model,
    dimension: TINY_DIM,
    classes: [0, 1].map((c) => ({
      label: `Class ${c}`,
      color: null,
      vectors: Float32Array.from({ length: perClass * TINY_DIM }, (_, i) => Math.max(0, ((i % TINY_DIM) + c) / TINY_DIM + random() - 0.5)),
      thumbnails: [],
    })),
  };
}

/** Counts the page's own puts into FIT_STORE. */
function spyOnPagePuts(): { puts: () => number; restore: () => void } {
  const original = IDBObjectStore.prototype.put;
  let puts = 0;
  IDBObjectStore.prototype.put = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
    if (this.name === FIT_STORE) puts++;
    return original.call(this, value, key);
  };
  return { puts: () => puts, restore: () => (IDBObjectStore.prototype.put = original) };
}

describe('Autosave puts the fitted k-NN space in a worker', () => {
  const tiny = tinyEmbedderPair();
  let name: string;
  const opened: DatasetStore[] = [];
  const made: Teachable[] = [];

  /** Imports examples, lets their space be fitted (a vote needs it) and autosave write everything. */
  const saveWithFit = async () => {
    const teachable = new Teachable(0);
    made.push(teachable);
    teachable.setEmbedder(tiny.a);
    const store = await DatasetStore.open({ name, debounceMs: 10, maxWaitMs: 50, closeJournal: null });
    opened.push(store);
    store.watch(teachable);
    teachable.importDataset(dataset(tiny.a.spec.id, 60), { mode: 'replace' });
    await teachable.predictImage(solidImage([200, 40, 90], 3));
    await store.flush();
    return teachable;
  };
  const storedFit = async () => {
    const db = await new Promise<IDBDatabase>((resolve) => (indexedDB.open(name).onsuccess = (e) => resolve((e.target as IDBOpenDBRequest).result)));
    try {
      return await new Promise<FitRecord | undefined>((resolve) => (db.transaction(FIT_STORE).objectStore(FIT_STORE).get(tiny.a.spec.id).onsuccess = (e) => resolve((e.target as IDBRequest<FitRecord>).result)));
    } finally {
      db.close();
    }
  };

  beforeEach(() => (name = `teachable-fit-worker-${Math.random().toString(36).slice(2)}`));
  afterEach(async () => {
    opened.splice(0).forEach((s) => s.close());
    made.splice(0).forEach((t) => t.dispose());
    await new Promise((resolve) => (indexedDB.deleteDatabase(name).onsuccess = resolve));
  });

  it('stores the fit the page would, none of it put on the page', async () => {
    const spy = spyOnPagePuts();
    let teachable: Teachable;
    try {
      teachable = await saveWithFit();
    } finally {
      spy.restore();
    }
    expect(spy.puts()).to.equal(0);
    const expected = teachable.savedFit(tiny.a.spec.id);
    expect(expected).to.not.equal(null);
    expect((await storedFit())?.fit).to.deep.equal(expected);
  });

  it('puts it on the page where there is no worker for it', async () => {
    const spy = spyOnPagePuts();
    const restoreFeatures = withoutFeatures('storageWorker');
    let teachable: Teachable;
    try {
      teachable = await saveWithFit();
    } finally {
      restoreFeatures();
      spy.restore();
    }
    expect(spy.puts()).to.equal(1);
    expect((await storedFit())?.fit).to.deep.equal(teachable.savedFit(tiny.a.spec.id));
  });
});
