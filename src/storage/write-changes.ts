/**
 * One autosave write: everything a Pending names, from the Teachable as it is when the write starts, in one
 * IndexedDB transaction (so the database is always a state the app was in). Appending to a class rewrites only its
 * last, partly filled chunk, and of its kept frames only the last, partly filled record with the new ones.
 */
import type { ModelId } from '../models/catalog';
import { nextTask } from '../platform/next-task';
import type { Teachable } from '../app/teachable';
import { transactionDone } from './idb';
import { classKey, splitKey, type Pending, type Stored } from './pending';
import { planFrameWrite } from './frame-writes';
import {
  chunkRange,
  FRAME_STORE,
  frameRange,
  FRAMES_PER_RECORD,
  ROWS_PER_CHUNK,
  SOUND_STORE,
  STATE_KEY,
  STATE_STORE,
  THUMBNAIL_STORE,
  VECTOR_STORE,
  withSoundsAside,
  type FrameChunkRecord,
  type SoundRecord,
  type VectorChunkRecord,
} from './records';

/**
 * Chunk records put in one task at most: IndexedDB copies each value as it is put, and 10,000 examples (an import)
 * put in one task held the page for hundreds of milliseconds.
 */
export const CHUNKS_PER_TASK = 16;

/**
 * Time a piece of a large write goes on putting: a put copies its value, and on a loaded machine 16 chunks took 100 to
 * 400 ms in one task (a traced autosave of an import of 10,000 examples).
 */
const PUT_BUDGET_MS = 12;

/** Rows a write reads out of the store in one task; more are read a class a task. */
const ROWS_READ_AT_ONCE = 4096;

/** Bytes of kept frames put in one task at most: those of 16 full chunks of MobileNet's 1,280 numbers. */
export const FRAME_BYTES_PER_TASK = CHUNKS_PER_TASK * ROWS_PER_CHUNK * 1280 * 4;

/**
 * A record to put, made when its piece is put (copying every chunk of 10,000 examples out of the rows up front took
 * some 80 ms in one task), and the share of a task's putting it takes (a vector chunk 1/CHUNKS_PER_TASK, a frame by
 * its bytes).
 */
interface Put {
  readonly store: IDBObjectStore;
  readonly value: () => unknown;
  readonly share: number;
}

/**
 * Puts `records` a task's worth at a time (CHUNKS_PER_TASK chunks, or FRAME_BYTES_PER_TASK of frames, and no more
 * than PUT_BUDGET_MS of putting), each piece from the success of the one before (when the transaction is active
 * again, in a task of its own), then `last()`, and commits. A small write (recording: a task's worth in all) is all
 * put in the task that calls this, whatever the time, which a closing page needs: it gets no later task.
 */
function putInPieces(transaction: IDBTransaction, records: readonly Put[], last: () => void, failed: (error: unknown) => void, from = 0): void {
  let request: IDBRequest | null = null;
  let end = from;
  const whole = from === 0 && records.reduce((share, r) => share + r.share, 0) < 1 + 1e-9;
  const started = performance.now();
  for (let share = 0; end < records.length && share < 1 - 1e-9; end++) {
    if (!whole && end > from && performance.now() - started >= PUT_BUDGET_MS) break;
    request = records[end].store.put(records[end].value());
    share += records[end].share;
  }
  if (end < records.length && request) {
    request.onsuccess = () => {
      try {
        putInPieces(transaction, records, last, failed, end);
      } catch (error) {
        // A put that throws (QuotaExceededError, DataCloneError): nothing of the write stays.
        failed(error);
        transaction.abort();
      }
    };
    return;
  }
  last();
  // Commit now rather than once the event loop turns again: a closing page gets no further turn.
  transaction.commit();
}

export interface WriteResult {
  /** The rows now stored for each key the write touched (0: none). */
  readonly written: Map<string, Stored>;
  /** The sound files now in SOUND_STORE, by class id. */
  readonly sounds: ReadonlyMap<string, string>;
}

interface ClassWrite {
  readonly modelId: ModelId;
  readonly classId: string;
  readonly fromRow: number;
  readonly rewrite: boolean;
}

/** Which classes `work` deletes and (re)writes, from which row, given what is stored. */
function planWrites(teachable: Teachable, work: Pending, storedRows: ReadonlyMap<string, Stored>) {
  const classIds = new Set(teachable.classes.map((c) => c.id));
  const deletes: { modelId: ModelId; classId: string }[] = [];
  const writes: ClassWrite[] = [];
  if (work.everything) {
    for (const { modelId } of teachable.modelsWithExamples()) {
      for (const classId of classIds) writes.push({ modelId, classId, fromRow: 0, rewrite: true });
    }
    return { deletes, writes };
  }
  for (const entry of storedRows.values()) {
    if (work.deletedClasses.has(entry.classId)) deletes.push(entry);
  }
  for (const key of new Set([...work.rewrite, ...work.append])) {
    const [modelId, classId] = splitKey(key);
    if (!classIds.has(classId)) continue;
    const stored = storedRows.get(key)?.rows ?? 0;
    const count = teachable.exampleCountFor(modelId, classId);
    const rewrite = work.rewrite.has(key) || count < stored;
    // Appending starts at the last, partly filled chunk, which is written again whole.
    writes.push({ modelId, classId, rewrite, fromRow: rewrite ? 0 : Math.floor(stored / ROWS_PER_CHUNK) * ROWS_PER_CHUNK });
  }
  return { deletes, writes };
}

