/**
 * Reads what autosave stored, in pieces: the vector chunks (51 MB at 10,000 examples of 1,280 numbers) come in
 * requests of at most CHUNKS_PER_READ records, each delivered in its own task, so that reading them back never
 * holds the page for long; the kept frames likewise (./read-frames.ts); the state, version 2's thumbnails and the
 * sounds are small and come whole.
 */
import type { ModelId } from '../models/catalog';
import type { SavedExamples } from '../app/teachable-state';
import { requestResult } from './idb';
import { readFrames } from './read-frames';
import {
  FIT_STORE,
  FRAME_STORE,
  ROWS_PER_CHUNK,
  SOUND_STORE,
  STATE_KEY,
  STATE_STORE,
  THUMBNAIL_STORE,
  VECTOR_STORE,
  type FitRecord,
  type SoundRecord,
  type StateRecord,
  type ThumbnailRecord,
  type VectorChunkRecord,
} from './records';

/** 16 chunks of 64 rows of 1,280 numbers: 5 MB, a few milliseconds to copy out of IndexedDB. */
export const CHUNKS_PER_READ = 16;

export interface SavedRecords {
  readonly state: StateRecord | undefined;
  readonly sounds: ReadonlyMap<string, string>;
  readonly examples: SavedExamples[];
  /** The fits of the k-NN spaces kept with the examples, by model (FitRecord.fit, unchecked). */
  readonly fits: ReadonlyMap<ModelId, unknown>;
  /**
   * Frames in FRAME_STORE per class with examples (by classKey), 0 for a class with none anywhere; a class whose frames
   * are still in version 2's THUMBNAIL_STORE record is absent.
   */
  readonly frameCounts: ReadonlyMap<string, number>;
}

/** Everything stored, read in one transaction; `onRows` hears how many rows are read so far, of how many. */
export async function readSaved(db: IDBDatabase, onRows?: (done: number, total: number) => void): Promise<SavedRecords> {
  const transaction = db.transaction([STATE_STORE, VECTOR_STORE, THUMBNAIL_STORE, SOUND_STORE, FIT_STORE, FRAME_STORE], 'readonly');
  const vectors = transaction.objectStore(VECTOR_STORE);
  const framesRead = readFrames(transaction);
  const small = Promise.all([
    requestResult(transaction.objectStore(STATE_STORE).get(STATE_KEY) as IDBRequest<StateRecord | undefined>),
    requestResult(transaction.objectStore(THUMBNAIL_STORE).getAll() as IDBRequest<ThumbnailRecord[]>),
    requestResult(transaction.objectStore(SOUND_STORE).getAll() as IDBRequest<SoundRecord[]>),
    requestResult(transaction.objectStore(FIT_STORE).getAll() as IDBRequest<FitRecord[]>),
  ]);
  const keys = (await requestResult(vectors.getAllKeys())) as [ModelId, string, number][];
  // Every request is made now, in the task the keys came in, so the transaction stays open for all of them.
  const pieces: Promise<VectorChunkRecord[]>[] = [];
  for (let start = 0; start < keys.length; start += CHUNKS_PER_READ) {
    const range = IDBKeyRange.bound(keys[start], keys[Math.min(keys.length, start + CHUNKS_PER_READ) - 1]);
    pieces.push(requestResult(vectors.getAll(range) as IDBRequest<VectorChunkRecord[]>));
  }
  const totalRows = keys.length * ROWS_PER_CHUNK;
  const assembler = new Assembler(keys);
  let read = 0;
  for (const piece of pieces) {
    // Each piece is copied into its classes' arrays in the task it arrives in: no task copies them all.
    const chunks = await piece;
    assembler.add(chunks);
    read += chunks.length;
    onRows?.(Math.min(read * ROWS_PER_CHUNK, totalRows), totalRows);
  }
  const [state, thumbnails, soundRecords, fitRecords] = await small;
  const frames = await framesRead;
  const examples = assembler.examples(thumbnails, frames);
  const legacy = new Set(thumbnails.filter((t) => t.urls.length > 0).map((t) => keyOf(t.modelId, t.classId)));
  const frameCounts = new Map<string, number>();
  for (const e of examples) {
    const key = keyOf(e.modelId, e.classId);
    if (frames.has(key) || !legacy.has(key)) frameCounts.set(key, frames.get(key)?.length ?? 0);
  }
  return {
    state,
    sounds: new Map(soundRecords.map((r) => [r.classId, r.dataUrl])),
    examples,
    fits: new Map(fitRecords.map((r) => [r.modelId, r.fit])),
    frameCounts,
  };
}

