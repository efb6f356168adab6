import { expect } from '@open-wc/testing';
import type { Dataset } from '../../../src/dataset';
import { journalKey } from '../../../src/storage/close-journal';
import { DatasetStore, type StorageProblem } from '../../../src/storage/dataset-store';
import { VECTOR_STORE } from '../../../src/storage/records';
import { Teachable } from '../../../src/app/teachable';

const DIM = 256; // MobileNet V1 0.25's, so that 50,000 examples fit a test page (51 MB)
const MODEL = 'mobilenet-v1-0.25';

function dataset(perClass: number, classes = 2): Dataset {
  return {
    model: MODEL,
    dimension: DIM,
    classes: Array.from({ length: classes }, (_, c) => {
      const vectors = new Float32Array(perClass * DIM);
      for (let r = 0; r < perClass; r++) vectors[r * DIM + ((r * 7 + c) % DIM)] = 1;
      return { label: `Class ${c}`, color: null, vectors, thumbnails: [] };
    }),
  };
}

const counts = (teachable: Teachable) => teachable.classes.map((c) => teachable.exampleCountFor(MODEL, c.id));

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
  });
}

describe('DatasetStore at scale', () => {
  let name: string;
  const opened: DatasetStore[] = [];
  const made: Teachable[] = [];
  const open = async (options: Parameters<typeof DatasetStore.open>[0] = {}) => {
    const store = await DatasetStore.open({ name, debounceMs: 10, maxWaitMs: 50, closeJournal: null, ...options });
    opened.push(store);
    return store;
  };
  const make = (classes = 2) => {
    const teachable = new Teachable(classes);
    made.push(teachable);
    return teachable;
  };

  beforeEach(() => (name = `teachable-bulk-${Math.random().toString(36).slice(2)}`));
  afterEach(async () => {
    opened.splice(0).forEach((s) => s.close());
    made.splice(0).forEach((t) => t.dispose());
    localStorage.removeItem(journalKey(name));
    await deleteDatabase(name);
  });

  it('counts what a restore brought back, and reads it in pieces, saying how far it is', async () => {
    const teachable = make();
    const store = await open();
    store.watch(teachable);
    teachable.importDataset(dataset(3000, 3), { mode: 'replace' });
    await store.flush();
    const fresh = make(0);
    const progress: [number, number][] = [];
    expect(await (await open()).restore(fresh, { onRows: (done, total) => progress.push([done, total]) })).to.equal(true);
    expect(opened.at(-1)!.restored).to.deep.equal({ examples: 9000, classes: 3, examplesOfOtherModels: 0 });
    expect(counts(fresh)).to.deep.equal([3000, 3000, 3000]);
    // Reading (3 classes of 47 chunks, 16 chunks a request) then storing both report more than once.
    expect(progress.length).to.be.greaterThan(4);
    const again = make(0);
    await opened.at(-1)!.restore(again, { modelId: 'mobilenet-v2-0.35' });
    expect(opened.at(-1)!.restored).to.deep.equal({ examples: 9000, classes: 3, examplesOfOtherModels: 9000 });
  });

  it('puts a large write a few milliseconds a task, and a small one in the task that starts it', async () => {
    const teachable = make();
    const store = await open();
    store.watch(teachable);
    // Each chunk put takes 4 ms, as on a loaded machine; the puts of one task are those before its microtasks run.
    const original = IDBObjectStore.prototype.put;
    const putsPerTask: number[] = [];
    let inTask = false;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
      if (this.name === VECTOR_STORE) {
        if (!inTask) {
          inTask = true;
          putsPerTask.push(0);
          queueMicrotask(() => (inTask = false));
        }
        putsPerTask[putsPerTask.length - 1]++;
        for (const until = performance.now() + 4; performance.now() < until; );
      }
      return original.call(this, value, key);
    };
    try {
      teachable.importDataset(dataset(2000), { mode: 'replace' }); // 2 x 32 chunks
      await store.flush();
      const large = putsPerTask.splice(0);
      teachable.importDataset(dataset(300), { mode: 'replace' }); // 2 x 5 chunks: a task's worth
      await store.flush();
      expect(large.reduce((a, b) => a + b, 0)).to.equal(64);
      // 12 ms of puts, and the one that crosses it: at most 4 a task rather than 16.
      expect(Math.max(...large)).to.be.at.most(4);
      expect(putsPerTask).to.deep.equal([10]);
    } finally {
      IDBObjectStore.prototype.put = original;
    }
    const restored = make(0);
    expect(await (await open()).restore(restored)).to.equal(true);
    expect(counts(restored)).to.deep.equal([300, 300]);
  });

  it('storage full while saving 50,000 examples: says so, and keeps what was saved before', async () => {
    const teachable = make();
    const problems: StorageProblem[] = [];
    const store = await open({ onError: (p) => problems.push(p) });
    store.watch(teachable);
    teachable.importDataset(dataset(100), { mode: 'replace' });
    await store.flush();
    expect(problems).to.deep.equal([]);
    // A quota that a real browser here does not run out of: the 40th chunk put throws, as a full origin's does.
    const original = IDBObjectStore.prototype.put;
    let puts = 0;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
      if (this.name === VECTOR_STORE && ++puts === 40) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return original.call(this, value, key);
    };
    try {
      teachable.importDataset(dataset(25_000), { mode: 'replace' });
      await store.flush();
    } finally {
      IDBObjectStore.prototype.put = original;
    }
    expect(puts).to.equal(40); // it failed after the first pieces had been put, in a later task
    expect(problems.map((p) => p.kind)).to.deep.equal(['full']);
    expect(problems[0].message).to.match(/storage for this site is full, so the latest changes are not saved \(what was saved before is kept\)/);
    expect(counts(teachable)).to.deep.equal([25_000, 25_000]); // the page keeps working with them
    store.close();
    const restored = make(0);
    expect(await (await open()).restore(restored)).to.equal(true);
    expect(counts(restored)).to.deep.equal([100, 100]);
  });
});
