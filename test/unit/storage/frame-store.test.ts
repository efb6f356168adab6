/**
 * Autosave keeps every example's frame, FRAMES_PER_RECORD to an IndexedDB record: recording puts only the last record
 * again with the new frames, and every other change (deleting examples and undoing it, clearing or deleting a class, an import) leaves exactly the frames
 * the Teachable holds: none lost, none left over.
 */
import { expect } from '@open-wc/testing';
import { journalKey } from '../../../src/storage/close-journal';
import { FRAMES_PER_READ } from '../../../src/storage/read-frames';
import { DatasetStore, type StorageProblem } from '../../../src/storage/dataset-store';
import { openDatabase, requestResult, transactionDone } from '../../../src/storage/idb';
import { FRAME_STORE, FRAMES_PER_RECORD, STATE_KEY, STATE_STORE, THUMBNAIL_STORE, VECTOR_STORE, type FrameChunkRecord, type FrameRecord, type ThumbnailRecord } from '../../../src/storage/records';
import { Teachable } from '../../../src/app/teachable';
import { parseDatasetBytes, serializeDataset } from '../../../src/dataset';
import { readClasses } from '../../../src/runtime/classes-source';
import type { ModelId } from '../../../src/models/catalog';
import { solidImage, tinyEmbedderPair } from '../../helpers/tiny-model';

const frame = (i: number) => `data:image/jpeg;base64,${btoa(`frame ${String(i).padStart(5, '0')}`)}`;

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
  });
}

async function storedRecords<T>(name: string, storeName: string): Promise<T[]> {
  const db = await requestResult(indexedDB.open(name));
  try {
    return await requestResult(db.transaction(storeName).objectStore(storeName).getAll() as IDBRequest<T[]>);
  } finally {
    db.close();
  }
}

/** The stored frames, by model and class, as lists in index order (a gap would show as a hole). */
async function storedFrames(name: string): Promise<Record<string, string[]>> {
  const byKey: Record<string, string[]> = {};
  for (const r of await storedRecords<FrameChunkRecord | FrameRecord>(name, FRAME_STORE)) {
    const list = (byKey[`${r.modelId}/${r.classId}`] ??= []);
    ('urls' in r ? r.urls : [r.url]).forEach((url, i) => (list[r.index + i] = url));
  }
  return byKey;
}

/** The frames the Teachable holds, as storedFrames shows them (classes without frames left out). */
function heldFrames(teachable: Teachable): Record<string, string[]> {
  const byKey: Record<string, string[]> = {};
  for (const { modelId } of teachable.modelsWithExamples()) {
    for (const c of teachable.classes) {
      const kept = teachable.keptThumbnails(modelId, c.id);
      if (kept.length) byKey[`${modelId}/${c.id}`] = [...kept];
    }
  }
  return byKey;
}

/** Counts the frame records put while `run` runs. */
async function framePuts(run: () => Promise<unknown>): Promise<FrameChunkRecord[]> {
  const original = IDBObjectStore.prototype.put;
  const puts: FrameChunkRecord[] = [];
  IDBObjectStore.prototype.put = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
    if (this.name === FRAME_STORE) puts.push(value as FrameChunkRecord);
    return original.call(this, value, key);
  };
  try {
    await run();
  } finally {
    IDBObjectStore.prototype.put = original;
  }
  return puts;
}

