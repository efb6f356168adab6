/**
 * The page's side of read-saved-worker.ts: what readSaved gives, read in a worker. Damaged data is refused as on the
 * page (a RangeError); anything else that stops the worker (no worker, a policy that refuses it, IndexedDB missing
 * in workers) rejects with ReadWorkerUnavailable, and the caller reads on the page instead.
 */
import type { SavedExamples } from '../app/teachable-state';
import type { SavedRecords } from './read-saved';
import type { ReadReply, ReadRequest } from './read-saved-protocol';

export class ReadWorkerUnavailable extends Error {
  override readonly name = 'ReadWorkerUnavailable';
}

export function readSavedInWorker(db: IDBDatabase, onRows?: (done: number, total: number) => void): Promise<SavedRecords> {
  let worker: Worker;
  try {
    worker = new Worker(new URL('./read-saved-worker.ts', import.meta.url), { type: 'module', name: 'saved examples' });
  } catch (error) {
    return Promise.reject(new ReadWorkerUnavailable(`the worker could not start (${String(error)})`));
  }
  return new Promise<SavedRecords>((resolve, reject) => {
    const examples: SavedExamples[] = [];
    const frames: string[][] = [];
    const end = (error: Error | null, records?: SavedRecords) => {
      worker.terminate();
      if (error) reject(error);
      else resolve(records!);
    };
    worker.onmessage = (event: MessageEvent<ReadReply>) => {
      const message = event.data;
      if (message.type === 'rows') onRows?.(message.done, message.total);
      else if (message.type === 'examples') {
        examples.push(message.examples);
        frames.push([]);
      } else if (message.type === 'frames') frames.at(-1)?.push(...message.urls);
      else if (message.type === 'done') end(null, { ...message.rest, examples: examples.map((e, i) => ({ ...e, thumbnails: frames[i] })) });
      // Damaged data is final; any other failure may be the worker's alone (IndexedDB in workers): the page tries.
      else end(message.name === 'RangeError' ? new RangeError(message.message) : new ReadWorkerUnavailable(`${message.name}: ${message.message}`));
    };
    worker.onerror = (event) => {
      event.preventDefault();
      end(new ReadWorkerUnavailable(`the worker failed (${event.message || 'an error'})`));
    };
    worker.onmessageerror = () => end(new ReadWorkerUnavailable('a message from the worker could not be read'));
    const request: ReadRequest = { name: db.name, version: db.version };
    worker.postMessage(request);
  });
}
