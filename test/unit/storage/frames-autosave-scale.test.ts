/**
 * Autosave while recording into classes that already hold 1,000+ examples, each with its kept frame (a real
 * 224 x 224 JPEG of a webcam photo, as the app keeps): how long each write takes, what it puts into IndexedDB, and
 * what the frames cost the page in memory. Logs the figures the README quotes; asserts only what must hold.
 */
import { expect } from '@open-wc/testing';
import { useBackend } from '../../../src/platform/backend';
import { FrameGrabber } from '../../../src/camera/frame';
import { Embedder } from '../../../src/models/embedder';
import { KEPT_FRAME_SIZE } from '../../../src/pipeline/frame-pipeline';
import { DatasetStore } from '../../../src/storage/dataset-store';
import { Teachable } from '../../../src/app/teachable';
import { seededRandom, solidImage, tinyNetwork, tinySpec } from '../../helpers/tiny-model';
import { framesByClass, loadImage } from '../../helpers/webcam-frames';

const DIM = 1280;
const CLASSES = 2;
const PER_CLASS = 1000;
/** Frames recorded between two writes: about a quarter second of a held button. */
const FRAMES_PER_WRITE = 8;
const WRITES = 16;

function unitRows(seed: number, rows: number): Float32Array {
  const random = seededRandom(seed);
  const out = new Float32Array(rows * DIM);
  for (let i = 0; i < out.length; i++) out[i] = random() + 0.01;
  for (let r = 0; r < rows; r++) {
    const row = out.subarray(r * DIM, (r + 1) * DIM);
    const norm = Math.hypot(...row);
    for (let i = 0; i < DIM; i++) row[i] /= norm;
  }
  return out;
}

/** Real kept frames, one per webcam photo, each made a distinct string (as each recorded frame is). */
async function keptFrames(count: number): Promise<string[]> {
  const files = (await framesByClass(['left', 'right'])).values();
  const photos = [...files].flat().slice(0, 40);
  const grabber = new FrameGrabber(KEPT_FRAME_SIZE);
  const originals: string[] = [];
  for (const url of photos) {
    grabber.grab(await loadImage(url), false);
    originals.push(grabber.thumbnail());
  }
  // The last 4 base64 characters (3 bytes before the JPEG's end) vary, so no two frames share a string.
  return Array.from({ length: count }, (_, i) => {
    const url = originals[i % originals.length];
    return `${url.slice(0, -8)}${btoa(String.fromCharCode(i & 255, (i >> 8) & 255, (i >> 16) & 255))}${url.slice(-4)}`;
  });
}

/** Bytes every put into IndexedDB's object stores carries (typed arrays and strings), by store. */
function measurePuts(): { bytes: Map<string, number>; puts: Map<string, number>; restore: () => void } {
  const original = IDBObjectStore.prototype.put;
  const bytes = new Map<string, number>();
  const puts = new Map<string, number>();
  const size = (value: unknown): number => {
    if (typeof value === 'string') return value.length;
    if (ArrayBuffer.isView(value)) return value.byteLength;
    if (Array.isArray(value)) return value.reduce((sum: number, v) => sum + size(v), 0);
    if (value && typeof value === 'object') return Object.values(value).reduce((sum: number, v) => sum + size(v), 0);
    return 0;
  };
  IDBObjectStore.prototype.put = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
    bytes.set(this.name, (bytes.get(this.name) ?? 0) + size(value));
    puts.set(this.name, (puts.get(this.name) ?? 0) + 1);
    return original.call(this, value, key);
  };
  return { bytes, puts, restore: () => (IDBObjectStore.prototype.put = original) };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** The JS heap in use (Chromium only; null elsewhere), after letting the page settle. */
