/**
 * Reads what autosave stored, in pieces: the vector chunks (51 MB at 10,000 examples of 1,280 numbers) come in
 * requests of at most CHUNKS_PER_READ records, each delivered in its own task, so that reading them back never
 * holds the page for long; the state, thumbnails and sounds are small and come whole.
 */
import type { ModelId } from '../models/catalog';
import type { SavedExamples } from '../teachable-state';
import { requestResult } from './idb';
import {
  ROWS_PER_CHUNK,
  SOUND_STORE,
  STATE_KEY,
  STATE_STORE,
  THUMBNAIL_STORE,
  VECTOR_STORE,
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
}

/** Everything stored, read in one transaction; `onRows` hears how many rows are read so far, of how many. */
export async function readSaved(db: IDBDatabase, onRows?: (done: number, total: number) => void): Promise<SavedRecords> {
  const transaction = db.transaction([STATE_STORE, VECTOR_STORE, THUMBNAIL_STORE, SOUND_STORE], 'readonly');
  const vectors = transaction.objectStore(VECTOR_STORE);
  const small = Promise.all([
    requestResult(transaction.objectStore(STATE_STORE).get(STATE_KEY) as IDBRequest<StateRecord | undefined>),
    requestResult(transaction.objectStore(THUMBNAIL_STORE).getAll() as IDBRequest<ThumbnailRecord[]>),
    requestResult(transaction.objectStore(SOUND_STORE).getAll() as IDBRequest<SoundRecord[]>),
  ]);
  const keys = (await requestResult(vectors.getAllKeys())) as [ModelId, string, number][];
  // Every request is made now, in the task the keys came in, so the transaction stays open for all of them.
  const pieces: Promise<VectorChunkRecord[]>[] = [];
  for (let start = 0; start < keys.length; start += CHUNKS_PER_READ) {
    const range = IDBKeyRange.bound(keys[start], keys[Math.min(keys.length, start + CHUNKS_PER_READ) - 1]);
    pieces.push(requestResult(vectors.getAll(range) as IDBRequest<VectorChunkRecord[]>));
  }
  const chunks: VectorChunkRecord[] = [];
  const totalRows = keys.length * ROWS_PER_CHUNK;
  for (const piece of pieces) {
    chunks.push(...(await piece));
    onRows?.(Math.min(chunks.length * ROWS_PER_CHUNK, totalRows), totalRows);
  }
  const [state, thumbnails, soundRecords] = await small;
  return { state, sounds: new Map(soundRecords.map((r) => [r.classId, r.dataUrl])), examples: assembleExamples(chunks, thumbnails) };
}

const keyOf = (modelId: ModelId, classId: string) => `${modelId}\u0000${classId}`;

/** Chunks back into one array per model and class; a missing chunk or a dimension that changes is refused. */
export function assembleExamples(chunks: readonly VectorChunkRecord[], thumbnails: readonly ThumbnailRecord[]): SavedExamples[] {
  const grouped = new Map<string, VectorChunkRecord[]>();
  for (const chunk of chunks) {
    const key = keyOf(chunk.modelId, chunk.classId);
    const list = grouped.get(key);
    if (list) list.push(chunk);
    else grouped.set(key, [chunk]);
  }
  const thumbsByKey = new Map(thumbnails.map((t) => [keyOf(t.modelId, t.classId), t.urls]));
  return [...grouped.values()].map((list) => {
    // IndexedDB returns records in key order, so chunks already come sorted.
    const { modelId, classId, dimension } = list[0];
    let length = 0;
    list.forEach((c, i) => {
      if (c.chunk !== i || c.dimension !== dimension || !(c.data instanceof Float32Array) || c.data.length % dimension !== 0) {
        throw new RangeError(`The saved examples of ${classId} for ${modelId} are damaged (chunk ${i}).`);
      }
      if (i < list.length - 1 && c.data.length !== ROWS_PER_CHUNK * dimension) {
        throw new RangeError(`The saved examples of ${classId} for ${modelId} are damaged (chunk ${i} is short).`);
      }
      length += c.data.length;
    });
    const vectors = new Float32Array(length);
    let offset = 0;
    for (const c of list) {
      vectors.set(c.data, offset);
      offset += c.data.length;
    }
    return { modelId, classId, dimension, vectors, thumbnails: thumbsByKey.get(keyOf(modelId, classId)) ?? [] };
  });
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
