/**
 * Puts records into the app's database in a worker: IndexedDB copies a value as it is put, in the thread that puts
 * it, and a k-NN store's fitted space (1.4 MB at 10,000 examples) took 25 to 55 ms of it on a quiet machine, over
 * 100 ms on a busy one. Each request is one transaction, on a connection opened for it and closed after (an open
 * connection would hold up another tab's upgrade of the database).
 */
import { openDatabase, putRecords } from './idb';
import type { PutReply, PutRequest } from './put-protocol';

// The DOM typings this project builds with do not include the worker's global scope.
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<PutRequest>) => void) | null;
  postMessage(message: PutReply): void;
};

scope.onmessage = async (event) => {
  const { id, name, version, storeName, records } = event.data;
  let db: IDBDatabase | null = null;
  try {
    // The page opened (and upgraded) the database first: an upgrade here would mean it is gone or changed.
    db = await openDatabase(indexedDB, name, version, () => {
      throw new DOMException('The database changed.', 'VersionError');
    });
    await putRecords(db, storeName, records);
    scope.postMessage({ id, ok: true });
  } catch (error) {
    scope.postMessage({ id, ok: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  } finally {
    db?.close();
  }
};