async function heapBytes(): Promise<number | null> {
  await new Promise((resolve) => setTimeout(resolve, 200));
  const memory = (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory;
  return memory ? memory.usedJSHeapSize : null;
}

describe(`autosave while recording, at ${CLASSES * PER_CLASS}+ examples with their frames`, function () {
  let embedder: Embedder;

  before(async function () {
    if (!(await fetch('/datasets/webcam-hand-gestures/frames.csv')).ok) {
      console.warn('Skipping: this needs ../shared/datasets/webcam-hand-gestures.');
      this.skip();
    }
    await useBackend('wasm');
    // A tiny network with MobileNet's output size: frames embed fast, into vectors of the real length.
    embedder = new Embedder(tinySpec({ embeddingDim: DIM }), tinyNetwork(DIM));
  });

  after(() => embedder?.dispose());

  it('writes each quarter second of recording in a few ms, and logs what it puts and holds', async function () {
    this.timeout(300000);
    const frames = await keptFrames(CLASSES * PER_CLASS + FRAMES_PER_WRITE * WRITES);
    const heapBefore = await heapBytes();
    const teachable = new Teachable(0);
    teachable.setEmbedder(embedder);
    const name = `frames-scale-${Math.random().toString(36).slice(2)}`;
    const store = await DatasetStore.open({ name, debounceMs: 60_000, maxWaitMs: 60_000 });
    try {
      store.watch(teachable);
      teachable.importDataset(
        {
          model: embedder.spec.id,
          dimension: DIM,
          classes: Array.from({ length: CLASSES }, (_, c) => ({
            label: `Class ${c + 1}`,
            color: null,
            vectors: unitRows(c + 1, PER_CLASS),
            thumbnails: frames.slice(c * PER_CLASS, (c + 1) * PER_CLASS),
          })),
        },
        { mode: 'replace' },
      );
      const fullWriteStart = performance.now();
      await store.flush();
      const fullWriteMs = performance.now() - fullWriteStart;
      expect(store.problem).to.equal(null);
      const heapAfter = await heapBytes();
      const classId = teachable.classes[0].id;
      const framesHeld = teachable.classes.reduce((sum, c) => sum + teachable.keptThumbnails(embedder.spec.id, c.id).length, 0);
      const frameChars = teachable.classes.reduce((sum, c) => sum + teachable.keptThumbnails(embedder.spec.id, c.id).reduce((s, u) => s + u.length, 0), 0);

      const spy = measurePuts();
      const writeMs: number[] = [];
      let next = CLASSES * PER_CLASS;
      try {
        for (let w = 0; w < WRITES; w++) {
          for (let f = 0; f < FRAMES_PER_WRITE; f++) {
            const frame = frames[next++];
            await teachable.processFrame(solidImage([200, 30 + next, 30]), classId, () => frame);
          }
          const start = performance.now();
          await store.flush();
          writeMs.push(performance.now() - start);
        }
      } finally {
        spy.restore();
      }
      expect(store.problem).to.equal(null);
      expect(teachable.exampleCount(classId)).to.equal(PER_CLASS + FRAMES_PER_WRITE * WRITES);
      // A reload: the frames come back from IndexedDB as strings of the page's own.
      const restored = new Teachable(0);
      const heapBeforeRestore = await heapBytes();
      const restoreStart = performance.now();
      const reopened = await DatasetStore.open({ name });
      await reopened.restore(restored);
      const restoreMs = performance.now() - restoreStart;
      reopened.close();
      const heapAfterRestore = await heapBytes();
      const restoredFrames = restored.classes.reduce((sum, c) => sum + restored.keptThumbnails(embedder.spec.id, c.id).length, 0);
      restored.dispose();
      const perWrite = (map: Map<string, number>) => Object.fromEntries([...map].map(([store, n]) => [store, Math.round(n / WRITES)]));
      console.log(
        `frames autosave scale: ${JSON.stringify({
          examples: CLASSES * PER_CLASS,
          framesHeld,
          frameBytesHeld: frameChars,
          bytesPerFrame: Math.round(frameChars / framesHeld),
          heapMB: heapBefore !== null && heapAfter !== null ? Number(((heapAfter - heapBefore) / 1e6).toFixed(1)) : null,
          restoreMs: Math.round(restoreMs),
          restoredFrames,
          heapAfterRestoreMB: heapBeforeRestore !== null && heapAfterRestore !== null ? Number(((heapAfterRestore - heapBeforeRestore) / 1e6).toFixed(1)) : null,
          fullWriteMs: Math.round(fullWriteMs),
          writeWhileRecordingMs: { median: Math.round(median(writeMs)), max: Math.round(Math.max(...writeMs)) },
          bytesPutPerWrite: perWrite(spy.bytes),
          putsPerWrite: perWrite(spy.puts),
        })}`,
      );
    } finally {
      store.close();
      teachable.dispose();
      await new Promise((resolve) => {
        const request = indexedDB.deleteDatabase(name);
        request.onsuccess = request.onerror = resolve;
      });
    }
  });
});
