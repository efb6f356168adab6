import { expect } from '@open-wc/testing';
import type { Dataset } from '../../../src/dataset';
import { Teachable } from '../../../src/app/teachable';
import { DatasetStore } from '../../../src/storage/dataset-store';
import { FIT_STORE, STATE_STORE, SOUND_STORE, THUMBNAIL_STORE, VECTOR_STORE, type FitRecord } from '../../../src/storage/records';
import { seededRandom, solidImage, TINY_DIM, tinyEmbedderPair } from '../../helpers/tiny-model';

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
  });
}

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

/** 3 classes of `perClass` non-negative rows around a centre each. */
function dataset(model: string, perClass: number): Dataset {
  const random = seededRandom(11);
  return {
    model,
    dimension: TINY_DIM,
    classes: [0, 1, 2].map((c) => {
      const centre = Array.from({ length: TINY_DIM }, () => 2 * random());
      const vectors = Float32Array.from({ length: perClass * TINY_DIM }, (_, i) => Math.max(0, centre[i % TINY_DIM] + random() - 0.5));
      return { label: `Class ${c}`, color: null, vectors, thumbnails: [] };
    }),
  };
}

const IMAGES = [0, 1, 2, 3, 4, 5].map((i) => solidImage([40 * i, 255 - 30 * i, (90 * i) % 256], i));