const keyOf = (modelId: ModelId, classId: string) => `${modelId}\u0000${classId}`;

/**
 * Chunks back into one array per model and class, piece by piece; a missing chunk, a short one before the last, or
 * a dimension that changes is refused (RangeError).
 */
class Assembler {
  /** Chunks stored per class, from the keys. */
  private readonly chunkCounts = new Map<string, number>();
  private readonly classes = new Map<string, { modelId: ModelId; classId: string; dimension: number; vectors: Float32Array; chunks: number; length: number }>();

  constructor(keys: readonly (readonly [ModelId, string, number])[]) {
    for (const [modelId, classId] of keys) this.chunkCounts.set(keyOf(modelId, classId), (this.chunkCounts.get(keyOf(modelId, classId)) ?? 0) + 1);
  }

  add(chunks: readonly VectorChunkRecord[]): void {
    for (const c of chunks) {
      const key = keyOf(c.modelId, c.classId);
      let entry = this.classes.get(key);
      const damaged = (why: string) => new RangeError(`The saved examples of ${c.classId} for ${c.modelId} are damaged (chunk ${c.chunk}${why}).`);
      if (!entry) {
        if (!(Number.isSafeInteger(c.dimension) && c.dimension > 0)) throw damaged('');
        const room = (this.chunkCounts.get(key) ?? 0) * ROWS_PER_CHUNK * c.dimension;
        entry = { modelId: c.modelId, classId: c.classId, dimension: c.dimension, vectors: new Float32Array(room), chunks: 0, length: 0 };
        this.classes.set(key, entry);
      }
      // IndexedDB returns records in key order, so chunks come sorted.
      if (c.chunk !== entry.chunks || c.dimension !== entry.dimension || !(c.data instanceof Float32Array) || c.data.length % entry.dimension !== 0) {
        throw damaged('');
      }
      if (entry.length % (ROWS_PER_CHUNK * entry.dimension) !== 0) throw damaged(', after a short one');
      if (c.data.length > ROWS_PER_CHUNK * entry.dimension) throw damaged(', too long');
      entry.vectors.set(c.data, entry.length);
      entry.length += c.data.length;
      entry.chunks++;
    }
  }

  /** With each class's frames: those of FRAME_STORE, or else version 2's THUMBNAIL_STORE record. */
  examples(thumbnails: readonly ThumbnailRecord[], frames: ReadonlyMap<string, readonly string[]>): SavedExamples[] {
    const thumbsByKey = new Map<string, readonly string[]>(thumbnails.map((t) => [keyOf(t.modelId, t.classId), t.urls]));
    frames.forEach((urls, key) => thumbsByKey.set(key, urls));
    return [...this.classes.values()].map(({ modelId, classId, dimension, vectors, length }) => ({
      modelId,
      classId,
      dimension,
      vectors: length === vectors.length ? vectors : vectors.subarray(0, length),
      thumbnails: thumbsByKey.get(keyOf(modelId, classId)) ?? [],
    }));
  }
}

/** What the last restore put back: the app's message says so, and no more. */
export interface RestoredCounts {
  readonly examples: number;
  readonly classes: number;
  /** Of `examples`, those of models other than the one they were counted for (see DatasetStore.restore). */
  readonly examplesOfOtherModels: number;
}

/** How many examples `examples` hold, and of how many classes; those of other models than `modelId` counted apart. */
export function countRestored(examples: readonly SavedExamples[], state: StateRecord, modelId: string | undefined): RestoredCounts {
  let total = 0;
  let other = 0;
  for (const e of examples) {
    const rows = e.vectors.length / e.dimension;
    total += rows;
    if (modelId !== undefined && e.modelId !== modelId) other += rows;
  }
  return { examples: total, classes: state.classes.length, examplesOfOtherModels: other };
}
