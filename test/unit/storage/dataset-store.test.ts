import { expect } from '@open-wc/testing';
import { JOURNAL_BUDGET, journalKey, parseJournal } from '../../../src/storage/close-journal';
import { DatasetStore, type StorageProblem } from '../../../src/storage/dataset-store';
import { openDatabase, requestResult, transactionDone } from '../../../src/storage/idb';
import {
  ROWS_PER_CHUNK,
  SOUND_IN_STORE,
  SOUND_STORE,
  STATE_KEY,
  STATE_STORE,
  THUMBNAIL_STORE,
  VECTOR_STORE,
  withSoundsAside,
  withSoundsBack,
  type SoundRecord,
  type StateRecord,
  type VectorChunkRecord,
} from '../../../src/storage/records';
import { Teachable } from '../../../src/app/teachable';
import { solidImage, tinyEmbedderPair } from '../../helpers/tiny-model';

const RED = solidImage([220, 30, 30], 20);
const BLUE = solidImage([30, 30, 220], 20);

const bits = (values: Float32Array) => Array.from(new Uint32Array(values.buffer, values.byteOffset, values.length));

/** Everything autosave must bring back. */
async function snapshot(teachable: Teachable) {
  const models = teachable.modelsWithExamples();
  const examples = await Promise.all(
    models.flatMap(({ modelId }) =>
      teachable.classes.map(async (c) => [modelId, c.id, bits(await teachable.readExamples(modelId, c.id)), teachable.keptThumbnails(modelId, c.id)]),
    ),
  );
  return { state: teachable.savedState(), models, examples };
}

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
  });
}

/** Records what each put writes into the object store `storeName` (by default the vector chunks). */
function spyOnPuts<T = VectorChunkRecord>(storeName = VECTOR_STORE): { puts: T[]; restore: () => void } {
  const original = IDBObjectStore.prototype.put;
  const puts: T[] = [];
  IDBObjectStore.prototype.put = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
    if (this.name === storeName) puts.push(value as T);
    return original.call(this, value, key);
  };
  return { puts, restore: () => (IDBObjectStore.prototype.put = original) };
}

/** What `storeName` of database `name` holds. */
async function storedRecords<T>(name: string, storeName: string): Promise<T[]> {
  const db = await requestResult(indexedDB.open(name));
  try {
    return await requestResult(db.transaction(storeName).objectStore(storeName).getAll() as IDBRequest<T[]>);
  } finally {
    db.close();
  }
}

const sound = (i: number) => ({ kind: 'sound' as const, name: `s${i}.wav`, dataUrl: `data:audio/wav;base64,${btoa(String(i).repeat(3000))}` });

/**
 * Makes every readwrite transaction abort where it would commit, as Chromium does to the transactions a page
 * leaves unfinished when it closes.
 */
function dropWrites(): () => void {
  const original = IDBDatabase.prototype.transaction;
  IDBDatabase.prototype.transaction = function (this: IDBDatabase, ...args: Parameters<IDBDatabase['transaction']>) {
    const transaction = original.apply(this, args);
    if (args[1] === 'readwrite') transaction.commit = () => transaction.abort();
    return transaction;
  } as IDBDatabase['transaction'];
  return () => (IDBDatabase.prototype.transaction = original);
}

/** What a page going away sees: beforeunload (when it is closed) and pagehide. */
function closePage(options: { beforeUnload: boolean }): void {
  if (options.beforeUnload) window.dispatchEvent(new Event('beforeunload'));
  window.dispatchEvent(new Event('pagehide'));
}

/**
 * Closes the page while every IndexedDB write it makes is dropped (as Chromium drops a closing page's unfinished
 * writes), waits for the store's writes to settle, then closes the store.
 */
async function closeDroppingWrites(store: DatasetStore, options: { beforeUnload: boolean }): Promise<void> {
  const undo = dropWrites();
  try {
    closePage(options);
    await store.flush();
  } finally {
    undo();
  }
  store.close();
}

