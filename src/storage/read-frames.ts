/**
 * Reads the kept frames back (FRAME_STORE: one record a frame, 9.6 kB each, so 96 MB at 10,000 examples), in
 * requests of FRAMES_PER_READ records, each put into its class's list in the task it arrives in.
 */
import type { ModelId } from '../models/catalog';
import { requestResult } from './idb';
import { classKey } from './pending';
import { FRAME_STORE, type FrameRecord } from './records';

/** About 5 MB of frames a request, as CHUNKS_PER_READ is of vectors. */
export const FRAMES_PER_READ = 512;

/**
 * Every class's frames (by classKey), oldest first, read in `transaction`. Call it in the task the transaction is
 * made in. A class whose frames have a gap is refused (RangeError), as damaged vectors are.
 */
export async function readFrames(transaction: IDBTransaction): Promise<Map<string, string[]>> {
  const store = transaction.objectStore(FRAME_STORE);
  const keys = (await requestResult(store.getAllKeys())) as [ModelId, string, number][];
  // Every request is made now, in the task the keys came in, so the transaction stays open for all of them.
  const pieces: Promise<FrameRecord[]>[] = [];
  for (let start = 0; start < keys.length; start += FRAMES_PER_READ) {
    const range = IDBKeyRange.bound(keys[start], keys[Math.min(keys.length, start + FRAMES_PER_READ) - 1]);
    pieces.push(requestResult(store.getAll(range) as IDBRequest<FrameRecord[]>));
  }
  const frames = new Map<string, string[]>();
  for (const piece of pieces) {
    // IndexedDB returns records in key order: each class's frames come by index.
    for (const { modelId, classId, index, url } of await piece) {
      const key = classKey(modelId, classId);
      const list = frames.get(key) ?? [];
      if (index !== list.length || typeof url !== 'string') throw new RangeError(`The saved frames of ${classId} for ${modelId} are damaged (frame ${index}).`);
      list.push(url);
      frames.set(key, list);
    }
  }
  return frames;
}
