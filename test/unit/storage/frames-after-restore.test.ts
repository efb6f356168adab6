/**
 * A reload puts the examples in use before their kept frames are read (src/storage/saved-frames.ts). What the page
 * does in between (recording, deleting, undoing, exporting) must lose no frame and leave none orphaned in IndexedDB.
 * The frames' read is held back by a read-write transaction of another connection over FRAME_STORE, made during the
 * restore's own read: IndexedDB starts the frames' later read-only transaction only once it has finished.
 */
import { expect } from '@open-wc/testing';
import { DatasetStore } from '../../../src/storage/dataset-store';
import { requestResult } from '../../../src/storage/idb';
import { FRAME_STORE, type FrameRecord } from '../../../src/storage/records';
import { isFramePlaceholder } from '../../../src/storage/saved-frames';
import { Teachable } from '../../../src/app/teachable';
import type { ModelId } from '../../../src/models/catalog';
import { solidImage, tinyEmbedderPair } from '../../helpers/tiny-model';

const frame = (i: number) => `data:image/jpeg;base64,${btoa(`frame ${String(i).padStart(5, '0')}`)}`;
const PER_CLASS = 40;

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
  });
}

/** The stored frames, by class id, as lists in index order (a gap would show as a hole). */
async function storedFrames(name: string): Promise<Record<string, string[]>> {
  const db = await requestResult(indexedDB.open(name));
  try {
    const records = await requestResult(db.transaction(FRAME_STORE).objectStore(FRAME_STORE).getAll() as IDBRequest<FrameRecord[]>);
    const byClass: Record<string, string[]> = {};
    for (const r of records) (byClass[r.classId] ??= [])[r.index] = r.url;
    return byClass;
  } finally {
    db.close();
  }
}

/** The frames `teachable` holds for `modelId`, by class id. */
function heldFrames(teachable: Teachable, modelId: ModelId): Record<string, string[]> {
  return Object.fromEntries(teachable.classes.map((c) => [c.id, [...teachable.keptThumbnails(modelId, c.id)]]));
}

/**
 * A read-write transaction over FRAME_STORE, on a connection of its own, kept running (one request after another)
 * until `release`: transactions over FRAME_STORE made after it wait for it.
 */
async function frameStoreHold(name: string): Promise<{ start: () => void; release: () => Promise<void> }> {
  const db = await requestResult(indexedDB.open(name));
  let held = false;
  let released = false;
  let done: Promise<void> = Promise.resolve();
  return {
    start: () => {
      if (held) return;
      held = true;
      const transaction = db.transaction(FRAME_STORE, 'readwrite');
      done = new Promise((resolve) => (transaction.oncomplete = () => resolve()));
      const keepGoing = () => {
        if (!released) transaction.objectStore(FRAME_STORE).count().onsuccess = keepGoing;
      };
      keepGoing();
    },
    release: async () => {
      released = true;
      await done;
      db.close();
    },
  };
}

describe('a reload, and what is done before its kept frames are read', () => {
  const tiny = tinyEmbedderPair();
  let name: string;
  const opened: DatasetStore[] = [];
  const teachables: Teachable[] = [];
  const model = () => tiny.a.spec.id as ModelId;

  const open = async () => {
    const store = await DatasetStore.open({ name, debounceMs: 60_000, maxWaitMs: 60_000, closeJournal: null });
    opened.push(store);
    return store;
  };
  const make = () => {
    const teachable = new Teachable(0);
    teachables.push(teachable);
    return teachable;
  };

  beforeEach(() => (name = `teachable-frames-later-${Math.random().toString(36).slice(2)}`));
  afterEach(async () => {
    opened.splice(0).forEach((s) => s.close());
    teachables.splice(0).forEach((t) => t.dispose());
    await deleteDatabase(name);
  });

  /** Two classes of PER_CLASS examples with their frames, saved; then a reload whose frames are held back. */
  async function reloadedWithFramesHeld() {
    const store = await open();
    const teachable = make();
    teachable.setEmbedder(tiny.a);
    store.watch(teachable);
    const vectors = (c: number) => Float32Array.from({ length: PER_CLASS * tiny.a.spec.embeddingDim }, (_, i) => ((i * 7 + c) % 13) + 1);
    teachable.importDataset(
      {
        model: model(),
        dimension: tiny.a.spec.embeddingDim,
        classes: [0, 1].map((c) => ({ label: `Class ${c}`, color: null, vectors: vectors(c), thumbnails: Array.from({ length: PER_CLASS }, (_, i) => frame(c * 1000 + i)) })),
      },
      { mode: 'replace' },
    );
    await store.flush();
    expect(store.problem).to.equal(null);
    const saved = heldFrames(teachable, model());
    store.close();

    const hold = await frameStoreHold(name);
    const reopened = await open();
    const restored = make();
    // onRows is first told while the restore's own transaction reads the vectors: the hold is made after it.
    expect(await reopened.restore(restored, { onRows: () => hold.start() })).to.equal(true);
    restored.setEmbedder(tiny.a);
    reopened.watch(restored);
    const ids = restored.classes.map((c) => c.id);
    // The restore is done, the frames are not: all but each class's newest stand as placeholders.
    for (const id of ids) {
      const kept = restored.keptThumbnails(model(), id);
      expect(kept.length).to.equal(PER_CLASS);
      expect(kept.slice(0, -1).every(isFramePlaceholder)).to.equal(true);
      expect(kept.at(-1)).to.equal(saved[id].at(-1));
    }
    return { store: reopened, teachable: restored, hold, ids, saved };
  }

  it('records, deletes and undoes before the frames come, and loses or orphans none', async () => {
    const { store, teachable, hold, ids, saved } = await reloadedWithFramesHeld();
    const [first, second] = ids;
    for (let i = 0; i < 3; i++) await teachable.processFrame(solidImage([200, 10 * i, 30]), first, () => frame(5000 + i));
    teachable.deleteExamples(first, [2]);
    teachable.undo();
    teachable.deleteExamples(second, [5, 6]);
    const flushed = store.flush();
    const exported = teachable.exportDataset({ modelId: model() });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(isFramePlaceholder(teachable.keptThumbnails(model(), second)[0]), 'the frames are still held back').to.equal(true);
    await hold.release();
    await flushed;
    expect(await store.framesRead()).to.equal(true);
    expect(store.problem).to.equal(null);

    const expected = {
      [first]: [...saved[first], frame(5000), frame(5001), frame(5002)],
      [second]: saved[second].filter((_, i) => i !== 5 && i !== 6),
    };
    expect(heldFrames(teachable, model())).to.deep.equal(expected);
    expect(await storedFrames(name)).to.deep.equal(expected);
    const dataset = await exported;
    expect(dataset.classes.map((c) => c.thumbnails)).to.deep.equal([expected[first], expected[second]]);

    const again = make();
    expect(await (await open()).restore(again)).to.equal(true);
    await opened.at(-1)?.framesRead();
    expect(heldFrames(again, model())).to.deep.equal(expected);
  });

  it('puts a class deleted before the frames come back with its frames on undo, and writes them as they were', async () => {
    const { store, teachable, hold, ids, saved } = await reloadedWithFramesHeld();
    teachable.deleteClass(ids[0]);
    await Promise.resolve();
    teachable.undo();
    expect(isFramePlaceholder(teachable.keptThumbnails(model(), ids[0])[0]), 'the frames are still held back').to.equal(true);
    await hold.release();
    await store.flush();
    expect(store.problem).to.equal(null);
    expect(heldFrames(teachable, model())).to.deep.equal(saved);
    expect(await storedFrames(name)).to.deep.equal(saved);
  });
});