/** Writes `work`; rejects (having written nothing) with the transaction's error, e.g. QuotaExceededError. */
export async function writeChanges(
  db: IDBDatabase,
  teachable: Teachable,
  work: Pending,
  storedRows: ReadonlyMap<string, Stored>,
  storedSounds: ReadonlyMap<string, string>,
  writeId: string,
): Promise<WriteResult> {
  const written = new Map<string, Stored>();
  const { deletes, writes } = planWrites(teachable, work, storedRows);
  const dimensions = new Map(teachable.modelsWithExamples().map((m) => [m.modelId, m.dimension]));
  // The state and thumbnails are picked synchronously here; the rows of a small write (recording) too, so its
  // snapshot is consistent (a class's rows past readRowsInSteps' step, 1,024, would be read in steps, as below).
  const { record: state, sounds } = withSoundsAside({ ...teachable.savedState(), savedAt: new Date().toISOString(), writeId });
  const thumbnails = writes.map((w) => teachable.keptThumbnails(w.modelId, w.classId));
  const frames = writes.map((w, i) => planFrameWrite(thumbnails[i], storedRows.get(classKey(w.modelId, w.classId)), w.rewrite));
  const rowsToRead = writes.reduce((sum, w) => sum + Math.max(0, teachable.exampleCountFor(w.modelId, w.classId) - w.fromRow), 0);
  let rows: Float32Array[];
  if (rowsToRead <= ROWS_READ_AT_ONCE) {
    rows = await Promise.all(writes.map((w) => teachable.readExamples(w.modelId, w.classId, w.fromRow)));
  } else {
    // A big write (after an import) reads a class at a time, a large one in several tasks (readRowsInSteps): copying
    // 50,000 rows out of the store at once held the page for hundreds of milliseconds. A class's rows are then those
    // of when its read starts; anything recorded after is a later change, which the next write appends (and a class
    // cleared or deleted meanwhile, which it rewrites).
    rows = [];
    for (const w of writes) {
      rows.push(await teachable.readExamples(w.modelId, w.classId, w.fromRow));
      await nextTask();
    }
  }

  const transaction = db.transaction([STATE_STORE, VECTOR_STORE, THUMBNAIL_STORE, SOUND_STORE, FRAME_STORE], 'readwrite');
  const done = transactionDone(transaction);
  const vectors = transaction.objectStore(VECTOR_STORE);
  const thumbs = transaction.objectStore(THUMBNAIL_STORE);
  const soundStore = transaction.objectStore(SOUND_STORE);
  const frameStore = transaction.objectStore(FRAME_STORE);
  let thrown: { error: unknown } | null = null;
  try {
    if (work.everything) {
      vectors.clear();
      thumbs.clear();
      soundStore.clear();
      frameStore.clear();
    }
    // Only the sound files that changed: writing them all again took tens of milliseconds a write.
    sounds.forEach((dataUrl, classId) => {
      if (work.everything || storedSounds.get(classId) !== dataUrl) soundStore.put({ classId, dataUrl } satisfies SoundRecord);
    });
    if (!work.everything) for (const classId of storedSounds.keys()) if (!sounds.has(classId)) soundStore.delete(classId);
    for (const { modelId, classId } of deletes) {
      vectors.delete(chunkRange(modelId, classId));
      thumbs.delete([modelId, classId]);
      frameStore.delete(frameRange(modelId, classId));
      written.set(classKey(modelId, classId), { modelId, classId, rows: 0 });
    }
    const records: Put[] = [];
    writes.forEach((w, i) => {
      const dimension = dimensions.get(w.modelId) ?? 0;
      if (w.rewrite) vectors.delete(chunkRange(w.modelId, w.classId));
      const data = rows[i];
      if (dimension > 0) {
        const chunkSize = ROWS_PER_CHUNK * dimension;
        for (let start = 0; start < data.length; start += chunkSize) {
          const chunk = (w.fromRow + start / dimension) / ROWS_PER_CHUNK;
          const value = (): VectorChunkRecord => ({ modelId: w.modelId, classId: w.classId, chunk, dimension, data: data.slice(start, start + chunkSize) });
          records.push({ store: vectors, value, share: 1 / CHUNKS_PER_TASK });
        }
      }
      // Only the frames after the stored ones, unless those are not the first of the kept (rows deleted, cleared).
      // Appending starts at the record holding the first new frame, written again whole (over version 3's records);
      // a rewrite starts at 0.
      const kept = thumbnails[i];
      const { rewrite, fromIndex } = frames[i];
      const start = fromIndex < kept.length ? Math.floor(fromIndex / FRAMES_PER_RECORD) * FRAMES_PER_RECORD : kept.length;
      if (rewrite || start < kept.length) frameStore.delete(frameRange(w.modelId, w.classId, start));
      if (rewrite) thumbs.delete([w.modelId, w.classId]); // version 2's record, moved into FRAME_STORE now
      for (let index = start; index < kept.length; index += FRAMES_PER_RECORD) {
        const urls = kept.slice(index, index + FRAMES_PER_RECORD);
        const bytes = urls.reduce((sum, url) => sum + url.length, 0);
        records.push({ store: frameStore, value: (): FrameChunkRecord => ({ modelId: w.modelId, classId: w.classId, index, urls }), share: bytes / FRAME_BYTES_PER_TASK });
      }
      const total = dimension > 0 ? w.fromRow + data.length / dimension : 0;
      written.set(classKey(w.modelId, w.classId), { modelId: w.modelId, classId: w.classId, rows: total, lastThumbnail: kept.at(-1), frames: kept.length });
    });
    putInPieces(transaction, records, () => transaction.objectStore(STATE_STORE).put(state, STATE_KEY), (error) => (thrown = { error }));
  } catch (error) {
    // A put can throw synchronously (QuotaExceededError, DataCloneError): undo the rest.
    transaction.abort();
    await done.catch(() => undefined);
    throw error;
  }
  await done.catch((error: unknown) => {
    throw thrown ? thrown.error : error;
  });
  return { written, sounds };
}
