/**
 * The page's side of put-worker.ts: puts records into one object store of the page's database in a worker, kept for
 * the page's later writes. Rejects when the worker cannot start or put them (a policy that refuses workers,
 * IndexedDB missing in workers, a full quota) or has not answered in ANSWER_MS: the caller then puts them on the
 * page, which reports what is wrong. A worker that failed once is not used again.
 */
import type { PutReply, PutRequest } from './put-protocol';

/** Far longer than a put takes (tens of ms), short enough that autosave's next writes are not held up for long. */
const ANSWER_MS = 10_000;

let worker: Worker | null = null;
let broken = false;
let nextId = 0;
const waiting = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();

function giveUp(error: Error): void {
  broken = true;
  worker?.terminate();
  worker = null;
  waiting.forEach((request) => request.reject(error));
  waiting.clear();
}

function started(): Worker {
  if (worker) return worker;
  const made = new Worker(new URL('./put-worker.ts', import.meta.url), { type: 'module', name: 'autosave' });
  made.onmessage = (event: MessageEvent<PutReply>) => {
    const reply = event.data;
    const request = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (reply.ok) request?.resolve();
    else request?.reject(new Error(reply.error));
  };
  made.onerror = (event) => {
    event.preventDefault();
    giveUp(new Error(`the autosave worker stopped (${event.message || 'an error'})`));
  };
  worker = made;
  return made;
}

export function putInWorker(db: IDBDatabase, storeName: string, records: readonly unknown[]): Promise<void> {
  if (broken) return Promise.reject(new Error('the autosave worker failed before'));
  let target: Worker;
  try {
    target = started();
  } catch (error) {
    giveUp(error instanceof Error ? error : new Error(String(error)));
    return Promise.reject(new Error(`no autosave worker (${String(error)})`));
  }
  return new Promise<void>((resolve, reject) => {
    const id = nextId++;
    const timer = setTimeout(() => giveUp(new Error(`the autosave worker did not answer in ${ANSWER_MS / 1000} s`)), ANSWER_MS);
    const done = () => clearTimeout(timer);
    waiting.set(id, {
      resolve: () => {
        done();
        resolve();
      },
      reject: (error) => {
        done();
        reject(error);
      },
    });
    const request: PutRequest = { id, name: db.name, version: db.version, storeName, records };
    target.postMessage(request);
  });
}