describe('DatasetStore (autosave)', () => {
  const tiny = tinyEmbedderPair();
  let name: string;
  const opened: DatasetStore[] = [];
  const teachables: Teachable[] = [];

  const open = async (options: Parameters<typeof DatasetStore.open>[0] = {}) => {
    const store = await DatasetStore.open({ name, debounceMs: 10, maxWaitMs: 50, ...options });
    opened.push(store);
    return store;
  };
  const make = (classes = 2) => {
    const teachable = new Teachable(classes);
    teachables.push(teachable);
    return teachable;
  };

  beforeEach(() => {
    name = `teachable-test-${Math.random().toString(36).slice(2)}`;
  });

  afterEach(async () => {
    opened.splice(0).forEach((s) => s.close());
    teachables.splice(0).forEach((t) => t.dispose());
    localStorage.removeItem(journalKey(name));
    await deleteDatabase(name);
  });

  it('restores nothing from an empty database, and leaves the Teachable as it is', async () => {
    const store = await open();
    expect(store.available).to.equal(true);
    const teachable = make();
    const before = await snapshot(teachable);
    expect(await store.restore(teachable)).to.equal(false);
    expect(await snapshot(teachable)).to.deep.equal(before);
  });

  it('brings back classes, labels, colours, order, every model’s examples, thumbnails and k after a reopen', async () => {
    const store = await open();
    const teachable = make();
    store.watch(teachable);
    const [first, second] = teachable.classes.map((c) => c.id);
    teachable.setEmbedder(tiny.a);
    let n = 0;
    const thumb = () => `data:image/jpeg;base64,${btoa(`thumb${++n}`.padEnd(9))}`;
    for (let i = 0; i < 3; i++) await teachable.processFrame(RED, first, thumb);
    await teachable.processFrame(BLUE, second, thumb);
    teachable.setEmbedder(tiny.b);
    await teachable.processFrame(BLUE, second, thumb);
    teachable.renameClass(first, '<b>Red</b> & __proto__');
    teachable.setClassColor(second, '#123abc');
    const third = teachable.addClass('Green');
    teachable.moveClass(third.id, 0);
    const doomed = teachable.addClass('Doomed');
    teachable.deleteClass(doomed.id);
    teachable.voteOptions = { k: 7, sharpness: 12 };
    await store.flush();
    store.close();

    const reopened = await open();
    const fresh = make(0);
    expect(await reopened.restore(fresh)).to.equal(true);
    expect(await snapshot(fresh)).to.deep.equal(await snapshot(teachable));
    expect(fresh.classes.map((c) => c.label)).to.deep.equal(['Green', '<b>Red</b> & __proto__', 'Class 2']);
    expect(fresh.voteOptions).to.deep.equal({ k: 7, sharpness: 12 });
    expect(fresh.addClass().id, 'the deleted class-4 is not reused').to.equal('class-5');
    fresh.setEmbedder(tiny.a);
    expect(fresh.exampleCount(first)).to.equal(3);
    expect((await fresh.processFrame(RED, null)).prediction.classId).to.equal(first);
  });

  it('saves in the background after a quiet moment, without being asked to flush', async () => {
    const store = await open();
    const teachable = make();
    store.watch(teachable);
    teachable.setEmbedder(tiny.a);
    const saved = new Promise((resolve) => store.addEventListener('saved', resolve, { once: true }));
    await teachable.processFrame(RED, teachable.classes[0].id);
    await saved;
    store.close();
    const fresh = make(0);
    await (await open()).restore(fresh);
    fresh.setEmbedder(tiny.a);
    expect(fresh.exampleCount(teachable.classes[0].id)).to.equal(1);
  });

  it('appends: a new example rewrites only the last chunk, never the whole class', async () => {
    const store = await open({ debounceMs: 60_000, maxWaitMs: 60_000 });
    const teachable = make();
    store.watch(teachable);
    teachable.setEmbedder(tiny.a);
    const id = teachable.classes[0].id;
    const count = ROWS_PER_CHUNK * 3 + 5;
    for (let i = 0; i < count; i++) await teachable.processFrame(i % 2 ? RED : BLUE, id);
    const spy = spyOnPuts();
    try {
      await store.flush();
      expect(spy.puts.map((p) => p.chunk)).to.deep.equal([0, 1, 2, 3]);
      spy.puts.length = 0;
      await teachable.processFrame(RED, id);
      await store.flush();
      expect(spy.puts.map((p) => [p.chunk, p.data.length / 8])).to.deep.equal([[3, 6]]);
      spy.puts.length = 0;
      teachable.renameClass(id, 'Renamed');
      await store.flush();
      expect(spy.puts, 'a rename writes no vectors').to.deep.equal([]);
    } finally {
      spy.restore();
    }
    const fresh = make(0);
    await (await open()).restore(fresh);
    expect(await snapshot(fresh)).to.deep.equal(await snapshot(teachable));
  });

  it('keeps sound files apart from the state, writing one only when it changed, and brings them back', async () => {
    const store = await open();
    const teachable = make(3);
    store.watch(teachable);
    const [a, b, c] = teachable.classes.map((k) => k.id);
    teachable.setClassOutput(a, sound(1));
    teachable.setClassOutput(b, sound(2));
    const spy = spyOnPuts<SoundRecord>(SOUND_STORE);
    const states = spyOnPuts<StateRecord>(STATE_STORE);
    try {
      await store.flush();
      expect(spy.puts.map((p) => p.classId)).to.deep.equal([a, b]);
      expect(states.puts.at(-1)!.classes.map((k) => k.output)).to.deep.equal([
        { ...sound(1), dataUrl: SOUND_IN_STORE },
        { ...sound(2), dataUrl: SOUND_IN_STORE },
        undefined,
      ]);
      spy.puts.length = 0;
      teachable.renameClass(c, 'Renamed');
      await store.flush();
      expect(spy.puts, 'a rename writes no sound').to.deep.equal([]);
      teachable.setClassOutput(a, sound(3));
      teachable.setClassOutput(b, { kind: 'tone', tone: 'high' });
      await store.flush();
      expect(spy.puts.map((p) => [p.classId, p.dataUrl])).to.deep.equal([[a, sound(3).dataUrl]]);
    } finally {
      spy.restore();
      states.restore();
    }
    expect((await storedRecords<SoundRecord>(name, SOUND_STORE)).map((r) => r.classId), 'the one no longer used is gone').to.deep.equal([a]);
    const fresh = make(0);
    expect(await (await open()).restore(fresh)).to.equal(true);
    expect(fresh.savedState()).to.deep.equal(teachable.savedState());
  });

  it('gives a class whose stored sound file is missing no output, rather than refusing the whole state', () => {
    const teachable = make(3);
    const [a, b, c] = teachable.classes.map((k) => k.id);
    teachable.setClassOutput(a, sound(5));
    teachable.setClassOutput(b, sound(6));
    teachable.setClassOutput(c, { kind: 'speech' });
    const { record, sounds } = withSoundsAside({ ...teachable.savedState(), savedAt: '2026-12-01T00:00:00.000Z' });
    expect([...sounds.keys()]).to.deep.equal([a, b]);
    const back = withSoundsBack(record, new Map([[b, sound(6).dataUrl]]));
    expect(back.classes.map((k) => k.output)).to.deep.equal([{ kind: 'none' }, sound(6), { kind: 'speech' }]);
  });

  it('reads a version 1 database, whose state holds its sound files, and moves them out at the next write', async () => {
    const teachable = make(2);
    teachable.setClassOutput(teachable.classes[0].id, sound(4));
    const old = await openDatabase(indexedDB, name, 1, (db) => {
      db.createObjectStore(STATE_STORE);
      db.createObjectStore(VECTOR_STORE, { keyPath: ['modelId', 'classId', 'chunk'] });
      db.createObjectStore(THUMBNAIL_STORE, { keyPath: ['modelId', 'classId'] });
    });
    const transaction = old.transaction(STATE_STORE, 'readwrite');
    transaction.objectStore(STATE_STORE).put({ ...teachable.savedState(), savedAt: '2026-11-01T00:00:00.000Z' }, STATE_KEY);
    await transactionDone(transaction);
    old.close();
    const store = await open();
    const fresh = make(0);
    expect(await store.restore(fresh)).to.equal(true);
    expect(fresh.savedState()).to.deep.equal(teachable.savedState());
    store.watch(fresh);
    fresh.renameClass(fresh.classes[1].id, 'Moved');
    await store.flush();
    expect(await storedRecords<SoundRecord>(name, SOUND_STORE)).to.deep.equal([{ classId: fresh.classes[0].id, dataUrl: sound(4).dataUrl }]);
    const [state] = await storedRecords<StateRecord>(name, STATE_STORE);
    expect(state.classes[0].output).to.deep.equal({ ...sound(4), dataUrl: SOUND_IN_STORE });
  });

  it('clearing and deleting remove the stored examples; an import rewrites everything', async () => {
    const store = await open();
    const teachable = make();
    store.watch(teachable);
    teachable.setEmbedder(tiny.a);
    const [first, second] = teachable.classes.map((c) => c.id);
    await teachable.processFrame(RED, first);
    await teachable.processFrame(BLUE, second);
    await store.flush();
    teachable.clearClass(first);
    teachable.deleteClass(second);
    await store.flush();
    const fresh = make(0);
    await (await open()).restore(fresh);
    expect(fresh.modelsWithExamples()).to.deep.equal([]);
    expect(fresh.classes.map((c) => c.id)).to.deep.equal([first]);

    teachable.importDataset(
      { model: null, dimension: 8, classes: [{ label: 'Imported', color: '#010203', vectors: new Float32Array(16).fill(0.5), thumbnails: [] }] },
      { mode: 'replace' },
    );
    await store.flush();
    const again = make(0);
    await (await open()).restore(again);
    expect(await snapshot(again)).to.deep.equal(await snapshot(teachable));
  });

  it('reports IndexedDB being absent, and then neither throws nor saves', async () => {
    const problems: StorageProblem[] = [];
    const store = await open({ indexedDB: null, onError: (p) => problems.push(p) });
    expect(store.available).to.equal(false);
    expect(problems.map((p) => p.kind)).to.deep.equal(['unavailable']);
    expect(problems[0].message).to.match(/does not let the app store data here/);
    const teachable = make();
    expect(await store.restore(teachable)).to.equal(false);
    store.watch(teachable);
    teachable.setEmbedder(tiny.a);
    await teachable.processFrame(RED, teachable.classes[0].id);
    teachable.renameClass(teachable.classes[0].id, 'Still works');
    await store.flush();
    expect(teachable.exampleCount(teachable.classes[0].id)).to.equal(1);
  });

  it('reports a factory that throws on open (private mode), without rejecting', async () => {
    const problems: StorageProblem[] = [];
    const refusing = {
      open: () => {
        throw new DOMException('The operation is insecure.', 'SecurityError');
      },
    } as unknown as IDBFactory;
    const store = await open({ indexedDB: refusing, onError: (p) => problems.push(p) });
    expect(store.available).to.equal(false);
    expect(store.problem?.kind).to.equal('unavailable');
    expect(problems[0].message).to.match(/insecure/);
  });

  it('reports a full disk, keeps the app running, and saves everything once there is room again', async () => {
    const problems: StorageProblem[] = [];
    const store = await open({ onError: (p) => problems.push(p) });
    const teachable = make();
    store.watch(teachable);
    teachable.setEmbedder(tiny.a);
    const id = teachable.classes[0].id;
    const original = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = () => {
      throw new DOMException('Quota exceeded.', 'QuotaExceededError');
    };
    try {
      await teachable.processFrame(RED, id);
      await store.flush();
    } finally {
      IDBObjectStore.prototype.put = original;
    }
    // One report per failed write: the flush's, and the autosave timer's too when the frame took longer than its delay.
    expect(problems.length).to.be.greaterThan(0);
    expect(new Set(problems.map((p) => p.kind))).to.deep.equal(new Set(['full']));
    expect(problems[0].message).to.match(/storage for this site is full/);
    expect(teachable.exampleCount(id)).to.equal(1);
    // Nothing half-written: the database still has nothing.
    expect(await (await open()).restore(make(0))).to.equal(false);

    await teachable.processFrame(BLUE, id);
    await store.flush();
    expect(store.problem).to.equal(null);
    const fresh = make(0);
    expect(await (await open()).restore(fresh)).to.equal(true);
    expect(await snapshot(fresh)).to.deep.equal(await snapshot(teachable));
  });

  it('reports damaged saved data instead of restoring part of it', async () => {
    const store = await open();
    const teachable = make();
    store.watch(teachable);
    teachable.setEmbedder(tiny.a);
    for (let i = 0; i < ROWS_PER_CHUNK + 1; i++) await teachable.processFrame(RED, teachable.classes[0].id);
    await store.flush();
    store.close();
    await new Promise<void>((resolve, reject) => {
      const request = indexedDB.open(name);
      request.onsuccess = () => {
        const db = request.result;
        const tx = db.transaction(VECTOR_STORE, 'readwrite');
        tx.objectStore(VECTOR_STORE).delete([tiny.a.spec.id, teachable.classes[0].id, 0]);
        tx.oncomplete = () => {
          db.close();
          resolve();
        };
        tx.onerror = () => reject(tx.error);
      };
    });
    const problems: StorageProblem[] = [];
    const fresh = make();
    const before = await snapshot(fresh);
    expect(await (await open({ onError: (p) => problems.push(p) })).restore(fresh)).to.equal(false);
    expect(problems.map((p) => p.kind)).to.deep.equal(['restore-failed']);
    expect(problems[0].message).to.match(/damaged/);
    expect(await snapshot(fresh)).to.deep.equal(before);
  });

  describe('the close journal (a page closed before its writes commit)', () => {
    let n = 0;
    const thumb = () => `data:image/jpeg;base64,${btoa(`close${++n}`.padEnd(9))}`;
    const storedJournal = () => parseJournal(localStorage.getItem(journalKey(name)));

    /** A Teachable with some examples saved, and more recorded since (not yet written). */
    async function recordedPastTheLastWrite(store: DatasetStore) {
      const teachable = make();
      store.watch(teachable);
      teachable.setEmbedder(tiny.a);
      const [first, second] = teachable.classes.map((c) => c.id);
      for (let i = 0; i < ROWS_PER_CHUNK + 2; i++) await teachable.processFrame(RED, first, thumb);
      await teachable.processFrame(BLUE, second, thumb);
      await store.flush();
      for (let i = 0; i < 5; i++) await teachable.processFrame(RED, first, thumb);
      teachable.renameClass(second, 'Renamed since');
      return teachable;
    }

    it('brings back what was recorded when every write at the close is dropped, then writes it to IndexedDB', async () => {
      const store = await open({ debounceMs: 60_000, maxWaitMs: 60_000 });
      const teachable = await recordedPastTheLastWrite(store);
      await closeDroppingWrites(store, { beforeUnload: true });
      const journal = storedJournal();
      expect(journal?.entries.map((e) => [e.classId, e.fromRow])).to.deep.equal([[teachable.classes[0].id, ROWS_PER_CHUNK + 2]]);
      expect(journal?.entries[0].addedThumbnails, 'only the thumbnails newer than the stored ones').to.have.length(5);

      const reopened = await open();
      const fresh = make(0);
      expect(await reopened.restore(fresh)).to.equal(true);
      expect(await snapshot(fresh)).to.deep.equal(await snapshot(teachable));
      // Once it watches, the store writes what the journal added, and then the journal goes.
      const saved = new Promise((resolve) => reopened.addEventListener('saved', resolve, { once: true }));
      reopened.watch(fresh);
      await saved;
      expect(localStorage.getItem(journalKey(name))).to.equal(null);
      const again = make(0);
      await (await open({ closeJournal: null })).restore(again);
      expect(await snapshot(again)).to.deep.equal(await snapshot(teachable));
    });

    it('keeps what was recorded when the classes\' sounds make the journal too long, with the sounds as stored', async () => {
      const store = await open({ debounceMs: 60_000, maxWaitMs: 60_000 });
      const teachable = await recordedPastTheLastWrite(store);
      // Four sounds of nearly the largest size a sound may have: about 5.6 MB of text, over the journal's budget.
      const sound = (i: number) => ({ kind: 'sound' as const, name: `s${i}.wav`, dataUrl: `data:audio/wav;base64,${btoa(String(i).repeat(1_000_000))}` });
      teachable.addClass();
      teachable.addClass();
      teachable.classes.forEach((c, i) => teachable.setClassOutput(c.id, sound(i)));
      await store.flush();
      for (let i = 0; i < 5; i++) await teachable.processFrame(RED, teachable.classes[0].id, thumb);
      await closeDroppingWrites(store, { beforeUnload: true });
      const journal = storedJournal();
      expect(journal?.soundsAsStored).to.deep.equal(teachable.classes.map((c) => c.id));
      expect(localStorage.getItem(journalKey(name))!.length).to.be.below(JOURNAL_BUDGET);

      const fresh = make(0);
      expect(await (await open()).restore(fresh)).to.equal(true);
      expect(await snapshot(fresh)).to.deep.equal(await snapshot(teachable));
    });

    it('adds nothing twice when the write under way at the close commits after all', async () => {
      const store = await open({ debounceMs: 60_000, maxWaitMs: 60_000 });
      const teachable = await recordedPastTheLastWrite(store);
      const flushed = store.flush();
      await Promise.resolve(); // the write has started, and is not committed
      closePage({ beforeUnload: false });
      await flushed;
      store.close();
      expect(storedJournal()?.bases, 'the journal continues the write under way too').to.have.length(2);
      const fresh = make(0);
      expect(await (await open()).restore(fresh)).to.equal(true);
      expect(await snapshot(fresh)).to.deep.equal(await snapshot(teachable));
    });

    it('keeps a class cleared and one deleted since the last write as they were at the close', async () => {
      const store = await open({ debounceMs: 60_000, maxWaitMs: 60_000 });
      const teachable = await recordedPastTheLastWrite(store);
      const [first, second] = teachable.classes.map((c) => c.id);
      teachable.clearClass(first);
      await teachable.processFrame(BLUE, first, thumb);
      teachable.deleteClass(second);
      await closeDroppingWrites(store, { beforeUnload: false });
      const fresh = make(0);
      const reopened = await open();
      expect(await reopened.restore(fresh)).to.equal(true);
      expect(await snapshot(fresh)).to.deep.equal(await snapshot(teachable));
      reopened.watch(fresh);
      await reopened.flush();
      const again = make(0);
      await (await open({ closeJournal: null })).restore(again);
      expect(await snapshot(again), 'the deleted class left IndexedDB too').to.deep.equal(await snapshot(teachable));
    });

    it('is left out, and removed, once another write has committed since (another tab saved)', async () => {
      const store = await open({ debounceMs: 60_000, maxWaitMs: 60_000 });
      await recordedPastTheLastWrite(store);
      await closeDroppingWrites(store, { beforeUnload: false });
      expect(storedJournal()).to.not.equal(null);
      // A tab that does not read journals saves its own picture.
      const other = await open({ closeJournal: null });
      const otherTeachable = make(0);
      await other.restore(otherTeachable);
      other.watch(otherTeachable);
      otherTeachable.setEmbedder(tiny.a);
      await otherTeachable.processFrame(BLUE, otherTeachable.classes[1].id, thumb);
      await other.flush();
      other.close();

      const fresh = make(0);
      expect(await (await open()).restore(fresh)).to.equal(true);
      expect(await snapshot(fresh)).to.deep.equal(await snapshot(otherTeachable));
      expect(localStorage.getItem(journalKey(name))).to.equal(null);
    });

    it('writes no journal when everything is committed, and none into a store given null', async () => {
      const store = await open();
      const teachable = make();
      store.watch(teachable);
      teachable.setEmbedder(tiny.a);
      await teachable.processFrame(RED, teachable.classes[0].id, thumb);
      await store.flush();
      closePage({ beforeUnload: true });
      expect(localStorage.getItem(journalKey(name))).to.equal(null);
      store.close();
      const without = await open({ closeJournal: null });
      without.watch(teachable);
      await teachable.processFrame(RED, teachable.classes[0].id, thumb);
      closePage({ beforeUnload: true });
      await without.flush();
      expect(localStorage.getItem(journalKey(name))).to.equal(null);
    });
  });
});
