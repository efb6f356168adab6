import { expect } from '@open-wc/testing';
import type { Dataset } from '../../../src/dataset';
import { DatasetStore, type StorageProblem } from '../../../src/storage/dataset-store';
import { journalKey } from '../../../src/storage/close-journal';
import { withoutFeatures } from '../../../src/platform/capabilities';
import { Teachable } from '../../../src/app/teachable';

const DIM = 256;
const MODEL = 'mobilenet-v1-0.25';

/** Classes of `rows` examples with a kept frame each: more frames than one message of the worker's carries. */
function dataset(rows: number[]): Dataset {
  return {
    model: MODEL,
    dimension: DIM,
    classes: rows.map((n, c) => {
      const vectors = new Float32Array(n * DIM);
      for (let i = 0; i < vectors.length; i++) vectors[i] = Math.abs(Math.sin(i * 0.37 + c));
      const thumbnails = Array.from({ length: n }, (_, r) => `data:image/jpeg;base64,${btoa(`${c}-${r}`.padEnd(9))}`);
      return { label: `Class ${c}`, color: null, vectors, thumbnails };
    }),
  };
}

const bits = (values: Float32Array) => Array.from(new Uint32Array(values.buffer, values.byteOffset, values.length));

async function contents(teachable: Teachable) {
  return Promise.all(
    teachable.classes.map(async (c) => ({
      label: c.label,
      vectors: bits(await teachable.readExamples(MODEL, c.id)),
      frames: teachable.keptThumbnails(MODEL, c.id),
    })),
  );
}

/** Counts the workers started with `name`; `refuse` makes starting one throw, as a policy that forbids it does. */
function spyOnWorkers(name: string, refuse = false): { started: () => number; restore: () => void } {
  const Original = globalThis.Worker;
  let started = 0;
  globalThis.Worker = class extends Original {
    constructor(url: string | URL, options?: WorkerOptions) {
      if (options?.name === name) {
        if (refuse) throw new DOMException('Refused by the page’s policy.', 'SecurityError');
        started++;
      }
      super(url, options);
    }
  };
  return { started: () => started, restore: () => (globalThis.Worker = Original) };
}

describe('Autosave reads what it stored in a worker', () => {
  let name: string;
  const opened: DatasetStore[] = [];
  const made: Teachable[] = [];
  const open = async (options: Parameters<typeof DatasetStore.open>[0] = {}) => {
    const store = await DatasetStore.open({ name, debounceMs: 10, maxWaitMs: 50, closeJournal: null, ...options });
    opened.push(store);
    return store;
  };
  const make = (classes = 0) => {
    const teachable = new Teachable(classes);
    made.push(teachable);
    return teachable;
  };
  const saved = async (rows: number[]) => {
    const teachable = make(rows.length);
    const store = await open();
    store.watch(teachable);
    teachable.importDataset(dataset(rows), { mode: 'replace' });
    await store.flush();
    store.close();
    return teachable;
  };

  beforeEach(() => (name = `teachable-read-worker-${Math.random().toString(36).slice(2)}`));
  afterEach(async () => {
    opened.splice(0).forEach((s) => s.close());
    made.splice(0).forEach((t) => t.dispose());
    localStorage.removeItem(journalKey(name));
    await new Promise((resolve) => (indexedDB.deleteDatabase(name).onsuccess = resolve));
  });

  it('brings back what the page would read, bit for bit, saying how far it is', async () => {
    const original = await saved([700, 1300, 3]);
    const workers = spyOnWorkers('saved examples');
    const inWorker = make();
    const progress: number[] = [];
    try {
      expect(await (await open()).restore(inWorker, { onRows: (done) => progress.push(done) })).to.equal(true);
    } finally {
      workers.restore();
    }
    expect(workers.started()).to.equal(1);
    expect(progress.length).to.be.greaterThan(2);
    expect(opened.at(-1)!.restored).to.deep.equal({ examples: 2003, classes: 3, examplesOfOtherModels: 0 });

    const restoreFeatures = withoutFeatures('readWorker');
    const onPage = make();
    try {
      expect(await (await open()).restore(onPage)).to.equal(true);
    } finally {
      restoreFeatures();
    }
    const expected = await contents(original);
    expect(expected[1].frames.length).to.equal(1300);
    expect(await contents(inWorker)).to.deep.equal(expected);
    expect(await contents(onPage)).to.deep.equal(expected);
  });

  it('reads on the page when no worker can start, and restores the same', async () => {
    const original = await saved([40, 60]);
    const workers = spyOnWorkers('saved examples', true);
    const problems: StorageProblem[] = [];
    const restored = make();
    try {
      expect(await (await open({ onError: (p) => problems.push(p) })).restore(restored)).to.equal(true);
    } finally {
      workers.restore();
    }
    expect(problems).to.deep.equal([]);
    expect(await contents(restored)).to.deep.equal(await contents(original));
  });

  it('reports damaged data the worker found, restoring nothing of it', async () => {
    const original = await saved([100]);
    // A chunk's numbers of the wrong length: refused by the reader, here in the worker.
    await new Promise<void>((resolve, reject) => {
      const request = indexedDB.open(name);
      request.onsuccess = () => {
        const db = request.result;
        const tx = db.transaction('vectors', 'readwrite');
        const store = tx.objectStore('vectors');
        const get = store.get([MODEL, original.classes[0].id, 0]);
        get.onsuccess = () => store.put({ ...get.result, data: new Float32Array(DIM + 1) });
        tx.oncomplete = () => {
          db.close();
          resolve();
        };
        tx.onerror = () => reject(tx.error);
      };
    });
    const workers = spyOnWorkers('saved examples');
    const problems: StorageProblem[] = [];
    const fresh = make(2);
    try {
      expect(await (await open({ onError: (p) => problems.push(p) })).restore(fresh)).to.equal(false);
    } finally {
      workers.restore();
    }
    expect(workers.started()).to.equal(1);
    expect(problems.map((p) => p.kind)).to.deep.equal(['restore-failed']);
    expect(problems[0].message).to.match(/damaged/);
    expect(fresh.classes.map((c) => fresh.exampleCountFor(MODEL, c.id))).to.deep.equal([0, 0]);
  });
});
