import * as tf from '@tensorflow/tfjs';
import { expect } from '@open-wc/testing';
import type { Dataset } from '../../../src/dataset';
import type { ModelId } from '../../../src/models/catalog';
import { Teachable, type TeachableChange } from '../../../src/app/teachable';
import { KnnClassifier } from '../../../src/classifier/knn/knn';

const DIM = 256; // MobileNet V1 0.25's
const MODEL: ModelId = 'mobilenet-v1-0.25';

function rows(count: number, seed: number): Float32Array {
  let a = seed;
  const out = new Float32Array(count * DIM);
  for (let r = 0; r < count; r++) {
    let squares = 0;
    for (let i = 0; i < DIM; i++) {
      a = (Math.imul(a, 1103515245) + 12345) >>> 0;
      out[r * DIM + i] = a / 2 ** 32;
      squares += out[r * DIM + i] ** 2;
    }
    for (let i = 0; i < DIM; i++) out[r * DIM + i] /= Math.sqrt(squares);
  }
  return out;
}

const file = (perClass: number, labels = ['Rock', 'Paper', 'Scissors']): Dataset => ({
  model: MODEL,
  dimension: DIM,
  classes: labels.map((label, i) => ({ label, color: null, vectors: rows(perClass, i + 1), thumbnails: [] })),
});

const bits = (values: Float32Array) => Array.from(new Uint32Array(values.buffer, values.byteOffset, values.length));

async function snapshot(teachable: Teachable) {
  const examples = await Promise.all(teachable.classes.map(async (c) => bits(await teachable.readExamples(MODEL, c.id))));
  return { state: teachable.savedState(), examples };
}

describe('Teachable: imports and restores in steps', () => {
  const made: Teachable[] = [];
  const make = () => {
    const teachable = new Teachable();
    made.push(teachable);
    return teachable;
  };
  afterEach(() => made.splice(0).forEach((t) => t.dispose()));

  it('imports what importDataset imports, bit for bit, in both modes, telling how far it is', async () => {
    for (const mode of ['replace', 'merge'] as const) {
      const direct = make();
      const stepped = make();
      for (const t of [direct, stepped]) t.importDataset(file(50, ['Rock']), { mode: 'replace' });
      direct.importDataset(file(2000), { mode });
      const progress: [number, number][] = [];
      const result = await stepped.importDatasetInSteps(file(2000), { mode, onRows: (done, total) => progress.push([done, total]) });
      // The 50 "Rock" rows there already are the file's first 50 (the same seed): a merge skips them.
      expect(result.examplesAdded).to.equal(mode === 'merge' ? 5950 : 6000);
      expect(result.duplicatesSkipped).to.equal(mode === 'merge' ? 50 : 0);
      expect(await snapshot(stepped)).to.deep.equal(await snapshot(direct));
      const total = 6000;
      expect(progress.length, 'progress reports').to.be.greaterThan(1);
      expect(progress.at(-1)).to.deep.equal([total, total]);
      progress.forEach(([done], i) => expect(done).to.be.at.least(i > 0 ? progress[i - 1][0] : 0));
    }
  });

  it('leaves everything as it was when cancelled part way, firing no change', async () => {
    const teachable = make();
    teachable.importDataset(file(30), { mode: 'replace' });
    const before = await snapshot(teachable);
    const tensors = tf.memory().numTensors;
    const changes: TeachableChange[] = [];
    teachable.addEventListener('change', (e) => changes.push((e as CustomEvent<TeachableChange>).detail));
    for (const mode of ['replace', 'merge'] as const) {
      const cancel = new AbortController();
      let reports = 0;
      const importing = teachable.importDatasetInSteps(file(5000), {
        mode,
        signal: cancel.signal,
        onRows: () => {
          if (++reports === 2) cancel.abort();
        },
      });
      let error: unknown = null;
      await importing.catch((e: unknown) => (error = e));
      expect((error as DOMException)?.name, mode).to.equal('AbortError');
      expect(reports).to.be.at.least(2);
    }
    expect(changes).to.deep.equal([]);
    expect(await snapshot(teachable)).to.deep.equal(before);
    expect(tf.memory().numTensors).to.equal(tensors);
  });

  it('copies the examples a merge keeps one class a task, not all in the task that starts it', async () => {
    const teachable = make();
    teachable.importDataset(file(100), { mode: 'replace' });
    const original = KnnClassifier.prototype.classVectors;
    let copies = 0;
    KnnClassifier.prototype.classVectors = function (this: KnnClassifier, classId: string, fromRow?: number) {
      copies++;
      return original.call(this, classId, fromRow);
    };
    try {
      // Rows the classes do not hold yet (an add skips those already there).
      const more = file(10);
      const fresh = { ...more, classes: more.classes.map((c, i) => ({ ...c, vectors: rows(10, 100 + i) })) };
      const merging = teachable.importDatasetInSteps(fresh, { mode: 'merge' });
      expect(copies, 'classes copied in the task that started the merge').to.equal(1);
      await merging;
      expect(copies, 'classes copied in all').to.equal(3);
    } finally {
      KnnClassifier.prototype.classVectors = original;
    }
    expect(teachable.classes.map((c) => teachable.exampleCountFor(MODEL, c.id))).to.deep.equal([110, 110, 110]);
  });

  it('refuses to finish a merge when the classes changed meanwhile, changing nothing', async () => {
    const teachable = make();
    teachable.importDataset(file(30), { mode: 'replace' });
    const before = await snapshot(teachable);
    let renamed = false;
    const importing = teachable.importDatasetInSteps(file(3000), {
      mode: 'merge',
      onRows: () => {
        if (renamed) return;
        renamed = true;
        teachable.renameClass(teachable.classes[0].id, 'Stone');
      },
    });
    let error: unknown = null;
    await importing.catch((e: unknown) => (error = e));
    expect((error as Error)?.message).to.match(/the classes changed while the file was being added/);
    const after = await snapshot(teachable);
    expect(after.examples).to.deep.equal(before.examples);
    expect(after.state.classes.map((c) => [c.id, c.label])).to.deep.equal(before.state.classes.map((c, i) => [c.id, i === 0 ? 'Stone' : c.label]));
  });

  it('restores in steps what restoreState restores, and predicts at once', async () => {
    const source = make();
    source.importDataset(file(1500), { mode: 'replace' });
    const examples = await Promise.all(
      source.classes.map(async (c) => ({ modelId: MODEL, classId: c.id, dimension: DIM, vectors: await source.readExamples(MODEL, c.id), thumbnails: [] })),
    );
    const direct = make();
    direct.restoreState(source.savedState(), examples);
    const stepped = make();
    let reports = 0;
    await stepped.restoreStateInSteps(source.savedState(), examples, { onRows: () => reports++ });
    expect(await snapshot(stepped)).to.deep.equal(await snapshot(direct));
    expect(reports).to.be.greaterThan(1);
  });
});
