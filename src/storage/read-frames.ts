/**
 * Reads the kept frames back (FRAME_STORE: FRAMES_PER_RECORD frames a record, 9.6 kB each, so 96 MB at 10,000
 * examples; version 3 stored one a record), in requests of about FRAMES_PER_READ frames, each put into its class's
 * list in the task it arrives in.
 */
import type { ModelId } from '../models/catalog';
import { requestResult } from './idb';
import { classKey } from './pending';
import { FRAME_STORE, FRAMES_PER_RECORD, type FrameChunkRecord, type FrameRecord } from './records';

/** About 5 MB of frames a request, as CHUNKS_PER_READ is of vectors. */
export const FRAMES_PER_READ = 512;

type FrameKey = [ModelId, string, number];

/**
 * The keys in `keys` (in key order) each request reads, about FRAMES_PER_READ frames: a record holds as many frames
 * as the gap to its class's next key, at most FRAMES_PER_RECORD (the last record of a class is counted full).
 */
function requestsOf(keys: readonly FrameKey[]): [FrameKey, FrameKey][] {
  const ranges: [FrameKey, FrameKey][] = [];
  let first = 0;
  let frames = 0;
  for (let k = 0; k < keys.length; k++) {
    const next = keys[k + 1];
    const sameClass = next !== undefined && next[0] === keys[k][0] && next[1] === keys[k][1];
    frames += sameClass ? Math.min(FRAMES_PER_RECORD, next[2] - keys[k][2]) : FRAMES_PER_RECORD;
    if (frames >= FRAMES_PER_READ || next === undefined) {
      ranges.push([keys[first], keys[k]]);
      first = k + 1;
      frames = 0;
    }
  }
  return ranges;
}

/**
 * Every class's frames (by classKey), oldest first, read in `transaction`. Call it in the task the transaction is
 * made in. A class whose frames have a gap is refused (RangeError), as damaged vectors are.
 */
export async function readFrames(transaction: IDBTransaction): Promise<Map<string, string[]>> {
  const store = transaction.objectStore(FRAME_STORE);
  const keys = (await requestResult(store.getAllKeys())) as FrameKey[];
  // Every request is made now, in the task the keys came in, so the transaction stays open for all of them.
  const pieces = requestsOf(keys).map(([from, to]) => requestResult(store.getAll(IDBKeyRange.bound(from, to)) as IDBRequest<(FrameChunkRecord | FrameRecord)[]>));
  const frames = new Map<string, string[]>();
  for (const piece of pieces) {
    // IndexedDB returns records in key order: each class's frames come by index.
    for (const record of await piece) {
      const key = classKey(record.modelId, record.classId);
      const list = frames.get(key) ?? [];
      const urls = 'urls' in record ? record.urls : [record.url];
      if (record.index !== list.length || !Array.isArray(urls) || !urls.every((url) => typeof url === 'string')) {
        throw new RangeError(`The saved frames of ${record.classId} for ${record.modelId} are damaged (frame ${record.index}).`);
      }
      list.push(...urls);
      frames.set(key, list);
    }
  }
  return frames;
}