describe('DatasetStore: the k-NN space fitted over the examples is kept with them', () => {
  const tiny = tinyEmbedderPair();
  let name: string;
  const opened: DatasetStore[] = [];
  const made: Teachable[] = [];
  const open = async () => {
    const store = await DatasetStore.open({ name, debounceMs: 10, maxWaitMs: 50, closeJournal: null });
    opened.push(store);
    return store;
  };
  const make = () => {
    const teachable = new Teachable(0);
    made.push(teachable);
    teachable.setEmbedder(tiny.a);
    return teachable;
  };
  /** Every image's vote, as text: equal means bit for bit. */
  const votes = async (teachable: Teachable) => JSON.stringify(await Promise.all(IMAGES.map((image) => teachable.predictImage(image))));
  const counts = (teachable: Teachable) => teachable.classes.map((c) => teachable.exampleCountFor(tiny.a.spec.id, c.id));
  const restored = async () => {
    const teachable = make();
    expect(await (await open()).restore(teachable)).to.equal(true);
    return teachable;
  };
  const withDatabase = async <T>(work: (db: IDBDatabase) => Promise<T>): Promise<T> => {
    const db = await request(indexedDB.open(name));
    try {
      return await work(db);
    } finally {
      db.close();
    }
  };
  const storedFit = () => withDatabase((db) => request(db.transaction(FIT_STORE).objectStore(FIT_STORE).get(tiny.a.spec.id) as IDBRequest<FitRecord | undefined>));
  const putFit = (record: unknown) =>
    withDatabase(async (db) => {
      const transaction = db.transaction(FIT_STORE, 'readwrite');
      transaction.objectStore(FIT_STORE).put(record);
      await new Promise((resolve) => (transaction.oncomplete = resolve));
    });

  /** A saved Teachable with 3 classes of 90 examples whose space was fitted (by predicting) and saved. */
  const savedWithFit = async () => {
    const teachable = make();
    const store = await open();
    store.watch(teachable);
    teachable.importDataset(dataset(tiny.a.spec.id, 90), { mode: 'replace' });
    const before = await votes(teachable);
    await store.flush();
    return { teachable, store, before };
  };

  beforeEach(() => (name = `teachable-fit-${Math.random().toString(36).slice(2)}`));
  afterEach(async () => {
    opened.splice(0).forEach((s) => s.close());
    made.splice(0).forEach((t) => t.dispose());
    await deleteDatabase(name);
  });

  it('a reload puts the saved fit back instead of fitting, and votes bit for bit as before', async () => {
    const { teachable, before } = await savedWithFit();
    expect(teachable.spaceFitsRun(tiny.a.spec.id)).to.equal(1);
    const record = await storedFit();
    expect(record?.fit).to.deep.include({ counts: [90, 90, 90], classIds: teachable.classes.map((c) => c.id) });
    const back = await restored();
    expect(counts(back)).to.deep.equal([90, 90, 90]);
    expect(await votes(back)).to.equal(before);
    expect(back.spaceFitsRun(tiny.a.spec.id)).to.equal(0);
  });

  it('a saved fit the examples have moved on from serves the first votes, the space is fitted again in the background, and that fit saved', async () => {
    const { teachable, store } = await savedWithFit();
    // Recorded after the fit was saved: the frame's example borrows the fit's parameters, so no new fit is saved.
    const first = teachable.classes[0].id;
    await teachable.processFrame(IMAGES[0], first);
    await store.flush();
    expect((await storedFit())?.fit).to.deep.include({ counts: [90, 90, 90] });
    const back = await restored();
    expect(counts(back)).to.deep.equal([91, 90, 90]);
    expect(back.spaceFitsRun(tiny.a.spec.id), 'no fit before the first votes').to.equal(0);
    await votes(back);
    await back.settled();
    expect(back.spaceFitsRun(tiny.a.spec.id), 'fitted in the background').to.equal(1);
    // Then the same votes as a store fitted from nothing over the same examples.
    await putFit({ modelId: tiny.a.spec.id, fit: null });
    const fresh = await restored();
    expect(fresh.spaceFitsRun(tiny.a.spec.id)).to.equal(1);
    expect(await votes(back)).to.equal(await votes(fresh));
    // The fit the restore made is saved once the store watches, and the next reload uses it.
    opened.at(-2)!.watch(back);
    await opened.at(-2)!.flush();
    expect((await storedFit())?.fit).to.deep.include({ counts: [91, 90, 90] });
    const again = await restored();
    expect(again.spaceFitsRun(tiny.a.spec.id)).to.equal(0);
    expect(await votes(again)).to.equal(await votes(fresh));
  });

  it('a damaged saved fit is not used: every example comes back, fitted again, with the votes of a fresh fit', async () => {
    const { before } = await savedWithFit();
    const record = (await storedFit())!;
    const fit = record.fit as { directions: Float32Array; rowFactors: Float32Array[] };
    const damaged: [string, unknown][] = [
      ['a number changed', { ...record, fit: { ...fit, directions: fit.directions.map((x, i) => (i === 3 ? x + 1e-3 : x)) } }],
      ['factors cut short', { ...record, fit: { ...fit, rowFactors: fit.rowFactors.map((f) => f.subarray(2)) } }],
      ['not a fit', { ...record, fit: 'garbage' }],
    ];
    for (const [why, value] of damaged) {
      await putFit(value);
      const back = await restored();
      expect(counts(back), why).to.deep.equal([90, 90, 90]);
      expect(back.spaceFitsRun(tiny.a.spec.id), why).to.equal(1);
      expect(await votes(back), why).to.equal(before);
    }
  });

  it('an import in steps, fitted before it is swapped in, has its fit saved without a prediction', async () => {
    const teachable = make();
    const store = await open();
    store.watch(teachable);
    await teachable.importDatasetInSteps(dataset(tiny.a.spec.id, 70), { mode: 'replace' });
    await store.flush();
    expect((await storedFit())?.fit).to.deep.include({ counts: [70, 70, 70] });
    const back = await restored();
    expect(back.spaceFitsRun(tiny.a.spec.id)).to.equal(0);
    expect(await votes(back)).to.equal(await votes(teachable));
  });

  it('opens a database of the version before fits were kept, adding their store', async () => {
    await deleteDatabase(name);
    const old = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open(name, 2);
      r.onupgradeneeded = () => {
        r.result.createObjectStore(STATE_STORE);
        r.result.createObjectStore(VECTOR_STORE, { keyPath: ['modelId', 'classId', 'chunk'] });
        r.result.createObjectStore(THUMBNAIL_STORE, { keyPath: ['modelId', 'classId'] });
        r.result.createObjectStore(SOUND_STORE, { keyPath: 'classId' });
      };
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    old.close();
    const { before } = await savedWithFit();
    const back = await restored();
    expect(back.spaceFitsRun(tiny.a.spec.id)).to.equal(0);
    expect(await votes(back)).to.equal(before);
  });
});