describe('autosave of the kept frames', () => {
  const tiny = tinyEmbedderPair();
  let name: string;
  const opened: DatasetStore[] = [];
  const teachables: Teachable[] = [];

  const open = async (options: Parameters<typeof DatasetStore.open>[0] = {}) => {
    const store = await DatasetStore.open({ name, debounceMs: 60_000, maxWaitMs: 60_000, closeJournal: null, ...options });
    opened.push(store);
    return store;
  };
  const make = (classes = 2) => {
    const teachable = new Teachable(classes);
    teachables.push(teachable);
    return teachable;
  };
  const model = () => tiny.a.spec.id as ModelId;

  /** A Teachable with `perClass` examples (and frames) in each of two classes, watched by a store that saved them. */
  async function recorded(perClass: number) {
    const store = await open();
    const teachable = make(0);
    teachable.setEmbedder(tiny.a);
    store.watch(teachable);
    const vectors = (c: number) => Float32Array.from({ length: perClass * tiny.a.spec.embeddingDim }, (_, i) => ((i * 7 + c) % 13) + 1);
    teachable.importDataset(
      {
        model: model(),
        dimension: tiny.a.spec.embeddingDim,
        classes: [0, 1].map((c) => ({ label: `Class ${c}`, color: null, vectors: vectors(c), thumbnails: Array.from({ length: perClass }, (_, i) => frame(c * 10_000 + i)) })),
      },
      { mode: 'replace' },
    );
    await store.flush();
    expect(store.problem).to.equal(null);
    return { store, teachable, ids: teachable.classes.map((c) => c.id) };
  }

  /** What a reload brings back. */
  async function reloaded(): Promise<Teachable> {
    const store = await open();
    const restored = make(0);
    expect(await store.restore(restored)).to.equal(true);
    return restored;
  }

  beforeEach(() => (name = `teachable-frames-${Math.random().toString(36).slice(2)}`));
  afterEach(async () => {
    opened.splice(0).forEach((s) => s.close());
    teachables.splice(0).forEach((t) => t.dispose());
    localStorage.removeItem(journalKey(name));
    await deleteDatabase(name);
  });

  it('keeps every frame of a class of more than 200 examples, and puts only the last record again while recording', async () => {
    const { store, teachable, ids } = await recorded(250);
    expect(await storedRecords(name, FRAME_STORE)).to.have.length(2 * Math.ceil(250 / FRAMES_PER_RECORD));
    const puts = await framePuts(async () => {
      for (let i = 0; i < 3; i++) await teachable.processFrame(solidImage([200, 10 * i, 30]), ids[0], () => frame(50_000 + i));
      await store.flush();
    });
    // The last record is put again, with the three new frames.
    const lastRecord = Math.floor(250 / FRAMES_PER_RECORD) * FRAMES_PER_RECORD;
    expect(puts.map((p) => [p.index, p.urls])).to.deep.equal([[lastRecord, teachable.keptThumbnails(model(), ids[0]).slice(lastRecord)]]);
    expect(puts[0].urls.slice(-3)).to.deep.equal([0, 1, 2].map((i) => frame(50_000 + i)));
    expect(await storedFrames(name)).to.deep.equal(heldFrames(teachable));
    const back = await reloaded();
    expect(back.keptThumbnails(model(), ids[0])).to.have.length(253);
    expect(heldFrames(back)).to.deep.equal(heldFrames(teachable));
  });

  it('reads back classes of more frames than one request reads (FRAMES_PER_READ), every frame in its place', async () => {
    const { teachable } = await recorded(3 * FRAMES_PER_READ + 7);
    expect(heldFrames(await reloaded())).to.deep.equal(heldFrames(teachable));
  });

  it('exports every frame of a class of more than 200 examples, in a file the app and the runtime read back', async () => {
    const { teachable, ids } = await recorded(230);
    const text = serializeDataset(await teachable.exportDataset());
    const bytes = new TextEncoder().encode(text);
    const viaApp = parseDatasetBytes(bytes);
    const viaRuntime = await readClasses(new Blob([bytes]));
    for (const dataset of [viaApp, viaRuntime]) {
      expect(dataset.classes.map((c) => c.thumbnails)).to.deep.equal(ids.map((id) => [...teachable.keptThumbnails(model(), id)]));
    }
    const imported = make(0);
    imported.setEmbedder(tiny.a);
    imported.importDataset(viaApp, { mode: 'replace' });
    expect(imported.classes.map((c) => imported.keptThumbnails(model(), c.id).length)).to.deep.equal([230, 230]);
  });

  it('deleting examples, and undoing it, leaves exactly the frames held', async () => {
    const { store, teachable, ids } = await recorded(240);
    teachable.deleteExamples(ids[0], [0, 5, 239]);
    await store.flush();
    expect(teachable.keptThumbnails(model(), ids[0])).to.have.length(237);
    expect(await storedFrames(name)).to.deep.equal(heldFrames(teachable));
    teachable.undo();
    await store.flush();
    expect(teachable.keptThumbnails(model(), ids[0])).to.deep.equal(Array.from({ length: 240 }, (_, i) => frame(i)));
    expect(await storedFrames(name)).to.deep.equal(heldFrames(teachable));
    // Recording after the undo appends after the frames put back.
    await teachable.processFrame(solidImage([1, 2, 3]), ids[0], () => frame(60_000));
    await store.flush();
    expect(heldFrames(await reloaded())).to.deep.equal(heldFrames(teachable));
  });

  it('clearing a class and deleting one remove their frames; undoing puts them back', async () => {
    const { store, teachable, ids } = await recorded(210);
    teachable.clearClass(ids[0]);
    await store.flush();
    expect(Object.keys(await storedFrames(name))).to.deep.equal([`${model()}/${ids[1]}`]);
    teachable.undo();
    await store.flush();
    expect(await storedFrames(name)).to.deep.equal(heldFrames(teachable));
    teachable.deleteClass(ids[1]);
    await store.flush();
    expect(Object.keys(await storedFrames(name))).to.deep.equal([`${model()}/${ids[0]}`]);
    teachable.undo();
    await store.flush();
    expect(await storedFrames(name)).to.deep.equal(heldFrames(teachable));
    expect(heldFrames(await reloaded())).to.deep.equal(heldFrames(teachable));
  });

  it('an import that replaces the classes replaces the frames, and leaves none of the old ones', async () => {
    const { store, teachable } = await recorded(220);
    teachable.importDataset(
      { model: model(), dimension: tiny.a.spec.embeddingDim, classes: [{ label: 'New', color: null, vectors: new Float32Array(tiny.a.spec.embeddingDim).fill(1), thumbnails: [frame(70_000)] }] },
      { mode: 'replace' },
    );
    await store.flush();
    expect(await storedFrames(name)).to.deep.equal({ [`${model()}/${teachable.classes[0].id}`]: [frame(70_000)] });
    teachable.undo();
    await store.flush();
    expect(await storedFrames(name)).to.deep.equal(heldFrames(teachable));
    expect(Object.values(heldFrames(teachable)).map((f) => f.length)).to.deep.equal([220, 220]);
  });

  it('reads a version 2 database, whose newest 200 frames are one record, and moves them at the class\'s next write', async () => {
    const source = make(1);
    source.setEmbedder(tiny.a);
    const id = source.classes[0].id;
    for (let i = 0; i < 2; i++) await source.processFrame(solidImage([10 * i, 0, 0]), id);
    const rows = await source.readExamples(model(), id);
    const old = await openDatabase(indexedDB, name, 2, (db) => {
      db.createObjectStore(STATE_STORE);
      db.createObjectStore(VECTOR_STORE, { keyPath: ['modelId', 'classId', 'chunk'] });
      db.createObjectStore(THUMBNAIL_STORE, { keyPath: ['modelId', 'classId'] });
      db.createObjectStore('sounds', { keyPath: 'classId' });
    });
    const transaction = old.transaction([STATE_STORE, VECTOR_STORE, THUMBNAIL_STORE], 'readwrite');
    transaction.objectStore(STATE_STORE).put({ ...source.savedState(), savedAt: '2026-11-01T00:00:00.000Z' }, STATE_KEY);
    transaction.objectStore(VECTOR_STORE).put({ modelId: model(), classId: id, chunk: 0, dimension: tiny.a.spec.embeddingDim, data: rows });
    transaction.objectStore(THUMBNAIL_STORE).put({ modelId: model(), classId: id, urls: [frame(1), frame(2)] } satisfies ThumbnailRecord);
    await transactionDone(transaction);
    old.close();

    const store = await open();
    const teachable = make(0);
    expect(await store.restore(teachable)).to.equal(true);
    expect(teachable.keptThumbnails(model(), id)).to.deep.equal([frame(1), frame(2)]);
    teachable.setEmbedder(tiny.a);
    store.watch(teachable);
    await teachable.processFrame(solidImage([0, 90, 0]), id, () => frame(3));
    await store.flush();
    expect(await storedFrames(name)).to.deep.equal({ [`${model()}/${id}`]: [frame(1), frame(2), frame(3)] });
    expect(await storedRecords(name, THUMBNAIL_STORE)).to.deep.equal([]);
  });

  it('reads a version 3 database, whose frames are one a record, and puts them together as its classes are written', async () => {
    const source = make(0);
    source.setEmbedder(tiny.a);
    const dimension = tiny.a.spec.embeddingDim;
    const vectors = Float32Array.from({ length: 100 * dimension }, (_, i) => (i % 11) + 1);
    source.importDataset({ model: model(), dimension, classes: [{ label: 'Old', color: null, vectors, thumbnails: [] }] }, { mode: 'replace' });
    const id = source.classes[0].id;
    const rows = await source.readExamples(model(), id);
    const old = await openDatabase(indexedDB, name, 3, (db) => {
      db.createObjectStore(STATE_STORE);
      db.createObjectStore(VECTOR_STORE, { keyPath: ['modelId', 'classId', 'chunk'] });
      db.createObjectStore(THUMBNAIL_STORE, { keyPath: ['modelId', 'classId'] });
      db.createObjectStore('sounds', { keyPath: 'classId' });
      db.createObjectStore('fits', { keyPath: 'modelId' });
      db.createObjectStore(FRAME_STORE, { keyPath: ['modelId', 'classId', 'index'] });
    });
    const transaction = old.transaction([STATE_STORE, VECTOR_STORE, FRAME_STORE], 'readwrite');
    transaction.objectStore(STATE_STORE).put({ ...source.savedState(), savedAt: '2026-12-01T00:00:00.000Z' }, STATE_KEY);
    for (let chunk = 0; chunk < 2; chunk++) {
      const data = rows.slice(chunk * 64 * dimension, (chunk + 1) * 64 * dimension);
      transaction.objectStore(VECTOR_STORE).put({ modelId: model(), classId: id, chunk, dimension, data });
    }
    for (let index = 0; index < 100; index++) transaction.objectStore(FRAME_STORE).put({ modelId: model(), classId: id, index, url: frame(index) } satisfies FrameRecord);
    await transactionDone(transaction);
    old.close();

    const store = await open();
    const teachable = make(0);
    expect(await store.restore(teachable)).to.equal(true);
    const oldFrames = Array.from({ length: 100 }, (_, i) => frame(i));
    expect(teachable.keptThumbnails(model(), id)).to.deep.equal(oldFrames);
    teachable.setEmbedder(tiny.a);
    store.watch(teachable);
    // Recording puts the frames from the record the new one falls in: version 3's from there become one record.
    await teachable.processFrame(solidImage([0, 90, 0]), id, () => frame(100));
    await store.flush();
    const records = await storedRecords<FrameChunkRecord | FrameRecord>(name, FRAME_STORE);
    const lastRecord = Math.floor(100 / FRAMES_PER_RECORD) * FRAMES_PER_RECORD;
    expect(records.map((r) => ('urls' in r ? `${r.index}+${r.urls.length}` : r.index))).to.deep.equal([...Array.from({ length: lastRecord }, (_, i) => i), `${lastRecord}+${101 - lastRecord}`]);
    expect(await storedFrames(name)).to.deep.equal({ [`${model()}/${id}`]: [...oldFrames, frame(100)] });
    expect(heldFrames(await reloaded())).to.deep.equal(heldFrames(teachable));
    // Any other change writes the class's frames again, all together.
    teachable.deleteExamples(id, [3]);
    await store.flush();
    const rewritten = Array.from({ length: Math.ceil(100 / FRAMES_PER_RECORD) }, (_, k) => `${k * FRAMES_PER_RECORD}+${Math.min(FRAMES_PER_RECORD, 100 - k * FRAMES_PER_RECORD)}`);
    expect((await storedRecords<FrameChunkRecord>(name, FRAME_STORE)).map((r) => `${r.index}+${r.urls.length}`)).to.deep.equal(rewritten);
    expect(heldFrames(await reloaded())).to.deep.equal(heldFrames(teachable));
  });

  it('storage full while putting frames: says so, keeps what was saved, and saves it all once there is room', async () => {
    const problems: StorageProblem[] = [];
    const { store, teachable, ids } = await recorded(205);
    store.addEventListener('storage-error', (e) => problems.push((e as CustomEvent<StorageProblem>).detail));
    const savedBefore = await storedFrames(name);
    const original = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
      if (this.name === FRAME_STORE) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return original.call(this, value, key);
    };
    try {
      await teachable.processFrame(solidImage([9, 9, 9]), ids[1], () => frame(80_000));
      await store.flush();
    } finally {
      IDBObjectStore.prototype.put = original;
    }
    expect(problems.map((p) => p.kind)).to.deep.equal(['full']);
    expect(await storedFrames(name)).to.deep.equal(savedBefore);
    expect(teachable.exampleCount(ids[1])).to.equal(206); // the page keeps working with it
    await teachable.processFrame(solidImage([8, 8, 8]), ids[1], () => frame(80_001));
    await store.flush();
    expect(store.problem).to.equal(null);
    expect(await storedFrames(name)).to.deep.equal(heldFrames(teachable));
    expect(heldFrames(await reloaded())).to.deep.equal(heldFrames(teachable));
  });
});
