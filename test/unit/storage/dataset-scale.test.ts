/**
 * A dataset the size of a long session: 10,000 examples of MobileNet's 1,280 numbers. Checks the round trip
 * is exact at that size and logs how long export, import and autosave take (docs/dataset-format.md quotes them).
 */
import { expect } from '@open-wc/testing';
import { useBackend } from '../../../src/platform/backend';
import { parseDatasetBytes, serializeDataset, type Dataset } from '../../../src/dataset';
import { Embedder } from '../../../src/models/embedder';
import { DatasetStore } from '../../../src/storage/dataset-store';
import { Teachable } from '../../../src/app/teachable';
import { seededRandom, solidImage, tinyNetwork, tinySpec } from '../../helpers/tiny-model';

const DIM = 1280;
const CLASSES = 10;
const PER_CLASS = 1000;
const RUNS = 3;

function unitRows(seed: number, rows: number): Float32Array {
  const random = seededRandom(seed);
  const out = new Float32Array(rows * DIM);
  for (let r = 0; r < rows; r++) {
    const row = out.subarray(r * DIM, (r + 1) * DIM);
    let sum = 0;
    for (let i = 0; i < DIM; i++) sum += (row[i] = Math.max(0, random() * 2 - 0.5)) ** 2;
    const norm = Math.sqrt(sum);
    for (let i = 0; i < DIM; i++) row[i] /= norm;
  }
  return out;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function time(run: () => unknown): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

describe(`a dataset of ${CLASSES * PER_CLASS} examples of ${DIM} numbers`, () => {
  let embedder: Embedder;
  let teachable: Teachable;
  const source: Dataset = {
    model: null,
    dimension: DIM,
    classes: Array.from({ length: CLASSES }, (_, i) => ({ label: `Class ${i + 1}`, color: null, vectors: unitRows(i + 1, PER_CLASS), thumbnails: [] })),
  };

  before(async () => {
    await useBackend('wasm');
    // A tiny network with MobileNet's output size: frames embed fast, into vectors of the real length.
    embedder = new Embedder(tinySpec({ embeddingDim: DIM }), tinyNetwork(DIM));
    teachable = new Teachable(0);
    teachable.setEmbedder(embedder);
    teachable.importDataset(source, { mode: 'replace' });
  });

  after(() => {
    teachable.dispose();
    embedder.dispose();
  });

  it('exports and imports exactly, and reports the time each takes', async () => {
    let text = '';
    const exportMs: number[] = [];
    for (let run = 0; run < RUNS; run++) exportMs.push(await time(async () => (text = serializeDataset(await teachable.exportDataset()))));
    const bytes = new TextEncoder().encode(text);
    let exported: Dataset | null = null;
    const readMs = await time(async () => (exported = await teachable.exportDataset()));
    const serializeMs = await time(() => serializeDataset(exported!));
    const numbers = CLASSES * PER_CLASS * DIM;

    const importMs: number[] = [];
    const parseMs: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const target = new Teachable(0);
      target.setEmbedder(embedder);
      parseMs.push(await time(() => parseDatasetBytes(bytes)));
      importMs.push(await time(() => target.importDataset(parseDatasetBytes(bytes), { mode: 'replace' })));
      if (run === 0) {
        for (const [i, c] of target.classes.entries()) {
          const back = await target.readExamples(embedder.spec.id, c.id);
          const original = await teachable.readExamples(embedder.spec.id, teachable.classes[i].id);
          expect(new Uint32Array(back.buffer).every((b, j) => b === new Uint32Array(original.buffer)[j]), c.label).to.equal(true);
        }
      }
      target.dispose();
    }
    const result = {
      fileBytes: bytes.length,
      bytesPerNumber: Number((bytes.length / numbers).toFixed(3)),
      exportMs: Math.round(median(exportMs)),
      ofWhichReadMs: Math.round(readMs),
      ofWhichSerializeMs: Math.round(serializeMs),
      importMs: Math.round(median(importMs)),
      ofWhichParseMs: Math.round(median(parseMs)),
    };
    console.log(`dataset scale: ${JSON.stringify(result)}`);
    expect(result.bytesPerNumber).to.be.below(5.34);
  });

  it('autosaves it, appends one more example cheaply, and restores it', async () => {
    const name = `scale-${Math.random().toString(36).slice(2)}`;
    const store = await DatasetStore.open({ name, debounceMs: 60_000, maxWaitMs: 60_000 });
    try {
      store.watch(teachable);
      teachable.voteOptions = { ...teachable.voteOptions }; // a change, so the whole dataset is written
      teachable.importDataset({ ...source, classes: [] }, { mode: 'merge' });
      const fullWriteMs = await time(() => store.flush());
      expect(store.problem).to.equal(null);
      const processMs = await time(() => teachable.processFrame(solidImage([200, 30, 30]), teachable.classes[0].id));
      const appendMs = await time(() => store.flush());
      const restored = new Teachable(0);
      const restoreMs = await time(async () => {
        const reopened = await DatasetStore.open({ name });
        await reopened.restore(restored);
        reopened.close();
      });
      expect(restored.modelsWithExamples()).to.deep.equal([{ modelId: embedder.spec.id, dimension: DIM }]);
      expect(restored.exampleCountFor(embedder.spec.id, restored.classes[0].id)).to.equal(PER_CLASS + 1);
      restored.dispose();
      console.log(`dataset scale autosave: ${JSON.stringify({ fullWriteMs: Math.round(fullWriteMs), frameMs: Math.round(processMs), appendOneMs: Math.round(appendMs), restoreMs: Math.round(restoreMs) })}`);
    } finally {
      store.close();
      await new Promise((resolve) => {
        const request = indexedDB.deleteDatabase(name);
        request.onsuccess = request.onerror = resolve;
      });
    }
  });
});
